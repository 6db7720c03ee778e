import { afterEach, describe, expect, it } from 'vitest';
import type { AuditRecord, PolicyEngine, Store } from '../src/core/index.js';
import { EFFECTS, SequentialIds } from '../src/core/index.js';
import { DEFAULT_APPROVAL_OPTIONS, Firewall } from '../src/firewall/index.js';
import { DecisionReuse } from '../src/firewall/decision-reuse.js';
import {
  DefaultRulesEngine,
  createTestFirewall,
  testAction,
} from '../src/firewall/test-harness.js';
import { MemoryStore } from '../src/stores/index.js';
import { verifies } from './requirements.js';

const LIFETIME_MS = 1_000;
const open: DecisionReuse[] = [];

afterEach(async () => {
  for (const reuse of open.splice(0)) await reuse.close();
});

async function setup(options: { store?: Store; ttlMs?: number } = {}) {
  const store = options.store ?? new MemoryStore();
  const harness = createTestFirewall(store);
  const issued = await harness.grants.issue(
    {
      agent: 'reader',
      owner: 'alice',
      upstreams: ['railway'],
      environments: ['*'],
      effects: [...EFFECTS],
      resources: ['*'],
      ttlMs: options.ttlMs ?? 3_600_000,
    },
    'human:alice',
  );
  const reuse = new DecisionReuse(harness.firewall, {
    surface: 'sql',
    lifetimeMs: LIFETIME_MS,
    maxEntries: 16,
  });
  open.push(reuse);
  const judgeRead = async () => {
    const action = testAction('read', 'staging');
    return harness.firewall.judge(
      { surface: 'sql', digest: action.digest, actions: [action] },
      issued.token,
    );
  };
  return { ...harness, store, token: issued.token, reuse, judgeRead };
}

async function reusedRecords(store: Store): Promise<AuditRecord[]> {
  return (await store.readAudit()).filter((record) => record.kind === 'decision.reused');
}

describe('DecisionReuse', () => {
  it('reuses a recorded allow for the same token and shape, and counts every reuse in the audit log', async () => {
    verifies('pg.reuse-on-the-record');
    const { reuse, token, store, judgeRead, clock } = await setup();
    expect(reuse.reuse(token, 'shape-a')).toBeUndefined();
    const { decision, principal } = await judgeRead();
    reuse.remember(token, 'shape-a', 'SELECT a FROM t WHERE id = $1', decision, principal);
    for (let i = 0; i < 5; i++) {
      clock.advance(10);
      expect(reuse.reuse(token, 'shape-a')?.decision.id).toBe(decision.id);
    }
    expect(reuse.reuse(token, 'shape-b')).toBeUndefined();
    expect(reuse.reuse('alk_someone_else', 'shape-a')).toBeUndefined();
    await reuse.flush();
    const [record] = await reusedRecords(store);
    expect(record?.data).toMatchObject({
      decisionId: decision.id,
      count: 5,
      shape: 'SELECT a FROM t WHERE id = $1',
      surface: 'sql',
      agent: 'reader',
    });
    expect(JSON.stringify(record)).not.toContain(token);
    // Nothing new to count: no empty record.
    await reuse.flush();
    expect(await reusedRecords(store)).toHaveLength(1);
  });

  it('stops reusing at the end of its lifetime and writes the count before it forgets', async () => {
    const { reuse, token, store, judgeRead, clock } = await setup();
    const { decision, principal } = await judgeRead();
    reuse.remember(token, 'shape', 'shape', decision, principal);
    expect(reuse.reuse(token, 'shape')).toBeDefined();
    clock.advance(LIFETIME_MS);
    expect(reuse.reuse(token, 'shape')).toBeUndefined();
    await reuse.flush();
    expect((await reusedRecords(store))[0]?.data).toMatchObject({ count: 1 });
    expect(reuse.reuse(token, 'shape')).toBeUndefined();
  });

  it('never outlives the grant', async () => {
    const { reuse, token, judgeRead, clock } = await setup({ ttlMs: 300 });
    const { decision, principal } = await judgeRead();
    reuse.remember(token, 'shape', 'shape', decision, principal);
    clock.advance(299);
    expect(reuse.reuse(token, 'shape')).toBeDefined();
    clock.advance(1);
    expect(reuse.reuse(token, 'shape')).toBeUndefined();
  });

  it('remembers only allows', async () => {
    const { reuse, token, firewall } = await setup();
    const action = testAction('destructive', 'production');
    const held = await firewall.judge(
      { surface: 'sql', digest: action.digest, actions: [action] },
      token,
    );
    expect(held.decision.verdict).toBe('hold');
    reuse.remember(token, 'shape', 'shape', held.decision, held.principal);
    expect(reuse.reuse(token, 'shape')).toBeUndefined();
    const denied = await firewall.judge(
      { surface: 'sql', digest: action.digest, actions: [action] },
      'alk_not_a_token',
    );
    reuse.remember('alk_not_a_token', 'shape', 'shape', denied.decision, denied.principal);
    expect(reuse.reuse('alk_not_a_token', 'shape')).toBeUndefined();
  });

  it('ends all reuse when a count cannot be written, so the next request is judged and recorded in full', async () => {
    verifies('pg.reuse-on-the-record');
    const store = new MemoryStore();
    const { reuse, token, judgeRead } = await setup({ store });
    const { decision, principal } = await judgeRead();
    reuse.remember(token, 'shape', 'shape', decision, principal);
    expect(reuse.reuse(token, 'shape')).toBeDefined();
    const append = store.appendAudit.bind(store);
    store.appendAudit = () => Promise.reject(new Error('disk full'));
    await reuse.flush();
    expect(reuse.reuse(token, 'shape')).toBeUndefined();
    // The full path is now the only path, and it fails closed while the log is down.
    expect((await judgeRead()).decision.verdict).toBe('deny');
    store.appendAudit = append;
  });
});

describe('DecisionReuse.tally', () => {
  it('counts runs on an earlier decision and writes them like reuses, describing each once per record', async () => {
    verifies('pg.reuse-on-the-record');
    const { reuse, token, store, judgeRead } = await setup();
    const { decision, principal } = await judgeRead();
    let described = 0;
    const describe = () => {
      described++;
      return 'INSERT INTO t VALUES ($1)';
    };
    for (let i = 0; i < 4; i++)
      expect(reuse.tally(token, 'stmt', describe, decision, principal)).toBe(true);
    // A tally is never a reusable allow.
    expect(reuse.reuse(token, 'stmt')).toBeUndefined();
    await reuse.flush();
    expect(described).toBe(1);
    expect((await reusedRecords(store))[0]?.data).toMatchObject({
      decisionId: decision.id,
      count: 4,
      shape: 'INSERT INTO t VALUES ($1)',
    });
  });

  it('keeps one count per decision when sessions sharing a token run the same text in turn', async () => {
    verifies('pg.reuse-on-the-record');
    const { reuse, token, store, judgeRead } = await setup();
    const first = await judgeRead();
    const second = await judgeRead();
    for (let i = 0; i < 3; i++) {
      expect(
        reuse.tally(token, 'stmt', () => 'UPDATE t SET a = $1', first.decision, first.principal),
      ).toBe(true);
      expect(
        reuse.tally(token, 'stmt', () => 'UPDATE t SET a = $1', second.decision, second.principal),
      ).toBe(true);
    }
    // Nothing is written until the flush: turns between sessions do not cost a record each.
    expect(await reusedRecords(store)).toHaveLength(0);
    await reuse.flush();
    const counts = (await reusedRecords(store)).map((record) => [
      record.data['decisionId'],
      record.data['count'],
    ]);
    expect(counts).toEqual([
      [first.decision.id, 3],
      [second.decision.id, 3],
    ]);
  });

  it('writes the counts of one flush together, and stops counting when any of them fails', async () => {
    const { reuse, token, store, judgeRead } = await setup();
    const [first, second, third] = [await judgeRead(), await judgeRead(), await judgeRead()];
    for (const run of [first, second, third])
      reuse.tally(token, 'stmt', () => 'x', run.decision, run.principal);
    const append = store.appendAudit.bind(store);
    let calls = 0;
    store.appendAudit = (draft) =>
      ++calls === 2 ? Promise.reject(new Error('disk full')) : append(draft);
    await reuse.flush();
    // The counts around the failed one are still on the record, in order.
    expect((await reusedRecords(store)).map((record) => record.data['decisionId'])).toEqual([
      first.decision.id,
      third.decision.id,
    ]);
    expect(second.decision.id).not.toBe(first.decision.id);
    expect(reuse.tally(token, 'stmt', () => 'x', first.decision, first.principal)).toBe(false);
    store.appendAudit = append;
  });

  it('refuses to count after a count could not be written, until a full judgment is recorded again', async () => {
    const store = new MemoryStore();
    const { reuse, token, judgeRead } = await setup({ store });
    const { decision, principal } = await judgeRead();
    expect(reuse.tally(token, 'stmt', () => 'x', decision, principal)).toBe(true);
    const append = store.appendAudit.bind(store);
    store.appendAudit = () => Promise.reject(new Error('disk full'));
    await reuse.flush();
    expect(reuse.tally(token, 'stmt', () => 'x', decision, principal)).toBe(false);
    store.appendAudit = append;
    const again = await judgeRead();
    reuse.remember(token, 'shape', 'shape', again.decision, again.principal);
    expect(reuse.tally(token, 'stmt', () => 'x', decision, principal)).toBe(true);
  });
});

describe('DecisionReuse and the policy in force', () => {
  it('stops reusing when another policy comes into force', async () => {
    verifies('pg.reuse-on-the-record');
    const store = new MemoryStore();
    let current: PolicyEngine = new DefaultRulesEngine();
    const harness = createTestFirewall(store, { engine: new DefaultRulesEngine() });
    // A firewall whose engine() answers whatever `current` is, as a reload would.
    const firewall = new Firewall({
      store,
      engine: () => current,
      clock: harness.clock,
      ids: new SequentialIds(),
      decide: { productionEnvironments: ['production'], approvalsObtainable: 2 },
      freeze: { maxDenials: 3, windowMs: 60_000 },
      approvals: DEFAULT_APPROVAL_OPTIONS,
    });
    const issued = await harness.grants.issue(
      {
        agent: 'reader',
        owner: 'alice',
        upstreams: ['railway'],
        environments: ['*'],
        effects: [...EFFECTS],
        resources: ['*'],
        ttlMs: 3_600_000,
      },
      'human:alice',
    );
    const reuse = new DecisionReuse(firewall, {
      surface: 'sql',
      lifetimeMs: LIFETIME_MS,
      maxEntries: 16,
    });
    open.push(reuse);
    const action = testAction('read', 'staging');
    const { decision, principal } = await firewall.judge(
      { surface: 'sql', digest: action.digest, actions: [action] },
      issued.token,
    );
    reuse.remember(issued.token, 'shape', 'shape', decision, principal);
    expect(reuse.reuse(issued.token, 'shape')).toBeDefined();
    current = new DefaultRulesEngine();
    expect(reuse.reuse(issued.token, 'shape')).toBeUndefined();
  });
});
