import type Database from 'better-sqlite3';
import type { Approval, ApprovalState, Approver } from '../../core/index.js';
import { FirewallError } from '../../core/index.js';
import type { ApprovalRowParams, ApproverRowParams } from './approval-row.js';
import { parseApprovalRow, parseApproverRow, toApprovalRowParams, toApproverRowParams } from './approval-row.js';
import { toStoreError } from './store-error.js';

const APPROVAL_COLUMNS = 'id, version, grant_id, request_digest, state, created_at, data';
const APPROVER_COLUMNS = 'name, credential_hash, upstreams, environments, created_at';

/** The approval and approver statements of `SqliteStore`, prepared once when it opens. */
export class SqliteApprovalTable {
  private readonly insert: Database.Statement<[ApprovalRowParams]>;
  private readonly get: Database.Statement<[string]>;
  private readonly listAll: Database.Statement<[]>;
  private readonly listByState: Database.Statement<[string]>;
  private readonly compareAndSet: Database.Statement<[ApprovalRowParams & { expected: number }]>;
  private readonly latestForRequest: Database.Statement<[string, string]>;
  private readonly insertApproverRow: Database.Statement<[ApproverRowParams]>;
  private readonly getApproverRow: Database.Statement<[string]>;
  private readonly listApproverRows: Database.Statement<[]>;
  private readonly deleteApprover: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.insert = db.prepare(`INSERT INTO approvals (${APPROVAL_COLUMNS}) VALUES (@id, @version,
      @grant_id, @request_digest, @state, @created_at, @data)`);
    this.get = db.prepare(`SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE id = ?`);
    // rowid breaks ties between approvals created in the same millisecond: insertion order.
    this.listAll = db.prepare(`SELECT ${APPROVAL_COLUMNS} FROM approvals ORDER BY created_at, rowid`);
    this.listByState = db.prepare(
      `SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE state = ? ORDER BY created_at, rowid`,
    );
    // INVARIANT: one statement compares and sets, so two writers cannot both succeed.
    this.compareAndSet = db.prepare(`UPDATE approvals SET version = @version, state = @state,
      data = @data WHERE id = @id AND version = @expected RETURNING ${APPROVAL_COLUMNS}`);
    this.latestForRequest = db.prepare(`SELECT ${APPROVAL_COLUMNS} FROM approvals
      WHERE grant_id = ? AND request_digest = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`);
    this.insertApproverRow = db.prepare(`INSERT INTO approvers (${APPROVER_COLUMNS}) VALUES (@name,
      @credential_hash, @upstreams, @environments, @created_at)`);
    this.getApproverRow = db.prepare(`SELECT ${APPROVER_COLUMNS} FROM approvers WHERE name = ?`);
    this.listApproverRows = db.prepare(`SELECT ${APPROVER_COLUMNS} FROM approvers ORDER BY name`);
    this.deleteApprover = db.prepare('DELETE FROM approvers WHERE name = ?');
  }

  insertApproval(approval: Approval): void {
    run(`while inserting approval \`${approval.id}\``, () => this.insert.run(toApprovalRowParams(approval, approval.version)));
  }

  getApproval(id: string): Approval | undefined {
    const row = run(`while reading approval \`${id}\``, () => this.get.get(id));
    return row === undefined ? undefined : parseApprovalRow(row);
  }

  listApprovals(filter: { state?: ApprovalState }): Approval[] {
    const { state } = filter;
    const rows = run('while listing approvals', () =>
      state === undefined ? this.listAll.all() : this.listByState.all(state),
    );
    return rows.map(parseApprovalRow);
  }

  updateApproval(next: Approval, expectedVersion: number): Approval {
    const params = { ...toApprovalRowParams(next, expectedVersion + 1), expected: expectedVersion };
    const row = run(`while updating approval \`${next.id}\``, () => this.compareAndSet.get(params));
    if (row !== undefined) return parseApprovalRow(row);
    if (this.getApproval(next.id) === undefined) {
      throw new FirewallError('approval.not-found', `approval \`${next.id}\` not found`);
    }
    throw new FirewallError('store.conflict', `approval \`${next.id}\` changed since version ${expectedVersion}`);
  }

  findApprovalForRequest(grantId: string, requestDigest: string): Approval | undefined {
    const row = run('while finding an approval', () => this.latestForRequest.get(grantId, requestDigest));
    return row === undefined ? undefined : parseApprovalRow(row);
  }

  insertApprover(approver: Approver): void {
    run(`while inserting approver \`${approver.name}\``, () => this.insertApproverRow.run(toApproverRowParams(approver)));
  }

  getApprover(name: string): Approver | undefined {
    const row = run(`while reading approver \`${name}\``, () => this.getApproverRow.get(name));
    return row === undefined ? undefined : parseApproverRow(row);
  }

  listApprovers(): Approver[] {
    return run('while listing approvers', () => this.listApproverRows.all()).map(parseApproverRow);
  }

  removeApprover(name: string): void {
    const result = run(`while removing approver \`${name}\``, () => this.deleteApprover.run(name));
    if (result.changes === 0) throw new FirewallError('approver.not-found', `approver \`${name}\` not found`);
  }
}

function run<T>(context: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toStoreError(error, context);
  }
}
