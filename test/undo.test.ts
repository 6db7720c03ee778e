import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHeldRequest } from '../src/adapters/graphql/index.js';
import type {
  Approval,
  ApprovalEvent,
  DelayedActionResultV1,
  HeldRequestV1,
  Store,
} from '../src/core/index.js';
import {
  EFFECTS,
  FixedClock,
  SeededRandom,
  SequentialIds,
  applyApprovalEvent,
} from '../src/core/index.js';
import { parseConfig } from '../src/config/index.js';
import type { GrantRequest, UndoRule } from '../src/firewall/index.js';
import {
  ApprovalService,
  DEFAULT_APPROVAL_OPTIONS,
  Firewall,
  GrantService,
  UndoExecutor,
} from '../src/firewall/index.js';
import { DefaultRulesEngine, TestAuthenticator, testAction } from '../src/firewall/test-harness.js';
import { MemoryStore, openSqliteStore } from '../src/stores/index.js';
import { verifies } from './requirements.js';

const FULL: GrantRequest = {
  agent: 'deploy-bot',
  owner: 'alice',
  upstreams: ['railway'],
  environments: ['*'],
  effects: [...EFFECTS],
  resources: ['*'],
  ttlMs: 86_400_000,
};
const FIVE_MINUTES = 300_000;
const HELD: HeldRequestV1 = {
  upstream: 'railway',
  surface: 'graphql',
  method: 'POST',
  search: '',
  headers: { 'content-type': 'application/json' },
  body: '{"query":"mutation { volumeDelete(volumeId: \\"vol_1\\") }"}',
};

async function setup(options: { store?: Store; undo?: UndoRule[]; ttlMs?: number } = {}) {
  const store = options.store ?? new MemoryStore();
  const clock = new FixedClock();
  const ids = new SequentialIds();
  const engine = new DefaultRulesEngine();
  const undo = options.undo ?? [
    {
      upstreams: ['railway'],
      operations: ['volumeDelete'],
      effects: ['destructive'],
      delayMs: FIVE_MINUTES,
    },
  ];
  const approvals = { ...DEFAULT_APPROVAL_OPTIONS, ttlMs: options.ttlMs ?? 600_000 };
  const firewall = new Firewall({
    store,
    engine: () => engine,
    clock,
    ids,
    decide: { productionEnvironments: ['production'], approvalsObtainable: 2 },
    freeze: { maxDenials: 50, windowMs: 60_000 },
    approvals,
    undo,
  });
  const grants = new GrantService({
    store,
    clock,
    ids,
    random: new SeededRandom(),
    limits: { maxTtlMs: 86_400_000 },
  });
  const { token, grant } = await grants.issue(FULL, 'human:alice');
  const service = new ApprovalService({
    store,
    clock,
    random: new SeededRandom('approvers'),
    rules: approvals,
    productionEnvironments: ['production'],
  });
  const phones = new TestAuthenticator({ service, store, clock });
  for (const name of ['bob', 'carol'])
    await phones.enrol({ name, upstreams: ['*'], environments: ['*'] });
  const sent: HeldRequestV1[] = [];
  let answer: () => Promise<DelayedActionResultV1> = async () => ({
    status: 200,
    contentType: 'application/json',
    body: '{"data":{"volumeDelete":true}}',
  });
  const executor = new UndoExecutor({
    store,
    clock,
    rules: approvals,
    runnerFor: () => async (request) => {
      sent.push(request);
      return answer();
    },
  });
  const send = (action = testAction('destructive', 'staging')) =>
    firewall.judge(
      { surface: 'graphql', digest: action.digest, actions: [action], replay: () => HELD },
      token,
    );
  const approve = async (id: string, name = 'bob') =>
    service.approve(id, name, await phones.factor(name));
  const kinds = async () =>
    (await store.readAudit())
      .filter((r) => r.kind.startsWith('approval.'))
      .map((r) => `${r.kind} ${r.actor}`);
  return {
    store,
    clock,
    service,
    phones,
    executor,
    send,
    approve,
    sent,
    kinds,
    grants,
    grantId: grant.id,
    setAnswer: (next: typeof answer) => (answer = next),
  };
}

describe('the undo window', () => {
  it("runs an approved delayed action once, after the window, and never on the agent's retry", async () => {
    verifies('undo.runs-after-window-once');
    const { send, approve, executor, clock, sent, store, kinds } = await setup();
    const id = (await send()).decision.approval?.id ?? '';
    expect(await store.getDelayedAction(id)).toMatchObject({ status: 'waiting', request: HELD });
    const approved = await approve(id);
    expect(approved).toMatchObject({
      state: 'approved',
      undoWindowMs: FIVE_MINUTES,
      runAt: clock.now() + FIVE_MINUTES,
    });
    // The agent sends the identical request again: it does not pass, Airlock will run it.
    const retry = await send();
    expect(retry.decision).toMatchObject({ verdict: 'hold', approval: { id } });
    expect(retry.decision.reasons[0]).toContain('Airlock itself runs it');
    clock.advance(FIVE_MINUTES - 1);
    expect(await executor.tick()).toEqual([]);
    clock.advance(1);
    expect(await executor.tick()).toEqual([id]);
    expect(await executor.tick()).toEqual([]);
    expect(sent).toEqual([HELD]);
    expect(await store.getDelayedAction(id)).toMatchObject({
      status: 'done',
      result: { status: 200, body: '{"data":{"volumeDelete":true}}' },
    });
    expect((await store.getApproval(id))?.state).toBe('executed');
    expect(await kinds()).toEqual([
      'approval.created agent:deploy-bot',
      'approval.approved human:bob',
      'approval.executed system',
      'approval.ran system',
    ]);
  });

  it('stays approved past the ttl while its window runs, so a late approval still runs', async () => {
    const { send, approve, executor, clock, sent } = await setup({ ttlMs: 60_000 });
    const id = (await send()).decision.approval?.id ?? '';
    clock.advance(59_000);
    await approve(id);
    clock.advance(FIVE_MINUTES);
    expect(await executor.tick()).toEqual([id]);
    expect(sent).toHaveLength(1);
  });

  it('never runs what an approver cancelled within the window', async () => {
    verifies('undo.cancel-stops-it');
    const { send, approve, executor, clock, sent, service, phones, store, kinds } = await setup();
    const id = (await send()).decision.approval?.id ?? '';
    await approve(id);
    clock.advance(60_000);
    await expect(
      service.cancelAsApprover(id, 'carol', { kind: 'totp', code: '000000' }),
    ).rejects.toMatchObject({ code: 'approver.unauthorized' });
    expect((await service.cancelAsApprover(id, 'carol', await phones.factor('carol'))).state).toBe(
      'cancelled',
    );
    clock.advance(FIVE_MINUTES);
    expect(await executor.tick()).toEqual([]);
    expect(sent).toEqual([]);
    expect(await store.getDelayedAction(id)).toMatchObject({ status: 'waiting' });
    expect((await kinds()).at(-1)).toBe('approval.cancelled human:carol');
  });

  it("cancels instead of running when the agent's grant is revoked during the window", async () => {
    verifies('undo.cancel-stops-it');
    const { send, approve, executor, clock, sent, store, kinds, grants, grantId } = await setup();
    const id = (await send()).decision.approval?.id ?? '';
    await approve(id);
    await grants.revoke(grantId, 'human:alice');
    clock.advance(FIVE_MINUTES);
    expect(await executor.tick()).toEqual([]);
    expect(sent).toEqual([]);
    expect((await store.getApproval(id))?.state).toBe('cancelled');
    expect((await kinds()).at(-1)).toBe('approval.cancelled system');
    expect((await store.readAudit()).at(-1)?.data['reason']).toContain('was revoked');
  });

  it('marks an action claimed by a process that died as unknown, audited, and never runs it again', async () => {
    verifies('undo.crash-never-runs-twice');
    const store = openSqliteStore({ path: ':memory:' });
    const { send, approve, executor, clock, sent, kinds } = await setup({ store });
    const id = (await send()).decision.approval?.id ?? '';
    const approved = await approve(id);
    clock.advance(FIVE_MINUTES);
    // What a process killed between claiming and recording the answer leaves behind.
    await store.claimDelayedAction(
      { ...approved, state: 'executed', decidedAt: clock.now() },
      approved.version,
      clock.now(),
    );
    expect(await executor.recover()).toMatchObject([{ approvalId: id, status: 'unknown' }]);
    expect(await executor.tick()).toEqual([]);
    expect(await executor.recover()).toEqual([]);
    expect(sent).toEqual([]);
    expect((await kinds()).at(-1)).toBe('approval.outcome-unknown system');
  });

  it('records an unanswered run as unknown rather than trying again', async () => {
    const { send, approve, executor, clock, sent, store, setAnswer } = await setup();
    setAnswer(async () => {
      throw new Error('socket hang up');
    });
    const id = (await send()).decision.approval?.id ?? '';
    await approve(id);
    clock.advance(FIVE_MINUTES);
    await executor.tick();
    await executor.tick();
    expect(sent).toHaveLength(1);
    expect(await store.getDelayedAction(id)).toMatchObject({
      status: 'unknown',
      note: expect.stringContaining('socket hang up'),
    });
  });

  it("leaves actions no rule names to the agent's own retry, exactly once", async () => {
    const { send, approve, store } = await setup({
      undo: [
        {
          upstreams: ['other'],
          operations: ['*'],
          effects: ['destructive'],
          delayMs: FIVE_MINUTES,
        },
      ],
    });
    const id = (await send()).decision.approval?.id ?? '';
    expect(await store.getDelayedAction(id)).toBeUndefined();
    await approve(id);
    expect((await send()).decision.verdict).toBe('allow');
    expect((await send()).decision.verdict).toBe('hold');
  });

  it('keeps neither the agent token nor any credential header with a held GraphQL request', () => {
    verifies('undo.held-request-has-no-credential');
    const body = Buffer.from('{"query":"mutation { volumeDelete(volumeId: \\"vol_1\\") }"}');
    const held = toHeldRequest('railway', {
      method: 'POST',
      token: 'alk_agent_token',
      search: '',
      body,
      headers: {
        authorization: 'Bearer alk_agent_token',
        'project-access-token': 'railway-secret',
        cookie: 'session=railway-secret',
        'x-api-key': 'railway-secret',
        'content-type': 'application/json',
        accept: 'application/json',
      },
      classifierInput: {},
    });
    expect(held).toEqual({
      upstream: 'railway',
      surface: 'graphql',
      method: 'POST',
      search: '',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: body.toString('utf8'),
    });
    expect(JSON.stringify(held)).not.toMatch(/alk_agent_token|railway-secret/);
  });
});

describe('the undo window in the approval state machine', () => {
  const base: Approval = {
    id: 'apr_1',
    version: 1,
    requestDigest: 'd'.repeat(64),
    grantId: 'grt_1',
    agent: 'deploy-bot',
    owner: 'alice',
    surface: 'graphql',
    actions: [],
    needed: 2,
    approvals: [],
    denials: [],
    state: 'pending',
    createdAt: 0,
    expiresAt: 100,
    policyIds: [],
    reasons: [],
    undoWindowMs: 30,
  };
  const events: fc.Arbitrary<ApprovalEvent> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .constantFrom('human:bob', 'human:carol', 'human:dave')
        .map((actor) => ({ type: 'approve' as const, actor })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('human:bob', 'system')
        .map((actor) => ({ type: 'cancel' as const, actor })),
    },
    { weight: 1, arbitrary: fc.constant({ type: 'expire' as const }) },
    { weight: 6, arbitrary: fc.constant({ type: 'execute' as const }) },
  );

  it('never executes before the window after approval has passed, nor after a cancel, and runs at most once', () => {
    verifies('undo.runs-after-window-once');
    let runs = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ event: events, advanceMs: fc.nat(12) }), { maxLength: 40 }),
        (steps) => {
          let approval = base;
          let now = 0;
          let approvedAt: number | undefined;
          let executions = 0;
          for (const { event, advanceMs } of steps) {
            now += advanceMs;
            const next = applyApprovalEvent(approval, event, now);
            if (!next.ok) continue;
            if (next.value.state === 'approved' && approval.state !== 'approved') {
              approvedAt = now;
              // Scheduled one window after approval, and alive at least one ttl past that.
              expect(next.value.runAt).toBe(now + 30);
              expect(next.value.expiresAt).toBeGreaterThanOrEqual(now + 30 + 100);
            }
            if (next.value.state === 'executed') {
              executions += 1;
              expect(approval.state).toBe('approved');
              expect(now).toBeGreaterThanOrEqual((approvedAt ?? Infinity) + 30);
            }
            approval = next.value;
          }
          expect(executions).toBeLessThanOrEqual(1);
          runs += executions;
        },
      ),
      { numRuns: 500 },
    );
    // The generator does reach execution, so the checks above were exercised.
    expect(runs).toBeGreaterThan(0);
  });
});

describe('undo and webhook config', () => {
  it('reads undo rules with defaults, and refuses a webhook that could not be signed or names its URL twice', () => {
    const good = parseConfig({
      approvals: { undo: [{ delay: '5m', operations: ['volumeDelete'] }] },
      webhooks: {
        endpoints: {
          ops: { url: 'https://x.test/h', secretEnv: 'HOOK_SECRET' },
          chat: { urlEnv: 'SLACK_URL', format: 'slack' },
        },
      },
    });
    expect(good.ok && good.value.approvals.undo).toEqual([
      { delay: 300_000, upstreams: ['*'], operations: ['volumeDelete'], effects: ['destructive'] },
    ]);
    const unsigned = parseConfig({ webhooks: { endpoints: { ops: { url: 'https://x.test/h' } } } });
    expect(unsigned.ok ? [] : unsigned.error.join('\n')).toContain('needs secretEnv');
    const twice = parseConfig({
      webhooks: {
        endpoints: { ops: { url: 'https://x.test/h', urlEnv: 'HOOK_URL', secretEnv: 'S' } },
      },
    });
    expect(twice.ok ? [] : twice.error.join('\n')).toContain('exactly one of url and urlEnv');
    const inlined = parseConfig({
      webhooks: { endpoints: { ops: { url: 'https://x.test/h', secretEnv: 'whsec_live_secret' } } },
    });
    expect(inlined.ok).toBe(false);
  });
});
