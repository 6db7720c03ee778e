import { describe, expect, it } from 'vitest';
import type { Store } from '../src/core/index.js';
import { EFFECTS, SeededRandom } from '../src/core/index.js';
import type { ApprovalOptions, GrantRequest } from '../src/firewall/index.js';
import { ApprovalService } from '../src/firewall/index.js';
import { TestAuthenticator, createTestFirewall, testAction } from '../src/firewall/test-harness.js';
import { MemoryStore, openSqliteStore } from '../src/stores/index.js';
import { verifies } from './requirements.js';

const FULL: GrantRequest = {
  agent: 'deploy-bot',
  owner: 'alice',
  upstreams: ['railway'],
  environments: ['*'],
  effects: [...EFFECTS],
  resources: ['*'],
  ttlMs: 3_600_000,
};
const SECRET = 'correct horse battery';

async function setup(approvals: Partial<ApprovalOptions> = {}, store: Store = new MemoryStore()) {
  const harness = createTestFirewall(store, { approvals });
  const { token, grant } = await harness.grants.issue(FULL, 'human:alice');
  const service = new ApprovalService({
    store,
    clock: harness.clock,
    random: new SeededRandom('approvers'),
    rules: {
      denyEndsIt: approvals.denyEndsIt ?? true,
      ownerMayApprove: approvals.ownerMayApprove ?? false,
    },
    productionEnvironments: ['production'],
  });
  const phones = new TestAuthenticator({ service, store, clock: harness.clock });
  for (const name of ['bob', 'carol', 'alice', 'deploy-bot']) {
    await phones.enrol({
      name,
      credential: `${SECRET} ${name}`,
      upstreams: ['railway'],
      environments: ['*'],
    });
  }
  const send = (action = testAction('destructive', 'staging')) =>
    harness.firewall.judge({ surface: 'graphql', digest: action.digest, actions: [action] }, token);
  const approve = async (id: string, name: string, confirm: string[] = []) =>
    service.approve(id, name, await phones.factor(name), { confirm });
  return { ...harness, store, service, phones, token, grant, send, approve };
}

describe('approvals through the firewall', () => {
  it('holds a destructive request as a pending approval, reused when the agent retries', async () => {
    const { send, store } = await setup();
    const first = await send();
    expect(first.decision).toMatchObject({ verdict: 'hold', approval: { needed: 1, id: 'apr_1' } });
    const again = await send();
    expect(again.decision.approval?.id).toBe('apr_1');
    expect(await store.listApprovals()).toHaveLength(1);
    const records = await store.readAudit();
    expect(records.filter((r) => r.kind === 'approval.created')).toHaveLength(1);
    expect(records.at(-1)?.data).toMatchObject({ verdict: 'hold', approvalId: 'apr_1' });
  });

  it('allows the approved request exactly once; a replay is held as a new approval', async () => {
    verifies('approval.passes-once');
    verifies('approval.audited-with-actor');
    const { send, approve, store } = await setup();
    const held = await send();
    await approve(held.decision.approval?.id ?? '', 'bob');
    const passed = await send();
    expect(passed.decision).toMatchObject({
      verdict: 'allow',
      policyIds: ['airlock:approval', 'needs-one'],
    });
    const replay = await send();
    expect(replay.decision).toMatchObject({ verdict: 'hold', approval: { id: 'apr_2' } });
    const kinds = (await store.readAudit())
      .filter((r) => r.kind.startsWith('approval.'))
      .map((r) => [r.kind, r.actor]);
    expect(kinds).toEqual([
      ['approval.created', 'agent:deploy-bot'],
      ['approval.approved', 'human:bob'],
      ['approval.executed', 'agent:deploy-bot'],
      ['approval.created', 'agent:deploy-bot'],
    ]);
  });

  it('binds an approval to the identical request only', async () => {
    verifies('approval.bound-to-request');
    const { send, approve } = await setup();
    const held = await send(testAction('destructive', 'staging', 'vol_1'));
    await approve(held.decision.approval?.id ?? '', 'bob');
    const other = await send(testAction('destructive', 'staging', 'vol_2'));
    expect(other.decision).toMatchObject({ verdict: 'hold', approval: { id: 'apr_2' } });
  });

  it('needs two distinct approvers in production, with the target typed to confirm', async () => {
    verifies('approval.distinct-approvers');
    verifies('hold.production-needs-two');
    verifies('approval.confirm-irreversible-production');
    const { send, approve } = await setup();
    const action = testAction('destructive', 'production', 'vol_prod');
    const id = (await send(action)).decision.approval?.id ?? '';
    await expect(approve(id, 'bob')).rejects.toMatchObject({ code: 'approval.confirm-required' });
    await approve(id, 'bob', ['vol_prod']);
    await expect(approve(id, 'bob', ['vol_prod'])).rejects.toMatchObject({
      code: 'approval.refused',
    });
    expect((await send(action)).decision.verdict).toBe('hold');
    const done = await approve(id, 'carol', ['vol_prod']);
    expect(done.state).toBe('approved');
    expect((await send(action)).decision.verdict).toBe('allow');
  });

  it('never lets the agent, its namesake, the owner or a wrong code approve', async () => {
    verifies('approval.agent-never-approves');
    const { send, approve, service, token } = await setup();
    const id = (await send()).decision.approval?.id ?? '';
    await expect(approve(id, 'deploy-bot')).rejects.toMatchObject({ code: 'approval.refused' });
    await expect(approve(id, 'alice')).rejects.toMatchObject({ code: 'approval.refused' });
    await expect(service.approve(id, 'bob', { kind: 'totp', code: token })).rejects.toMatchObject({
      code: 'approver.unauthorized',
    });
    await expect(
      service.approve(id, 'bob', { kind: 'totp', code: `${SECRET} bob` }),
    ).rejects.toMatchObject({ code: 'approver.unauthorized' });
    await expect(
      service.approve(id, 'nobody', { kind: 'totp', code: '123456' }),
    ).rejects.toMatchObject({ code: 'approver.unauthorized' });
    expect((await service.get(id)).state).toBe('pending');
  });

  it('keeps an approver within their scope; an unknown environment needs `*`', async () => {
    verifies('approval.approver-scope');
    const { send, approve, phones } = await setup();
    await phones.enrol({ name: 'stan', upstreams: ['railway'], environments: ['staging'] });
    const unknown =
      (await send(testAction('destructive', undefined, 'vol_x'))).decision.approval?.id ?? '';
    await expect(approve(unknown, 'stan', ['vol_x'])).rejects.toMatchObject({
      code: 'approval.refused',
    });
    const staging = (await send()).decision.approval?.id ?? '';
    expect((await approve(staging, 'stan')).state).toBe('approved');
  });

  it('lets nothing through once expired, and takes no vote', async () => {
    verifies('approval.expired-never-passes');
    const { send, approve, clock, store } = await setup({ ttlMs: 1_000 });
    const id = (await send()).decision.approval?.id ?? '';
    await approve(id, 'bob');
    clock.advance(1_000);
    const after = await send();
    expect(after.decision).toMatchObject({ verdict: 'hold', approval: { id: 'apr_2' } });
    expect((await store.getApproval(id))?.state).toBe('expired');
    clock.advance(1_000);
    await expect(approve('apr_2', 'bob')).rejects.toMatchObject({ code: 'approval.expired' });
    expect(
      (await store.readAudit()).filter((r) => r.kind === 'approval.expired').map((r) => r.actor),
    ).toEqual(['system', 'system']);
  });

  it('ends on one deny: the identical request is then denied, the record naming who (the agent is told neither who nor why)', async () => {
    verifies('approval.deny-ends-it');
    verifies('approval.audited-with-actor');
    const { send, service, phones, store } = await setup();
    const id = (await send()).decision.approval?.id ?? '';
    await service.deny(id, 'carol', await phones.factor('carol'), 'not today');
    const retry = await send();
    expect(retry.decision.verdict).toBe('deny');
    expect(retry.decision.reasons[0]).toMatch(/denied: a human decided against it/);
    expect(retry.decision.reasons[0]).not.toMatch(/carol|not today/);
    const denied = (await store.readAudit()).find((r) => r.kind === 'approval.denied');
    expect(denied).toMatchObject({
      actor: 'human:carol',
      data: { reason: 'not today', approvalId: id },
    });
  });

  it('lets only one of two racing identical requests through, on SQLite too', async () => {
    verifies('approval.passes-once');
    verifies('approval.compare-and-set');
    const { send, approve } = await setup({}, openSqliteStore({ path: ':memory:' }));
    const id = (await send()).decision.approval?.id ?? '';
    await approve(id, 'bob');
    const verdicts = (await Promise.all([send(), send(), send()])).map((j) => j.decision.verdict);
    expect(verdicts.filter((v) => v === 'allow')).toHaveLength(1);
  });

  it('never shows or stores a credential in clear, nor shows a TOTP secret', async () => {
    verifies('approver.credential-hashed');
    const { service, phones, store } = await setup();
    const listed = JSON.stringify(await service.listApprovers());
    expect(listed).not.toContain(SECRET);
    expect(listed).not.toContain('scrypt');
    expect(listed).not.toContain(phones.secretOf('bob'));
    const stored = await store.getApprover('bob');
    expect(stored?.credentialHash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(JSON.stringify(await store.readAudit())).not.toContain(SECRET);
    expect(JSON.stringify(await store.readAudit())).not.toContain(phones.secretOf('bob'));
    await expect(
      service.addApprover(
        { name: 'weak', credential: 'short', upstreams: ['*'], environments: ['*'] },
        'human:root',
      ),
    ).rejects.toMatchObject({ code: 'input.invalid' });
  });
});
