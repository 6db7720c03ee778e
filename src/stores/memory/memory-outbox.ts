import type {
  Approval,
  DelayedActionStatus,
  DelayedActionV1,
  WebhookDeliveryStatus,
  WebhookDeliveryV1,
} from '../../core/index.js';
import { FirewallError } from '../../core/index.js';
import type { MemoryApprovals } from './memory-approvals.js';

/**
 * Delayed actions and webhook deliveries held in memory, for `MemoryStore`. Like the SQLite
 * store: copies in and out through JSON text, and the claim changes both records or neither.
 */
export class MemoryOutbox {
  readonly #delayed = new Map<string, DelayedActionV1>();
  readonly #deliveries = new Map<string, WebhookDeliveryV1>();
  #cursor: number | undefined;

  readonly #approvals: MemoryApprovals;
  constructor(approvals: MemoryApprovals) {
    this.#approvals = approvals;
  }

  insertDelayedAction(action: DelayedActionV1): void {
    if (this.#delayed.has(action.approvalId)) {
      throw new FirewallError(
        'store.conflict',
        `a delayed action for approval \`${action.approvalId}\` exists already`,
      );
    }
    this.#delayed.set(action.approvalId, copy(action));
  }

  getDelayedAction(approvalId: string): DelayedActionV1 | undefined {
    const found = this.#delayed.get(approvalId);
    return found === undefined ? undefined : copy(found);
  }

  listDelayedActions(filter: { status: DelayedActionStatus }): DelayedActionV1[] {
    const matching = [...this.#delayed.values()].filter((a) => a.status === filter.status);
    return matching.sort((a, b) => a.createdAt - b.createdAt).map(copy);
  }

  claimDelayedAction(executed: Approval, expectedVersion: number, startedAt: number): Approval {
    const action = this.#delayed.get(executed.id);
    if (action?.status !== 'waiting') {
      throw new FirewallError(
        'store.conflict',
        `the delayed action of approval \`${executed.id}\` is not waiting`,
      );
    }
    // The approval's compare-and-set throws before anything changed; then the action moves.
    const stored = this.#approvals.updateApproval(executed, expectedVersion);
    this.#delayed.set(executed.id, copy({ ...action, status: 'running', startedAt }));
    return stored;
  }

  finishDelayedAction(
    approvalId: string,
    from: DelayedActionStatus,
    next: Pick<DelayedActionV1, 'status' | 'finishedAt' | 'result' | 'note'>,
  ): DelayedActionV1 {
    const action = this.#delayed.get(approvalId);
    if (action === undefined)
      throw new FirewallError(
        'approval.not-found',
        `no delayed action for approval \`${approvalId}\``,
      );
    if (action.status !== from) {
      throw new FirewallError(
        'store.conflict',
        `the delayed action of approval \`${approvalId}\` is ${action.status}, not ${from}`,
      );
    }
    const stored = copy({ ...action, ...next });
    this.#delayed.set(approvalId, stored);
    return copy(stored);
  }

  getWebhookCursor(): number | undefined {
    return this.#cursor;
  }

  enqueueWebhookDeliveries(deliveries: readonly WebhookDeliveryV1[], cursor: number): void {
    const taken = new Set(
      [...this.#deliveries.values()].map((d) => `${d.endpoint}\n${d.auditSeq}`),
    );
    for (const delivery of deliveries) {
      const key = `${delivery.endpoint}\n${delivery.auditSeq}`;
      if (taken.has(key) || this.#deliveries.has(delivery.id)) continue;
      taken.add(key);
      this.#deliveries.set(delivery.id, copy(delivery));
    }
    this.#cursor = cursor;
  }

  listWebhookDeliveries(filter: {
    status?: WebhookDeliveryStatus;
    dueBy?: number;
    limit?: number;
  }): WebhookDeliveryV1[] {
    const matching = [...this.#deliveries.values()].filter(
      (d) =>
        (filter.status === undefined || d.status === filter.status) &&
        (filter.dueBy === undefined || d.nextAttemptAt <= filter.dueBy),
    );
    const sorted = matching.sort((a, b) => a.createdAt - b.createdAt || a.auditSeq - b.auditSeq);
    return (filter.limit === undefined ? sorted : sorted.slice(0, filter.limit)).map(copy);
  }

  updateWebhookDelivery(delivery: WebhookDeliveryV1): void {
    if (!this.#deliveries.has(delivery.id))
      throw new FirewallError('store.conflict', `no webhook delivery \`${delivery.id}\``);
    this.#deliveries.set(delivery.id, copy(delivery));
  }
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
