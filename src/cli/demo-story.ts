import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AuditRecord, Store } from '../core/index.js';
import { EFFECTS, verifyAuditChain } from '../core/index.js';
import type { GrantRequest, GrantService } from '../firewall/index.js';

/** One step of the story, as `--json` prints it. */
export interface DemoStep {
  readonly step: 'scope' | 'environment' | 'hold' | 'approved-once' | 'replay' | 'audit';
  readonly title: string;
  readonly lines: readonly string[];
  readonly [key: string]: unknown;
}

/** What the story needs: a running gateway in front of the Railway stand-in, and the home's store. */
export interface DemoWorld {
  readonly home: string;
  readonly gatewayUrl: string;
  readonly store: Store;
  readonly grants: GrantService;
  /** Whether the stand-in still holds a volume (read straight from its state, not through Airlock). */
  readonly volumeExists: (id: string) => boolean;
  readonly emit: (step: DemoStep) => void;
}

const APPROVER = 'carol';
// The demo's own approver credential; a real one is read from the environment, never argv.
const APPROVER_CREDENTIAL = 'demo-approver-credential-0001';
const DELETE_VOLUME = 'mutation VolumeDelete($id: String!) { volumeDelete(volumeId: $id) }';
const BIN = fileURLToPath(new URL('../../bin/airlock.js', import.meta.url));

/** The incident, replayed through the gateway: each safeguard fires in turn. */
export async function tellIncident(world: DemoWorld): Promise<boolean> {
  const base: Omit<GrantRequest, 'environments' | 'effects' | 'resources'> = { agent: 'cursor-agent', owner: 'alice', upstreams: ['railway'], ttlMs: 3_600_000 };
  const domains = await world.grants.issue({ ...base, environments: ['*'], effects: ['read', 'write'], resources: ['customDomain:*', 'service:*', 'project:*', 'environment:*'] }, 'human:alice');
  const scope = await send(world, domains.token, 'vol_prod_db');
  world.emit({
    step: 'scope', title: '(a) a token made for domain management calls volumeDelete on the production database volume',
    verdict: scope.verdict, forwarded: scope.forwarded, volumeStillThere: world.volumeExists('vol_prod_db'), lines: scope.lines,
  });
  const staging = await world.grants.issue({ ...base, environments: ['staging'], effects: [...EFFECTS], resources: ['*'] }, 'human:alice');
  const shared = await send(world, staging.token, 'vol_shared');
  world.emit({
    step: 'environment', title: '(b) a staging token deletes a volume the agent guessed was staging; Railway says it also lives in production',
    verdict: shared.verdict, forwarded: shared.forwarded, volumeStillThere: world.volumeExists('vol_shared'), lines: shared.lines,
  });
  const held = await send(world, staging.token, 'vol_staging_scratch');
  world.emit({ step: 'hold', title: '(c) the same token deletes a staging-only volume: held for a human', verdict: held.verdict, forwarded: held.forwarded, approvalId: held.approvalId ?? null, lines: held.lines });
  const approval = await approveFromCli(world.home, held.approvalId);
  const once = await send(world, staging.token, 'vol_staging_scratch');
  world.emit({
    step: 'approved-once', title: `    ${APPROVER} approves from the CLI; the identical request is sent again`,
    verdict: once.verdict, forwarded: once.forwarded, volumeStillThere: world.volumeExists('vol_staging_scratch'), lines: [...approval, ...once.lines],
  });
  const replay = await send(world, staging.token, 'vol_staging_scratch');
  world.emit({ step: 'replay', title: '    the agent replays the approved request', verdict: replay.verdict, forwarded: replay.forwarded, lines: replay.lines });
  const audit = await auditStep(world.store);
  world.emit(audit);
  return scope.verdict === 'deny' && shared.verdict === 'deny' && held.verdict === 'hold' && once.forwarded && !replay.forwarded && audit['verified'] === true;
}

interface Sent {
  readonly verdict: 'allow' | 'hold' | 'deny' | 'error';
  readonly forwarded: boolean;
  readonly approvalId: string | undefined;
  readonly lines: string[];
}

async function send(world: DemoWorld, token: string, volumeId: string): Promise<Sent> {
  const response = await fetch(`${world.gatewayUrl}/graphql/railway`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: DELETE_VOLUME, operationName: 'VolumeDelete', variables: { id: volumeId } }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message?: string; extensions?: Record<string, unknown> }[] };
  const error = body.errors?.[0];
  const code = error?.extensions?.['code'];
  const verdict = code === 'AIRLOCK_HELD' ? 'hold' : code === 'AIRLOCK_DENIED' ? 'deny' : response.ok ? 'allow' : 'error';
  const approvalId = typeof error?.extensions?.['approvalId'] === 'string' ? error.extensions['approvalId'] : undefined;
  const lines = [`    agent → POST /graphql/railway volumeDelete(volumeId: "${volumeId}")`, `    ← HTTP ${response.status} ${verdict.toUpperCase()}${error?.message ? `: ${error.message}` : `: ${JSON.stringify(body.data)}`}`];
  if (approvalId !== undefined) lines.push(`      approval: ${approvalId} (${String(error?.extensions?.['pollUrl'] ?? '')})`);
  const rules = error?.extensions?.['policyIds'];
  if (Array.isArray(rules)) lines.push(`      rule: ${rules.join(', ')}`);
  return { verdict, forwarded: verdict === 'allow', approvalId, lines };
}

// A human approves in another process, through the real CLI, as they would from a terminal.
// INVARIANT: asynchronous, so the gateway in this process keeps serving (and closing idle
// connections on time) while the approver's command runs.
async function approveFromCli(home: string, approvalId: string | undefined): Promise<string[]> {
  if (approvalId === undefined) return ['    (no approval to approve)'];
  const run = (actor: string, args: string[]) =>
    new Promise<{ ok: boolean; stdout: string; stderr: string }>((done) => {
      const env = { ...process.env, AIRLOCK_APPROVER_CREDENTIAL: APPROVER_CREDENTIAL, AIRLOCK_ACTOR: actor };
      execFile(process.execPath, [BIN, '--home', home, ...args], { env, encoding: 'utf8' }, (error, stdout, stderr) =>
        done({ ok: error === null, stdout, stderr }),
      );
    });
  // An administrator enrols the approver; the approver then decides with their own credential.
  await run('admin', ['approver', 'add', APPROVER, '--upstream', 'railway', '--env', '*']);
  const approved = await run(APPROVER, ['approvals', 'approve', approvalId, '--as', APPROVER]);
  const said = (approved.ok ? approved.stdout : approved.stderr).trim().split('\n');
  return [`    $ airlock approvals approve ${approvalId} --as ${APPROVER}`, ...said.map((line) => `      ${line}`)];
}

async function auditStep(store: Store): Promise<DemoStep> {
  const records = await store.readAudit();
  const verification = verifyAuditChain(records, await store.auditHead());
  const lines = records.map(describeRecord);
  lines.push(verification.ok ? `    chain verified: ${verification.count} records intact` : `    chain BROKEN at record ${verification.badSeq}: ${verification.problem}`);
  return { step: 'audit', title: '(d) the audit trail, hash-chained and verified', verified: verification.ok, records: records.length, lines };
}

function describeRecord(record: AuditRecord): string {
  const data = record.data;
  const detail = record.kind === 'decision'
    ? `${String(data['verdict'])} by ${(data['policyIds'] as string[] | undefined)?.join(',') ?? ''}`
    : String(data['approvalId'] ?? data['grantId'] ?? '');
  return `    #${String(record.seq).padStart(2)} ${record.kind.padEnd(18)} ${record.actor.padEnd(20)} ${detail}`;
}
