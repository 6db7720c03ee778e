import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { DelayedActionV1, Store, WebhookDeliveryV1 } from '../core/index.js';
import { sampleApproval } from './contract-approvals.js';
import { expectFirewallError, useStore } from './contract-fixtures.js';

/** A delayed action waiting on approval `approvalId`. */
export function sampleDelayedAction(approvalId: string, overrides: Partial<DelayedActionV1> = {}): DelayedActionV1 {
  return {
    approvalId,
    status: 'waiting',
    request: { upstream: 'railway', surface: 'graphql', method: 'POST', search: '', headers: { 'content-type': 'application/json' }, body: '{"query":"mutation { volumeDelete(volumeId: \\"vol_1\\") }"}' },
    createdAt: 1_000,
    ...overrides,
  };
}

/** A pending delivery of audit record `seq` to `endpoint`. */
export function sampleDelivery(id: string, endpoint: string, seq: number, overrides: Partial<WebhookDeliveryV1> = {}): WebhookDeliveryV1 {
  return { id, endpoint, auditSeq: seq, event: 'approval.created', approvalId: 'apr_1', body: `{"seq":${seq}}`, status: 'pending', attempts: 0, nextAttemptAt: 1_000 + seq, createdAt: 1_000 + seq, ...overrides };
}

/** The part of the store contract about delayed actions and the webhook delivery log. */
export function runOutboxContract(makeStore: () => Promise<Store>): void {
  const store = useStore(makeStore);

  describe('delayed actions', () => {
    it('stores one per approval and lists by status', async () => {
      await store().insertDelayedAction(sampleDelayedAction('apr_1'));
      await store().insertDelayedAction(sampleDelayedAction('apr_2', { status: 'done', createdAt: 500 }));
      expect(await store().getDelayedAction('apr_1')).toEqual(sampleDelayedAction('apr_1'));
      expect(await store().getDelayedAction('apr_none')).toBeUndefined();
      await expectFirewallError(store().insertDelayedAction(sampleDelayedAction('apr_1')), 'store.conflict');
      expect((await store().listDelayedActions({ status: 'waiting' })).map((a) => a.approvalId)).toEqual(['apr_1']);
    });

    it('claims once: the approval and the action move together, and a second claim changes nothing', async () => {
      verifies('undo.crash-never-runs-twice');
      const approved = sampleApproval('apr_1', { state: 'approved', decidedAt: 2_000 });
      await store().insertApproval(approved);
      await store().insertDelayedAction(sampleDelayedAction('apr_1'));
      const executed = { ...approved, state: 'executed' as const, decidedAt: 3_000 };
      const stored = await store().claimDelayedAction(executed, approved.version, 3_000);
      expect(stored).toMatchObject({ state: 'executed', version: approved.version + 1 });
      expect(await store().getDelayedAction('apr_1')).toMatchObject({ status: 'running', startedAt: 3_000 });
      await expectFirewallError(store().claimDelayedAction(executed, stored.version, 3_001), 'store.conflict');
      expect((await store().getApproval('apr_1'))?.version).toBe(stored.version);
    });

    it('refuses a claim on a stale approval and leaves the action waiting', async () => {
      const approved = sampleApproval('apr_1', { state: 'approved', decidedAt: 2_000 });
      await store().insertApproval(approved);
      await store().insertDelayedAction(sampleDelayedAction('apr_1'));
      await store().updateApproval({ ...approved, state: 'cancelled' }, approved.version);
      await expectFirewallError(store().claimDelayedAction({ ...approved, state: 'executed' }, approved.version, 3_000), 'store.conflict');
      expect(await store().getDelayedAction('apr_1')).toMatchObject({ status: 'waiting' });
      expect((await store().getApproval('apr_1'))?.state).toBe('cancelled');
    });

    it('finishes by compare-and-set on the status, keeping the result', async () => {
      await store().insertDelayedAction(sampleDelayedAction('apr_1', { status: 'running' }));
      const result = { status: 200, contentType: 'application/json', body: '{"data":{"volumeDelete":true}}' };
      const done = await store().finishDelayedAction('apr_1', 'running', { status: 'done', finishedAt: 4_000, result });
      expect(done).toMatchObject({ status: 'done', result });
      expect(await store().getDelayedAction('apr_1')).toEqual(done);
      await expectFirewallError(store().finishDelayedAction('apr_1', 'running', { status: 'unknown' }), 'store.conflict');
      await expectFirewallError(store().finishDelayedAction('apr_none', 'running', { status: 'unknown' }), 'approval.not-found');
    });
  });

  describe('webhook deliveries', () => {
    it('queues deliveries and moves the cursor together; the same endpoint and record never twice', async () => {
      expect(await store().getWebhookCursor()).toBeUndefined();
      await store().enqueueWebhookDeliveries([sampleDelivery('whd_1', 'ops', 1), sampleDelivery('whd_2', 'slack', 1)], 1);
      expect(await store().getWebhookCursor()).toBe(1);
      await store().enqueueWebhookDeliveries([sampleDelivery('whd_3', 'ops', 1), sampleDelivery('whd_4', 'ops', 2)], 2);
      expect((await store().listWebhookDeliveries()).map((d) => d.id)).toEqual(['whd_1', 'whd_2', 'whd_4']);
      expect(await store().getWebhookCursor()).toBe(2);
    });

    it('lists those due, and keeps every attempt field of an update', async () => {
      await store().enqueueWebhookDeliveries([sampleDelivery('whd_1', 'ops', 1), sampleDelivery('whd_2', 'ops', 2)], 2);
      expect((await store().listWebhookDeliveries({ status: 'pending', dueBy: 1_001 })).map((d) => d.id)).toEqual(['whd_1']);
      const retried = { ...sampleDelivery('whd_1', 'ops', 1), attempts: 1, nextAttemptAt: 9_000, lastAttemptAt: 1_001, lastStatus: 503, lastError: 'HTTP 503' };
      await store().updateWebhookDelivery(retried);
      expect((await store().listWebhookDeliveries({ limit: 1 }))[0]).toEqual(retried);
      expect((await store().listWebhookDeliveries({ status: 'pending', dueBy: 5_000 })).map((d) => d.id)).toEqual(['whd_2']);
      await expectFirewallError(store().updateWebhookDelivery(sampleDelivery('whd_none', 'ops', 9)), 'store.conflict');
    });
  });
}
