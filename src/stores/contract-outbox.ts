import { describe, expect, it } from 'vitest';
import type { WebhookDeliveryV1, WebhookOutbox } from '../core/index.js';
import type { Opened } from './contract-fixtures.js';
import { expectFirewallError, useStore } from './contract-fixtures.js';

/** A pending delivery of audit record `seq` to `endpoint`. */
export function sampleDelivery(
  id: string,
  endpoint: string,
  seq: number,
  overrides: Partial<WebhookDeliveryV1> = {},
): WebhookDeliveryV1 {
  return {
    id,
    endpoint,
    auditSeq: seq,
    event: 'approval.created',
    approvalId: 'apr_1',
    body: `{"seq":${seq}}`,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 1_000 + seq,
    createdAt: 1_000 + seq,
    ...overrides,
  };
}

/** The `WebhookOutbox` part of the store contract: the webhook delivery log and its cursor. */
export function runOutboxContract(makeStore: () => Promise<Opened<WebhookOutbox>>): void {
  const store = useStore(makeStore);

  describe('webhook deliveries', () => {
    it('queues deliveries and moves the cursor together; the same endpoint and record never twice', async () => {
      expect(await store().getWebhookCursor()).toBeUndefined();
      await store().enqueueWebhookDeliveries(
        [sampleDelivery('whd_1', 'ops', 1), sampleDelivery('whd_2', 'slack', 1)],
        1,
      );
      expect(await store().getWebhookCursor()).toBe(1);
      await store().enqueueWebhookDeliveries(
        [sampleDelivery('whd_3', 'ops', 1), sampleDelivery('whd_4', 'ops', 2)],
        2,
      );
      expect((await store().listWebhookDeliveries()).map((d) => d.id)).toEqual([
        'whd_1',
        'whd_2',
        'whd_4',
      ]);
      expect(await store().getWebhookCursor()).toBe(2);
    });

    it('lists those due, and keeps every attempt field of an update', async () => {
      await store().enqueueWebhookDeliveries(
        [sampleDelivery('whd_1', 'ops', 1), sampleDelivery('whd_2', 'ops', 2)],
        2,
      );
      expect(
        (await store().listWebhookDeliveries({ status: 'pending', dueBy: 1_001 })).map((d) => d.id),
      ).toEqual(['whd_1']);
      const retried = {
        ...sampleDelivery('whd_1', 'ops', 1),
        attempts: 1,
        nextAttemptAt: 9_000,
        lastAttemptAt: 1_001,
        lastStatus: 503,
        lastError: 'HTTP 503',
      };
      await store().updateWebhookDelivery(retried);
      expect((await store().listWebhookDeliveries({ limit: 1 }))[0]).toEqual(retried);
      expect(
        (await store().listWebhookDeliveries({ status: 'pending', dueBy: 5_000 })).map((d) => d.id),
      ).toEqual(['whd_2']);
      await expectFirewallError(
        store().updateWebhookDelivery(sampleDelivery('whd_none', 'ops', 9)),
        'store.conflict',
      );
    });
  });
}
