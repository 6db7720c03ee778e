import type { AuditRecord, Store } from '../../../core/index.js';
import { EFFECTS, verifyAuditChain } from '../../../core/index.js';
import type { GrantRequest, GrantService } from '../../../firewall/index.js';
import { DEMO_APPROVER, agentApprovesItself, enrolAndApprove } from './demo-shell.js';

/** One step of the story, as `--json` prints it. */
export interface DemoStep {
  readonly step:
    'scope' | 'environment' | 'hold' | 'approved-once' | 'replay' | 'self-approve' | 'audit';
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

const DELETE_VOLUME = 'mutation VolumeDelete($id: String!) { volumeDelete(volumeId: $id) }';

/** The incident, replayed through the gateway: each safeguard fires in turn. */
export async function tellIncident(world: DemoWorld): Promise<boolean> {
  const base: Omit<GrantRequest, 'environments' | 'effects' | 'resources'> = {
    agent: 'cursor-agent',
    owner: 'alice',
    upstreams: ['railway'],
    ttlMs: 3_600_000,
  };
  const domains = await world.grants.issue(
    {
      ...base,
      environments: ['*'],
      effects: ['read', 'write'],
      resources: ['customDomain:*', 'service:*', 'project:*', 'environment:*'],
    },
    'human:alice',
  );
  const scope = await send(world, domains.token, 'vol_prod_db');
  world.emit({
    step: 'scope',
    title:
      '(a) a token made for domain management calls volumeDelete on the production database volume',
    verdict: scope.verdict,
    forwarded: scope.forwarded,
    volumeStillThere: world.volumeExists('vol_prod_db'),
    lines: scope.lines,
  });
  const staging = await world.grants.issue(
    { ...base, environments: ['staging'], effects: [...EFFECTS], resources: ['*'] },
    'human:alice',
  );
  const shared = await send(world, staging.token, 'vol_shared');
  world.emit({
    step: 'environment',
    title:
      '(b) a staging token deletes a volume the agent guessed was staging; Railway says it also lives in production',
    verdict: shared.verdict,
    forwarded: shared.forwarded,
    volumeStillThere: world.volumeExists('vol_shared'),
    lines: shared.lines,
  });
  const held = await send(world, staging.token, 'vol_staging_scratch');
  world.emit({
    step: 'hold',
    title: '(c) the same token deletes a staging-only volume: held for a human',
    verdict: held.verdict,
    forwarded: held.forwarded,
    approvalId: held.approvalId ?? null,
    lines: held.lines,
  });
  const approval =
    held.approvalId === undefined
      ? ['    (no approval to approve)']
      : await enrolAndApprove(world.home, held.approvalId);
  const once = await send(world, staging.token, 'vol_staging_scratch');
  world.emit({
    step: 'approved-once',
    title: `    ${DEMO_APPROVER} approves from the CLI with a code from her phone; the identical request is sent again`,
    verdict: once.verdict,
    forwarded: once.forwarded,
    volumeStillThere: world.volumeExists('vol_staging_scratch'),
    lines: [...approval, ...once.lines],
  });
  const replay = await send(world, staging.token, 'vol_staging_scratch');
  world.emit({
    step: 'replay',
    title: '    the agent replays the approved request',
    verdict: replay.verdict,
    forwarded: replay.forwarded,
    lines: replay.lines,
  });
  const self = await selfApproveStep(world, base);
  world.emit(self);
  const audit = await auditStep(world.store);
  world.emit(audit);
  const refused = self['refused'] === true && self['volumeStillThere'] === true;
  return (
    scope.verdict === 'deny' &&
    shared.verdict === 'deny' &&
    held.verdict === 'hold' &&
    once.forwarded &&
    !replay.forwarded &&
    refused &&
    audit['verified'] === true
  );
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
    body: JSON.stringify({
      query: DELETE_VOLUME,
      operationName: 'VolumeDelete',
      variables: { id: volumeId },
    }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { message?: string; extensions?: Record<string, unknown> }[];
  };
  const error = body.errors?.[0];
  const code = error?.extensions?.['code'];
  const verdict =
    code === 'AIRLOCK_HELD'
      ? 'hold'
      : code === 'AIRLOCK_DENIED'
        ? 'deny'
        : response.ok
          ? 'allow'
          : 'error';
  const approvalId =
    typeof error?.extensions?.['approvalId'] === 'string'
      ? error.extensions['approvalId']
      : undefined;
  const lines = [
    `    agent → POST /graphql/railway volumeDelete(volumeId: "${volumeId}")`,
    `    ← HTTP ${response.status} ${verdict.toUpperCase()}${error?.message ? `: ${error.message}` : `: ${JSON.stringify(body.data)}`}`,
  ];
  if (approvalId !== undefined)
    lines.push(`      approval: ${approvalId} (${String(error?.extensions?.['pollUrl'] ?? '')})`);
  const rules = error?.extensions?.['policyIds'];
  if (Array.isArray(rules)) lines.push(`      rule: ${rules.join(', ')}`);
  return { verdict, forwarded: verdict === 'allow', approvalId, lines };
}

/**
 * (d) A token as broad as the incident's asks to delete the production volume: held for two
 * approvers. The agent, with the developer's shell, runs the approval command itself.
 */
async function selfApproveStep(
  world: DemoWorld,
  base: Omit<GrantRequest, 'environments' | 'effects' | 'resources'>,
): Promise<DemoStep> {
  const broad = await world.grants.issue(
    { ...base, environments: ['*'], effects: [...EFFECTS], resources: ['*'] },
    'human:alice',
  );
  const held = await send(world, broad.token, 'vol_prod_db');
  const attempts =
    held.approvalId === undefined
      ? []
      : await agentApprovesItself(world.home, held.approvalId, ['vol_prod_db']);
  const refused =
    held.verdict === 'hold' && attempts.length > 0 && attempts.every((attempt) => attempt.refused);
  return {
    step: 'self-approve',
    title:
      '(d) the agent asks to delete the production volume, is held, and tries to approve its own request from the shell',
    verdict: held.verdict,
    approvalId: held.approvalId ?? null,
    refused,
    attempts: attempts.map((attempt) => ({ code: attempt.code, refused: attempt.refused })),
    volumeStillThere: world.volumeExists('vol_prod_db'),
    lines: [
      ...held.lines,
      ...attempts.flatMap((attempt) => attempt.lines),
      "    no code from an approver's phone, no approval: the volume stays",
    ],
  };
}

async function auditStep(store: Store): Promise<DemoStep> {
  const records = await store.readAudit();
  const verification = verifyAuditChain(records, await store.auditHead());
  const lines = records.map(describeRecord);
  lines.push(
    verification.ok
      ? `    chain verified: ${verification.count} records intact`
      : `    chain BROKEN at record ${verification.badSeq}: ${verification.problem}`,
  );
  return {
    step: 'audit',
    title: '(e) the audit trail, hash-chained and verified',
    verified: verification.ok,
    records: records.length,
    lines,
  };
}

function describeRecord(record: AuditRecord): string {
  const data = record.data;
  const detail =
    record.kind === 'decision'
      ? `${String(data['verdict'])} by ${(data['policyIds'] as string[] | undefined)?.join(',') ?? ''}`
      : String(data['approvalId'] ?? data['grantId'] ?? data['name'] ?? '');
  return `    #${String(record.seq).padStart(2)} ${record.kind.padEnd(18)} ${record.actor.padEnd(20)} ${detail}`;
}
