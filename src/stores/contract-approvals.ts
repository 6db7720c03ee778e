import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { Approval, ApprovalStore, DelayedActionV1 } from '../core/index.js';
import type { Opened } from './contract-fixtures.js';
import { expectFirewallError, tryToMutate, useStore } from './contract-fixtures.js';

/** A plausible pending approval for grant `grt_1`; overrides replace fields. */
export function sampleApproval(id: string, overrides: Partial<Approval> = {}): Approval {
  return {
    id,
    version: 1,
    requestDigest: 'd'.repeat(64),
    grantId: 'grt_1',
    agent: 'deploy-bot',
    owner: 'alice',
    surface: 'graphql',
    actions: [
      {
        upstream: 'railway',
        operation: 'volumeDelete',
        effect: 'destructive',
        reversible: false,
        targets: [
          { type: 'volume', id: 'vol_1', environment: 'production' },
          { type: 'volume', id: 'vol_2' },
        ],
      },
    ],
    needed: 2,
    approvals: [],
    denials: [],
    state: 'pending',
    createdAt: 1_000,
    expiresAt: 61_000,
    policyIds: ['needs-two-in-production'],
    reasons: ['held for 2 human approvals'],
    ...overrides,
  };
}

/** A delayed action waiting on approval `approvalId`. */
export function sampleDelayedAction(
  approvalId: string,
  overrides: Partial<DelayedActionV1> = {},
): DelayedActionV1 {
  return {
    approvalId,
    status: 'waiting',
    request: {
      upstream: 'railway',
      surface: 'graphql',
      method: 'POST',
      search: '',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"mutation { volumeDelete(volumeId: \\"vol_1\\") }"}',
    },
    createdAt: 1_000,
    ...overrides,
  };
}

/** The `ApprovalStore` part of the store contract: approvals and the delayed actions that carry them out. */
export function runApprovalContract(makeStore: () => Promise<Opened<ApprovalStore>>): void {
  const store = useStore(makeStore);

  describe('approvals', () => {
    it('reads back an inserted approval, and lists by state oldest first', async () => {
      const first = sampleApproval('apr_1', { createdAt: 3_000 });
      const second = sampleApproval('apr_2', {
        createdAt: 2_000,
        state: 'denied',
        decidedAt: 2_500,
        requestDigest: 'e'.repeat(64),
      });
      await store().insertApproval(first);
      await store().insertApproval(second);
      expect(await store().getApproval('apr_1')).toEqual(first);
      expect(await store().getApproval('apr_missing')).toBeUndefined();
      expect((await store().listApprovals()).map((a) => a.id)).toEqual(['apr_2', 'apr_1']);
      expect((await store().listApprovals({ state: 'pending' })).map((a) => a.id)).toEqual([
        'apr_1',
      ]);
    });

    it('refuses a duplicate id, and a second pending approval for the same request', async () => {
      verifies('approval.one-pending-per-request');
      await store().insertApproval(sampleApproval('apr_1'));
      await expectFirewallError(
        store().insertApproval(sampleApproval('apr_1', { requestDigest: 'f'.repeat(64) })),
        'store.conflict',
      );
      await expectFirewallError(store().insertApproval(sampleApproval('apr_2')), 'store.conflict');
      await store().insertApproval(sampleApproval('apr_3', { grantId: 'grt_2' }));
      expect((await store().listApprovals()).map((a) => a.id)).toEqual(['apr_1', 'apr_3']);
    });

    it('updates by compare-and-set: the stale writer gets store.conflict', async () => {
      verifies('approval.compare-and-set');
      await store().insertApproval(sampleApproval('apr_1'));
      const read = await store().getApproval('apr_1');
      if (read === undefined) throw new Error('missing');
      const vote = { approver: 'human:bob', at: 5_000 };
      const updated = await store().updateApproval({ ...read, approvals: [vote] }, read.version);
      expect(updated).toMatchObject({ version: read.version + 1, approvals: [vote] });
      const other = { ...read, approvals: [{ approver: 'human:carol', at: 5_001 }] };
      await expectFirewallError(store().updateApproval(other, read.version), 'store.conflict');
      expect(await store().getApproval('apr_1')).toEqual(updated);
      await expectFirewallError(
        store().updateApproval(sampleApproval('apr_missing'), 1),
        'approval.not-found',
      );
    });

    it('finds the latest approval for a grant and request digest', async () => {
      await store().insertApproval(
        sampleApproval('apr_1', { state: 'executed', decidedAt: 1_500 }),
      );
      await store().insertApproval(sampleApproval('apr_2', { createdAt: 4_000 }));
      await store().insertApproval(sampleApproval('apr_3', { createdAt: 5_000, grantId: 'grt_2' }));
      expect((await store().findApprovalForRequest('grt_1', 'd'.repeat(64)))?.id).toBe('apr_2');
      expect(await store().findApprovalForRequest('grt_1', 'e'.repeat(64))).toBeUndefined();
    });

    it('hands out copies: mutating a returned approval changes nothing stored', async () => {
      verifies('store.isolated-copies');
      const approval = sampleApproval('apr_1');
      await store().insertApproval(approval);
      tryToMutate(() => (approval.approvals as unknown[]).push({ approver: 'human:x', at: 1 }));
      const read = await store().getApproval('apr_1');
      tryToMutate(() => (read?.approvals as unknown[]).push({ approver: 'human:x', at: 1 }));
      expect(await store().getApproval('apr_1')).toEqual(sampleApproval('apr_1'));
    });
  });

  describe('delayed actions', () => {
    it('stores one per approval and lists by status', async () => {
      await store().insertDelayedAction(sampleDelayedAction('apr_1'));
      await store().insertDelayedAction(
        sampleDelayedAction('apr_2', { status: 'done', createdAt: 500 }),
      );
      expect(await store().getDelayedAction('apr_1')).toEqual(sampleDelayedAction('apr_1'));
      expect(await store().getDelayedAction('apr_none')).toBeUndefined();
      await expectFirewallError(
        store().insertDelayedAction(sampleDelayedAction('apr_1')),
        'store.conflict',
      );
      expect(
        (await store().listDelayedActions({ status: 'waiting' })).map((a) => a.approvalId),
      ).toEqual(['apr_1']);
    });

    it('claims once: the approval and the action move together, and a second claim changes nothing', async () => {
      verifies('undo.crash-never-runs-twice');
      const approved = sampleApproval('apr_1', { state: 'approved', decidedAt: 2_000 });
      await store().insertApproval(approved);
      await store().insertDelayedAction(sampleDelayedAction('apr_1'));
      const executed = { ...approved, state: 'executed' as const, decidedAt: 3_000 };
      const stored = await store().claimDelayedAction(executed, approved.version, 3_000);
      expect(stored).toMatchObject({ state: 'executed', version: approved.version + 1 });
      expect(await store().getDelayedAction('apr_1')).toMatchObject({
        status: 'running',
        startedAt: 3_000,
      });
      await expectFirewallError(
        store().claimDelayedAction(executed, stored.version, 3_001),
        'store.conflict',
      );
      expect((await store().getApproval('apr_1'))?.version).toBe(stored.version);
    });

    it('refuses a claim on a stale approval and leaves the action waiting', async () => {
      const approved = sampleApproval('apr_1', { state: 'approved', decidedAt: 2_000 });
      await store().insertApproval(approved);
      await store().insertDelayedAction(sampleDelayedAction('apr_1'));
      await store().updateApproval({ ...approved, state: 'cancelled' }, approved.version);
      await expectFirewallError(
        store().claimDelayedAction({ ...approved, state: 'executed' }, approved.version, 3_000),
        'store.conflict',
      );
      expect(await store().getDelayedAction('apr_1')).toMatchObject({ status: 'waiting' });
      expect((await store().getApproval('apr_1'))?.state).toBe('cancelled');
    });

    it('finishes by compare-and-set on the status, keeping the result', async () => {
      await store().insertDelayedAction(sampleDelayedAction('apr_1', { status: 'running' }));
      const result = {
        status: 200,
        contentType: 'application/json',
        body: '{"data":{"volumeDelete":true}}',
      };
      const done = await store().finishDelayedAction('apr_1', 'running', {
        status: 'done',
        finishedAt: 4_000,
        result,
      });
      expect(done).toMatchObject({ status: 'done', result });
      expect(await store().getDelayedAction('apr_1')).toEqual(done);
      await expectFirewallError(
        store().finishDelayedAction('apr_1', 'running', { status: 'unknown' }),
        'store.conflict',
      );
      await expectFirewallError(
        store().finishDelayedAction('apr_none', 'running', { status: 'unknown' }),
        'approval.not-found',
      );
    });
  });
}
