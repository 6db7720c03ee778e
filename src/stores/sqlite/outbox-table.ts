import type Database from 'better-sqlite3';
import type {
  Approval,
  DelayedActionStatus,
  DelayedActionV1,
  WebhookDeliveryStatus,
  WebhookDeliveryV1,
} from '../../core/index.js';
import { FirewallError } from '../../core/index.js';
import type { SqliteApprovalTable } from './approval-table.js';
import { MalformedColumnError, RowReader, malformedRowError } from './row-reader.js';
import { toStoreError } from './store-error.js';

const DELAYED_STATUSES: readonly DelayedActionStatus[] = [
  'waiting',
  'running',
  'done',
  'unknown',
  'not-run',
];
const DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ['pending', 'delivered', 'failed'];
const DELIVERY_COLUMNS = 'id, endpoint, audit_seq, status, next_attempt_at, created_at, data';

/** The delayed-action and webhook statements of `SqliteStore`, prepared once when it opens. */
export class SqliteOutboxTable {
  readonly #insertDelayed: Database.Statement<
    [{ approval_id: string; status: string; created_at: number; data: string }]
  >;
  readonly #getDelayed: Database.Statement<[string]>;
  readonly #listDelayed: Database.Statement<[string]>;
  readonly #moveDelayed: Database.Statement<
    [{ approval_id: string; from: string; status: string; data: string }]
  >;
  readonly #getCursor: Database.Statement<[]>;
  readonly #setCursor: Database.Statement<[number]>;
  readonly #insertDelivery: Database.Statement<[Record<string, string | number>]>;
  readonly #listDeliveries: Database.Statement<
    [{ status: string | null; due: number | null; limit: number }]
  >;
  readonly #updateDelivery: Database.Statement<[Record<string, string | number>]>;
  readonly #claim: Database.Transaction<
    (executed: Approval, expected: number, startedAt: number) => Approval
  >;
  readonly #enqueue: Database.Transaction<
    (deliveries: readonly WebhookDeliveryV1[], cursor: number) => void
  >;

  constructor(db: Database.Database, approvals: SqliteApprovalTable) {
    this.#insertDelayed =
      db.prepare(`INSERT INTO delayed_actions (approval_id, status, created_at, data)
      VALUES (@approval_id, @status, @created_at, @data)`);
    this.#getDelayed = db.prepare(
      'SELECT approval_id, status, created_at, data FROM delayed_actions WHERE approval_id = ?',
    );
    this.#listDelayed =
      db.prepare(`SELECT approval_id, status, created_at, data FROM delayed_actions
      WHERE status = ? ORDER BY created_at, rowid`);
    // INVARIANT: one statement compares the status and sets it, so two executors cannot both move it.
    this.#moveDelayed = db.prepare(`UPDATE delayed_actions SET status = @status, data = @data
      WHERE approval_id = @approval_id AND status = @from`);
    this.#getCursor = db.prepare('SELECT seq FROM webhook_cursor WHERE id = 1').pluck();
    this.#setCursor = db.prepare(`INSERT INTO webhook_cursor (id, seq) VALUES (1, ?)
      ON CONFLICT (id) DO UPDATE SET seq = excluded.seq`);
    this.#insertDelivery =
      db.prepare(`INSERT INTO webhook_deliveries (${DELIVERY_COLUMNS}) VALUES (@id,
      @endpoint, @audit_seq, @status, @next_attempt_at, @created_at, @data) ON CONFLICT DO NOTHING`);
    this.#listDeliveries = db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
      WHERE (@status IS NULL OR status = @status) AND (@due IS NULL OR next_attempt_at <= @due)
      ORDER BY created_at, audit_seq LIMIT @limit`);
    this.#updateDelivery = db.prepare(`UPDATE webhook_deliveries SET status = @status,
      next_attempt_at = @next_attempt_at, data = @data WHERE id = @id`);
    this.#claim = db.transaction((executed: Approval, expected: number, startedAt: number) => {
      const action = this.getDelayedAction(executed.id);
      if (action?.status !== 'waiting') {
        throw new FirewallError(
          'store.conflict',
          `the delayed action of approval \`${executed.id}\` is not waiting`,
        );
      }
      const stored = approvals.updateApproval(executed, expected);
      this.#move(executed.id, 'waiting', { ...action, status: 'running', startedAt });
      return stored;
    });
    this.#enqueue = db.transaction((deliveries: readonly WebhookDeliveryV1[], cursor: number) => {
      for (const delivery of deliveries) this.#insertDelivery.run(toDeliveryParams(delivery));
      this.#setCursor.run(cursor);
    });
  }

  insertDelayedAction(action: DelayedActionV1): void {
    run(`while storing the delayed action of approval \`${action.approvalId}\``, () =>
      this.#insertDelayed.run({
        approval_id: action.approvalId,
        status: action.status,
        created_at: action.createdAt,
        data: JSON.stringify(action),
      }),
    );
  }

  getDelayedAction(approvalId: string): DelayedActionV1 | undefined {
    const row = run(`while reading the delayed action of approval \`${approvalId}\``, () =>
      this.#getDelayed.get(approvalId),
    );
    return row === undefined ? undefined : parseDelayedRow(row);
  }

  listDelayedActions(status: DelayedActionStatus): DelayedActionV1[] {
    return run('while listing delayed actions', () => this.#listDelayed.all(status)).map(
      parseDelayedRow,
    );
  }

  claimDelayedAction(executed: Approval, expectedVersion: number, startedAt: number): Approval {
    // IMMEDIATE: take the write lock before reading, so two processes cannot both claim.
    return run(`while claiming the delayed action of approval \`${executed.id}\``, () =>
      this.#claim.immediate(executed, expectedVersion, startedAt),
    );
  }

  finishDelayedAction(
    approvalId: string,
    from: DelayedActionStatus,
    next: Pick<DelayedActionV1, 'status' | 'finishedAt' | 'result' | 'note'>,
  ): DelayedActionV1 {
    const current = this.getDelayedAction(approvalId);
    if (current === undefined)
      throw new FirewallError(
        'approval.not-found',
        `no delayed action for approval \`${approvalId}\``,
      );
    const stored: DelayedActionV1 = { ...current, ...next };
    run(`while updating the delayed action of approval \`${approvalId}\``, () =>
      this.#move(approvalId, from, stored),
    );
    return stored;
  }

  getWebhookCursor(): number | undefined {
    const seq = run('while reading the webhook cursor', () => this.#getCursor.get());
    return typeof seq === 'number' ? seq : undefined;
  }

  enqueueWebhookDeliveries(deliveries: readonly WebhookDeliveryV1[], cursor: number): void {
    run('while queueing webhook deliveries', () => this.#enqueue.immediate(deliveries, cursor));
  }

  listWebhookDeliveries(filter: {
    status?: WebhookDeliveryStatus;
    dueBy?: number;
    limit?: number;
  }): WebhookDeliveryV1[] {
    const params = {
      status: filter.status ?? null,
      due: filter.dueBy ?? null,
      limit: filter.limit ?? -1,
    };
    return run('while listing webhook deliveries', () => this.#listDeliveries.all(params)).map(
      parseDeliveryRow,
    );
  }

  updateWebhookDelivery(delivery: WebhookDeliveryV1): void {
    const result = run(`while updating webhook delivery \`${delivery.id}\``, () =>
      this.#updateDelivery.run(toDeliveryParams(delivery)),
    );
    if (result.changes === 0)
      throw new FirewallError('store.conflict', `no webhook delivery \`${delivery.id}\``);
  }

  #move(approvalId: string, from: DelayedActionStatus, next: DelayedActionV1): void {
    const result = this.#moveDelayed.run({
      approval_id: approvalId,
      from,
      status: next.status,
      data: JSON.stringify(next),
    });
    if (result.changes === 0) {
      throw new FirewallError(
        'store.conflict',
        `the delayed action of approval \`${approvalId}\` is no longer ${from}`,
      );
    }
  }
}

function toDeliveryParams(delivery: WebhookDeliveryV1): Record<string, string | number> {
  return {
    id: delivery.id,
    endpoint: delivery.endpoint,
    audit_seq: delivery.auditSeq,
    status: delivery.status,
    next_attempt_at: delivery.nextAttemptAt,
    created_at: delivery.createdAt,
    data: JSON.stringify(delivery),
  };
}

// The columns win over `data` for the fields they hold, as for approvals.
function parseDelayedRow(row: unknown): DelayedActionV1 {
  const fields = new RowReader(row);
  try {
    const data = fields.json('data');
    const status = fields.text('status');
    if (typeof data !== 'object' || data === null)
      throw new MalformedColumnError('data is not an object');
    if (!DELAYED_STATUSES.includes(status as DelayedActionStatus))
      throw new MalformedColumnError('status is not a delayed-action status');
    const action = {
      ...(data as DelayedActionV1),
      approvalId: fields.text('approval_id'),
      status: status as DelayedActionStatus,
      createdAt: fields.number('created_at'),
    };
    if (typeof action.request?.body !== 'string')
      throw new MalformedColumnError('data holds no request');
    return action;
  } catch (error) {
    if (!(error instanceof MalformedColumnError)) throw error;
    throw malformedRowError('a delayed action', error);
  }
}

function parseDeliveryRow(row: unknown): WebhookDeliveryV1 {
  const fields = new RowReader(row);
  try {
    const data = fields.json('data');
    const status = fields.text('status');
    if (typeof data !== 'object' || data === null)
      throw new MalformedColumnError('data is not an object');
    if (!DELIVERY_STATUSES.includes(status as WebhookDeliveryStatus))
      throw new MalformedColumnError('status is not a delivery status');
    const delivery = {
      ...(data as WebhookDeliveryV1),
      id: fields.text('id'),
      endpoint: fields.text('endpoint'),
      auditSeq: fields.integer('audit_seq'),
      status: status as WebhookDeliveryStatus,
      nextAttemptAt: fields.number('next_attempt_at'),
      createdAt: fields.number('created_at'),
    };
    if (typeof delivery.body !== 'string') throw new MalformedColumnError('data holds no body');
    return delivery;
  } catch (error) {
    if (!(error instanceof MalformedColumnError)) throw error;
    throw malformedRowError('a webhook delivery', error);
  }
}

function run<T>(context: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toStoreError(error, context);
  }
}
