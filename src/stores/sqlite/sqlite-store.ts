import Database from 'better-sqlite3';
import { checkPaging } from '../paging.js';
import type {
  Approval,
  ApprovalState,
  Approver,
  ApproverPatch,
  DelayedActionStatus,
  DelayedActionV1,
  WebhookDeliveryStatus,
  WebhookDeliveryV1,
  AuditDraft,
  AuditHead,
  AuditRecord,
  Grant,
  GrantPatch,
  PreparedAuditDraft,
  Store,
} from '../../core/index.js';
import {
  FirewallError,
  chainAuditRecord,
  describeError,
  prepareAuditDraft,
  tokenHashesEqual,
} from '../../core/index.js';
import { SqliteApprovalTable } from './approval-table.js';
import { SqliteOutboxTable } from './outbox-table.js';
import { parseAuditHeadRow, parseAuditRow, toAuditRowParams } from './audit-row.js';
import { parseGrantRow, parseTokenHash, toGrantRowParams } from './grant-row.js';
import { migrate } from './migrations.js';
import type { Statements } from './statements.js';
import { prepareStatements } from './statements.js';
import { isForeignKeyViolation, toAuditWriteError, toStoreError } from './store-error.js';
import type { BackgroundCheckpoint } from './background-checkpoint.js';
import { startBackgroundCheckpoint } from './background-checkpoint.js';

/** How long a write waits for another process holding the database lock. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** Where the SQLite store keeps its data. */
export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for a private in-memory database. */
  readonly path: string;
  /**
   * Checkpoint the WAL from a worker thread instead of inside whichever commit crosses the
   * threshold: for the long-running gateway, whose tail latency those stalls would set.
   */
  readonly backgroundCheckpoint?: boolean;
}

/**
 * The embedded default store: one SQLite file in WAL mode, migrated on open. Every method runs
 * synchronously on better-sqlite3 inside a promise, so its answer is atomic.
 *
 * @example
 * const store = new SqliteStore({ path: 'airlock.db' });
 * const record = await store.appendAudit({ kind: 'decision', actor: 'system', at, data });
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #statements: Statements;
  readonly #approvals: SqliteApprovalTable;
  readonly #outbox: SqliteOutboxTable;
  readonly #appendInTransaction: Database.Transaction<
    (drafts: readonly PreparedAuditDraft[]) => AuditRecord[]
  >;
  #pendingAppends: PendingAppend[] = [];
  // Grants by token hash, read on every request. SECURITY: valid only while no grant row can have
  // changed: emptied when another connection commits (`PRAGMA data_version` moves; the CLI revokes
  // and freezes from its own process) and when this connection writes a grant.
  readonly #grantsByTokenHash = new Map<
    string,
    { readonly grant: Grant; readonly tokenHash: string }
  >();
  #grantsDataVersion: unknown = undefined;
  readonly #dataVersion: Database.Statement;
  readonly #checkpoint: BackgroundCheckpoint | undefined;

  /** Opens (creating if needed) and migrates the database; throws `store.*` codes on failure. */
  constructor(options: SqliteStoreOptions) {
    this.#db = openDatabase(options.path);
    try {
      migrate(this.#db);
      this.#statements = prepareStatements(this.#db);
      this.#approvals = new SqliteApprovalTable(this.#db);
      this.#outbox = new SqliteOutboxTable(this.#db, this.#approvals);
      this.#dataVersion = this.#db.prepare('PRAGMA data_version').pluck();
    } catch (error) {
      this.#db.close();
      throw toStoreError(error, `while opening \`${options.path}\``);
    }
    this.#appendInTransaction = this.#db.transaction((drafts: PreparedAuditDraft[]) =>
      this.#appendNow(drafts),
    );
    if (options.backgroundCheckpoint === true && options.path !== ':memory:') {
      this.#db.pragma('wal_autocheckpoint = 0');
      this.#checkpoint = startBackgroundCheckpoint(options.path);
    }
  }

  async insertGrant(grant: Grant, tokenHash: string): Promise<void> {
    this.#grantsByTokenHash.clear();
    try {
      this.#statements.insertGrant.run(toGrantRowParams(grant, tokenHash));
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new FirewallError('grant.not-found', `parent grant \`${grant.parentId}\` not found`);
      }
      throw toStoreError(error, `while inserting grant \`${grant.id}\``);
    }
  }

  async getGrant(id: string): Promise<Grant | undefined> {
    const row = this.#run(`while reading grant \`${id}\``, () => this.#statements.getGrant.get(id));
    return row === undefined ? undefined : parseGrantRow(row);
  }

  async findGrantByTokenHash(tokenHash: string): Promise<Grant | undefined> {
    const version = this.#run('while finding a grant by token', () => this.#dataVersion.get());
    if (version !== this.#grantsDataVersion) {
      this.#grantsByTokenHash.clear();
      this.#grantsDataVersion = version;
    }
    const cached = this.#grantsByTokenHash.get(tokenHash);
    // SECURITY: the map lookup is not constant time either; confirm the match in constant time.
    if (cached !== undefined)
      return tokenHashesEqual(cached.tokenHash, tokenHash) ? cached.grant : undefined;
    const row = this.#run('while finding a grant by token', () =>
      this.#statements.findGrantByTokenHash.get(tokenHash),
    );
    if (row === undefined) return undefined;
    const stored = parseTokenHash(row);
    // SECURITY: the index lookup is not constant time; confirm the match in constant time.
    if (!tokenHashesEqual(stored, tokenHash)) return undefined;
    const grant = freezeGrant(parseGrantRow(row));
    if (this.#grantsByTokenHash.size >= GRANT_CACHE_ENTRIES) this.#grantsByTokenHash.clear();
    this.#grantsByTokenHash.set(tokenHash, { grant, tokenHash: stored });
    return grant;
  }

  async listGrants(): Promise<Grant[]> {
    const rows = this.#run('while listing grants', () => this.#statements.listGrants.all());
    return rows.map(parseGrantRow);
  }

  async listChildGrants(parentId: string): Promise<Grant[]> {
    const rows = this.#run(`while listing children of grant \`${parentId}\``, () =>
      this.#statements.listChildGrants.all(parentId),
    );
    return rows.map(parseGrantRow);
  }

  async updateGrant(id: string, patch: GrantPatch): Promise<Grant> {
    this.#grantsByTokenHash.clear();
    const row = this.#run(`while updating grant \`${id}\``, () =>
      this.#statements.updateGrant.get({
        id,
        // SECURITY: only a time sets revokedAt; nothing in a patch can clear a revocation.
        set_revoked: typeof patch.revokedAt === 'number' ? 1 : 0,
        revoked_at: patch.revokedAt ?? null,
        set_frozen: patch.frozenAt === undefined ? 0 : 1,
        frozen_at: patch.frozenAt ?? null,
      }),
    );
    if (row === undefined) throw new FirewallError('grant.not-found', `grant \`${id}\` not found`);
    return parseGrantRow(row);
  }

  async recordDenial(grantId: string, at: number): Promise<void> {
    try {
      this.#statements.recordDenial.run(grantId, at);
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new FirewallError('grant.not-found', `grant \`${grantId}\` not found`);
      }
      throw toStoreError(error, `while recording a denial of grant \`${grantId}\``);
    }
  }

  async countDenialsSince(grantId: string, since: number): Promise<number> {
    const count = this.#run(`while counting denials of grant \`${grantId}\``, () =>
      this.#statements.countDenialsSince.get(grantId, since),
    );
    if (typeof count !== 'number') {
      throw new FirewallError('store.unavailable', 'denial count is not a number');
    }
    return count;
  }

  async clearDenials(grantId: string): Promise<void> {
    this.#run(`while clearing denials of grant \`${grantId}\``, () =>
      this.#statements.clearDenials.run(grantId),
    );
  }

  /**
   * Appends are group-committed: every append requested in the same event-loop turn (flushed on
   * setImmediate, after the turn's I/O callbacks) shares one IMMEDIATE
   * transaction (one WAL write), and each caller's promise settles only after that commit.
   */
  async appendAudit(draft: AuditDraft): Promise<AuditRecord> {
    let prepared: PreparedAuditDraft;
    try {
      // Serialised outside the transaction, so one unserialisable draft fails alone, not its batch.
      prepared = prepareAuditDraft(draft);
    } catch (error) {
      throw toAuditWriteError(error);
    }
    return new Promise<AuditRecord>((resolve, reject) => {
      this.#pendingAppends.push({ draft: prepared, resolve, reject });
      if (this.#pendingAppends.length === 1) setImmediate(() => this.#flushAppends());
    });
  }

  #flushAppends(): void {
    const batch = this.#pendingAppends;
    this.#pendingAppends = [];
    try {
      // IMMEDIATE takes the write lock before reading the head, so that two processes sharing
      // the file cannot both chain onto the same head.
      const records = this.#appendInTransaction.immediate(batch.map((pending) => pending.draft));
      batch.forEach((pending, index) => pending.resolve(records[index] as AuditRecord));
    } catch (error) {
      // INVARIANT: the batch commits whole or not at all, so every caller in it is told.
      const failure = toAuditWriteError(error);
      for (const pending of batch) pending.reject(failure);
    }
  }

  async readAudit(options: { fromSeq?: number; limit?: number } = {}): Promise<AuditRecord[]> {
    const { fromSeq, limit } = checkPaging(options);
    const rows = this.#run('while reading the audit log', () =>
      // A negative LIMIT means no limit in SQLite.
      this.#statements.readAudit.all(fromSeq, limit ?? -1),
    );
    return rows.map(parseAuditRow);
  }

  async tailAudit(count: number): Promise<AuditRecord[]> {
    const { limit } = checkPaging({ limit: count });
    const rows = this.#run('while reading the audit log', () =>
      this.#statements.tailAudit.all(limit ?? 0),
    );
    return rows.map(parseAuditRow);
  }

  async auditHead(): Promise<AuditHead | undefined> {
    const row = this.#run('while reading the audit head', () => this.#statements.auditHead.get());
    return parseAuditHeadRow(row);
  }

  async storeId(): Promise<string> {
    const id = this.#run('while reading the store id', () => this.#statements.storeId.get());
    if (typeof id !== 'string' || id === '') {
      throw new FirewallError('store.unavailable', 'the store id is missing or not text');
    }
    return id;
  }

  async insertApproval(approval: Approval): Promise<void> {
    this.#approvals.insertApproval(approval);
  }

  async getApproval(id: string): Promise<Approval | undefined> {
    return this.#approvals.getApproval(id);
  }

  async listApprovals(filter: { state?: ApprovalState } = {}): Promise<Approval[]> {
    return this.#approvals.listApprovals(filter);
  }

  async updateApproval(next: Approval, expectedVersion: number): Promise<Approval> {
    return this.#approvals.updateApproval(next, expectedVersion);
  }

  async findApprovalForRequest(
    grantId: string,
    requestDigest: string,
  ): Promise<Approval | undefined> {
    return this.#approvals.findApprovalForRequest(grantId, requestDigest);
  }

  async insertApprover(approver: Approver): Promise<void> {
    this.#approvals.insertApprover(approver);
  }

  async getApprover(name: string): Promise<Approver | undefined> {
    return this.#approvals.getApprover(name);
  }

  async listApprovers(): Promise<Approver[]> {
    return this.#approvals.listApprovers();
  }

  async removeApprover(name: string): Promise<void> {
    this.#approvals.removeApprover(name);
  }

  async updateApprover(name: string, patch: ApproverPatch): Promise<Approver> {
    return this.#approvals.updateApprover(name, patch);
  }

  async useTotpStep(name: string, step: number): Promise<boolean> {
    return this.#approvals.useTotpStep(name, step);
  }

  async insertDelayedAction(action: DelayedActionV1): Promise<void> {
    this.#outbox.insertDelayedAction(action);
  }

  async getDelayedAction(approvalId: string): Promise<DelayedActionV1 | undefined> {
    return this.#outbox.getDelayedAction(approvalId);
  }

  async listDelayedActions(filter: { status: DelayedActionStatus }): Promise<DelayedActionV1[]> {
    return this.#outbox.listDelayedActions(filter.status);
  }

  async claimDelayedAction(
    executed: Approval,
    expectedVersion: number,
    startedAt: number,
  ): Promise<Approval> {
    return this.#outbox.claimDelayedAction(executed, expectedVersion, startedAt);
  }

  async finishDelayedAction(
    approvalId: string,
    from: DelayedActionStatus,
    next: Pick<DelayedActionV1, 'status' | 'finishedAt' | 'result' | 'note'>,
  ): Promise<DelayedActionV1> {
    return this.#outbox.finishDelayedAction(approvalId, from, next);
  }

  async getWebhookCursor(): Promise<number | undefined> {
    return this.#outbox.getWebhookCursor();
  }

  async enqueueWebhookDeliveries(
    deliveries: readonly WebhookDeliveryV1[],
    cursor: number,
  ): Promise<void> {
    this.#outbox.enqueueWebhookDeliveries(deliveries, cursor);
  }

  async listWebhookDeliveries(
    filter: { status?: WebhookDeliveryStatus; dueBy?: number; limit?: number } = {},
  ): Promise<WebhookDeliveryV1[]> {
    return this.#outbox.listWebhookDeliveries(filter);
  }

  async updateWebhookDelivery(delivery: WebhookDeliveryV1): Promise<void> {
    this.#outbox.updateWebhookDelivery(delivery);
  }

  async close(): Promise<void> {
    await this.#checkpoint?.stop();
    if (this.#db.open) this.#db.close();
  }

  // Runs inside the IMMEDIATE transaction: the head read, inserts and head update commit together.
  #appendNow(drafts: readonly PreparedAuditDraft[]): AuditRecord[] {
    let head = parseAuditHeadRow(this.#statements.auditHead.get());
    const records: AuditRecord[] = [];
    for (const draft of drafts) {
      const record = chainAuditRecord(head, draft.draft, draft.text);
      this.#statements.insertAudit.run(toAuditRowParams(record, draft.text));
      records.push(record);
      head = { seq: record.seq, hash: record.hash };
    }
    // INVARIANT: the head moves in the same transaction as the inserts, or not at all.
    if (head !== undefined) this.#statements.setAuditHead.run({ seq: head.seq, hash: head.hash });
    return records;
  }

  #run<T>(context: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toStoreError(error, context);
    }
  }
}

/**
 * Opens and migrates a SQLite store; throws `store.unavailable` or `store.migration`. Opening is
 * synchronous (better-sqlite3), so composition roots need not await it.
 *
 * @example
 * const store = openSqliteStore({ path: ':memory:' });
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}

// Bounds the grant cache; past it the cache starts over (agents present few distinct tokens).
const GRANT_CACHE_ENTRIES = 1024;

// A cached grant is shared by every request that presents its token; nothing may change it.
function freezeGrant(grant: Grant): Grant {
  for (const list of [grant.upstreams, grant.environments, grant.effects, grant.resources])
    Object.freeze(list);
  return Object.freeze(grant);
}

interface PendingAppend {
  readonly draft: PreparedAuditDraft;
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

function openDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode loses at most the last commits on power loss, never consistency.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db?.close();
    const message = `while opening \`${path}\`: ${describeError(error)}`;
    throw new FirewallError('store.unavailable', message, { cause: error });
  }
}
