import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Action, Decision, Store } from '../core/index.js';
import { verifyAuditChain } from '../core/index.js';
import { classifierFor } from '../classify/index.js';
import { DEFAULT_APPROVAL_OPTIONS, Firewall, GrantService } from '../firewall/index.js';
import { cryptoRandom, randomIds, systemClock } from '../platform/index.js';
import { openSqliteStore } from '../stores/index.js';
import { printLines } from './output.js';
import { loadEngineFor } from './policy-loading.js';

const PRODUCTION = ['production'];

/** Registers `airlock demo`: the incident replayed against the decision core. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('replay the volumeDelete incident against Airlock and show each safeguard firing')
    .option('--keep', 'keep the demo home folder instead of deleting it')
    .action(async (flags: { keep?: boolean }) => {
      const home = mkdtempSync(join(tmpdir(), 'airlock-demo-'));
      const store = openSqliteStore({ path: join(home, 'airlock.db') });
      try {
        await runDemo(store);
      } finally {
        await store.close();
        if (flags.keep === true) printLines(`demo state kept in ${home}`);
        else rmSync(home, { recursive: true, force: true });
      }
    });
}

async function runDemo(store: Store): Promise<void> {
  const engine = await loadEngineFor(join(tmpdir(), 'airlock-demo-no-such-dir'));
  const firewall = new Firewall({
    store,
    engine: () => engine,
    clock: systemClock,
    ids: randomIds,
    decide: { productionEnvironments: PRODUCTION, approvalsObtainable: 2 },
    freeze: { maxDenials: 3, windowMs: 600_000 },
    approvals: DEFAULT_APPROVAL_OPTIONS,
  });
  const grants = new GrantService({ store, clock: systemClock, ids: randomIds, random: cryptoRandom, limits: { maxTtlMs: 86_400_000 } });
  printLines(
    'Airlock demo: the volumeDelete incident, replayed against the decision core.',
    'Each request is a real GraphQL document parsed against Railway\'s catalog. The gateway, the',
    'environment resolver and the Railway stand-in do not exist yet (issue 4): the demo fills in each',
    'target\'s environment as the resolver will, and hands the actions straight to the decision core.',
    '',
  );
  const staging = await grants.issue(
    { agent: 'cursor-agent', owner: 'alice', upstreams: ['railway'], environments: ['staging'], effects: ['read', 'write'], resources: ['*'], ttlMs: 3_600_000 },
    'human:alice',
  );
  printLines(`1. alice issues the agent a token for railway/staging, read+write only: ${staging.token.slice(0, 8)}… (grant ${staging.grant.id})`);
  await step(firewall, staging.token, '2. the agent reads its staging service', railwayAction(READ_SERVICE, { id: 'svc_staging' }, 'staging'));
  await step(firewall, staging.token, '3. the agent sends volumeDelete for a volume that lives in production', railwayAction(DELETE_VOLUME, { id: 'vol_prod_db' }, 'production'));
  const broad = await grants.issue(
    { agent: 'cursor-agent', owner: 'alice', upstreams: ['railway'], environments: ['*'], effects: ['read', 'write', 'destructive'], resources: ['*'], ttlMs: 3_600_000 },
    'human:alice',
  );
  printLines('', '4. even a token that may destroy anything, anywhere, cannot do it alone:');
  await step(firewall, broad.token, '   volumeDelete on the production volume', railwayAction(DELETE_VOLUME, { id: 'vol_prod_db' }, 'production'));
  await step(firewall, broad.token, '   volumeDelete on a volume whose environment is unknown', railwayAction(DELETE_VOLUME, { id: 'vol_unknown' }));
  printLines('', '5. the agent keeps trying other ways with its staging token:');
  for (let attempt = 1; attempt <= 3; attempt++) {
    await step(firewall, staging.token, `   attempt ${attempt}`, railwayAction(DELETE_VOLUME, { id: 'vol_prod_db' }, 'production'));
  }
  await step(firewall, staging.token, '   and now even a read', railwayAction(READ_SERVICE, { id: 'svc_staging' }, 'staging'));
  const records = await store.readAudit();
  const verified = verifyAuditChain(records, await store.auditHead());
  printLines('', `6. the audit log: ${records.length} records, hash chain ${verified.ok ? 'intact' : 'BROKEN'}; the token appears nowhere in it: ${JSON.stringify(records).includes(staging.token) ? 'NO' : 'yes'}`);
}

async function step(firewall: Firewall, token: string, label: string, action: Action): Promise<Decision> {
  const { decision } = await firewall.judge({ token, surface: action.surface, digest: action.digest, actions: [action] });
  const needed = decision.approval === undefined ? '' : ` (${decision.approval.needed} human approval(s))`;
  printLines(`${label}`, `   → ${decision.verdict.toUpperCase()}${needed} by ${decision.policyIds.join(', ')}: ${decision.reasons.join('; ')}`);
  return decision;
}

// The request an agent would send, parsed by the real GraphQL classifier against Railway's
// catalog; the environment is then filled in as the resolver (issue 4) will, from the upstream.
function railwayAction(document: string, variables: Record<string, string>, environment?: string): Action {
  const classify = classifierFor('graphql');
  const actions = classify?.({ method: 'POST', contentType: 'application/json', body: { query: document, variables } }) ?? [];
  const action = actions[0];
  if (actions.length !== 1 || action === undefined) throw new Error('the demo request did not parse into one action');
  const targets = action.targets.map((target) => (environment === undefined ? target : { ...target, environment }));
  return { ...action, targets };
}

const READ_SERVICE = 'query Service($id: String!) { service(id: $id) { id name } }';
const DELETE_VOLUME = 'mutation VolumeDelete($id: String!) { volumeDelete(volumeId: $id) }';
