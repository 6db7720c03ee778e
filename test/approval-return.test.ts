import { describe, expect, it } from 'vitest';
import { verifies } from './requirements.js';
import type { Store } from '../src/core/index.js';
import { EFFECTS, SeededRandom } from '../src/core/index.js';
import { MemoryStore, openSqliteStore } from '../src/stores/index.js';
import { ApprovalService } from '../src/firewall/index.js';
import { TestAuthenticator, createTestFirewall, testAction } from '../src/firewall/test-harness.js';

async function setup(store: Store) {
  const harness = createTestFirewall(store);
  const { token } = await harness.grants.issue(
    {
      agent: 'deploy-bot',
      owner: 'alice',
      upstreams: ['railway'],
      environments: ['*'],
      effects: [...EFFECTS],
      resources: ['*'],
      ttlMs: 3_600_000,
    },
    'human:alice',
  );
  const service = new ApprovalService({
    store,
    clock: harness.clock,
    random: new SeededRandom('approvers'),
    rules: { denyEndsIt: true, ownerMayApprove: false },
    productionEnvironments: ['production'],
  });
  const phones = new TestAuthenticator({ service, store, clock: harness.clock });
  await phones.enrol({ name: 'bob', upstreams: ['railway'], environments: ['*'] });
  const action = testAction('destructive', 'staging');
  const send = () =>
    harness.firewall.judge({ surface: 'graphql', digest: action.digest, actions: [action] }, token);
  const approve = async (id: string) => service.approve(id, 'bob', await phones.factor('bob'));
  /** The request held, approved by bob, and sent again: its decision allows it once. */
  const approvedAndSent = async () => {
    const held = await send();
    await approve(held.decision.approval?.id ?? '');
    const sent = await send();
    expect(sent.decision.verdict).toBe('allow');
    return sent.decision;
  };
  const kinds = async () =>
    (await store.readAudit()).filter((r) => r.kind.startsWith('approval.')).map((r) => r.kind);
  return { ...harness, store, send, approvedAndSent, kinds };
}

const STORES: [string, () => Store][] = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => openSqliteStore({ path: ':memory:' })],
];

describe.each(STORES)(
  'returning an approval whose request never ran (%s store)',
  (_name, makeStore) => {
    it('returns it to approved, audited with the reason, and the identical request then passes once more', async () => {
      verifies('approval.passes-once');
      verifies('approval.audited-with-actor');
      const { firewall, store, send, approvedAndSent, kinds } = await setup(makeStore());
      const allowed = await approvedAndSent();
      expect(await firewall.returnApproval(allowed, 'the snapshot failed: pg_dump failed')).toBe(
        true,
      );
      expect(await store.getApproval('apr_1')).toMatchObject({ state: 'approved' });
      const returned = (await store.readAudit()).find((r) => r.kind === 'approval.returned');
      expect(returned).toMatchObject({
        actor: 'system',
        data: {
          approvalId: 'apr_1',
          state: 'approved',
          reason: 'the snapshot failed: pg_dump failed',
        },
      });
      const retried = await send();
      expect(retried.decision).toMatchObject({ verdict: 'allow', approval: { id: 'apr_1' } });
      // Once: after the retry executed it, the next identical request is a new hold.
      expect((await send()).decision).toMatchObject({ verdict: 'hold', approval: { id: 'apr_2' } });
      expect(await kinds()).toEqual([
        'approval.created',
        'approval.approved',
        'approval.executed',
        'approval.returned',
        'approval.executed',
        'approval.created',
      ]);
    });

    it('returns it once per decision: neither twice, nor after a retry executed it again', async () => {
      verifies('approval.compare-and-set');
      const { firewall, store, send, approvedAndSent } = await setup(makeStore());
      const allowed = await approvedAndSent();
      expect(await firewall.returnApproval(allowed, 'first')).toBe(true);
      expect(await firewall.returnApproval(allowed, 'second')).toBe(false);
      const retried = await send();
      expect(retried.decision.verdict).toBe('allow');
      // The first decision cannot give back what the retry's execution used.
      expect(await firewall.returnApproval(allowed, 'stale')).toBe(false);
      expect(await store.getApproval('apr_1')).toMatchObject({ state: 'executed' });
      expect((await store.readAudit()).filter((r) => r.kind === 'approval.returned')).toHaveLength(
        1,
      );
    });

    it('returns nothing for a decision that did not execute an approval, or one forged from its ids', async () => {
      const { firewall, store, send, approvedAndSent } = await setup(makeStore());
      const allowed = await approvedAndSent();
      const held = await send();
      expect(held.decision.verdict).toBe('hold');
      expect(await firewall.returnApproval(held.decision, 'a hold')).toBe(false);
      expect(await firewall.returnApproval({ ...allowed, id: 'dec_forged' }, 'forged')).toBe(false);
      expect(
        await firewall.returnApproval(
          { ...allowed, approval: { needed: 1, id: 'apr_2' } },
          'another approval',
        ),
      ).toBe(false);
      expect(await store.getApproval('apr_1')).toMatchObject({ state: 'executed' });
    });

    it('returns nothing once the approval changed since the decision executed it', async () => {
      const { firewall, store, approvedAndSent } = await setup(makeStore());
      const allowed = await approvedAndSent();
      const executed = await store.getApproval('apr_1');
      if (executed === undefined) throw new Error('missing');
      // Anything else that touched it (here a bare version bump) makes the decision's return stale.
      await store.updateApproval(executed, executed.version);
      expect(await firewall.returnApproval(allowed, 'late')).toBe(false);
      expect(await store.getApproval('apr_1')).toMatchObject({ state: 'executed' });
    });
  },
);
