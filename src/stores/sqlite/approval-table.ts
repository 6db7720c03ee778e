import type Database from 'better-sqlite3';
import type { Approval, ApprovalState, Approver, ApproverPatch } from '../../core/index.js';
import { FirewallError } from '../../core/index.js';
import type { ApprovalRowParams, ApproverRowParams } from './approval-row.js';
import {
  parseApprovalRow,
  parseApproverRow,
  toApprovalRowParams,
  toApproverRowParams,
} from './approval-row.js';
import { toStoreError } from './store-error.js';

const APPROVAL_COLUMNS = 'id, version, grant_id, request_digest, state, created_at, data';
const APPROVER_COLUMNS =
  'name, credential_hash, upstreams, environments, created_at, admin, totp_secret, last_totp_step, credential_changed_at';

/** The approval and approver statements of `SqliteStore`, prepared once when it opens. */
export class SqliteApprovalTable {
  readonly #insert: Database.Statement<[ApprovalRowParams]>;
  readonly #get: Database.Statement<[string]>;
  readonly #listAll: Database.Statement<[]>;
  readonly #listByState: Database.Statement<[string]>;
  readonly #compareAndSet: Database.Statement<[ApprovalRowParams & { expected: number }]>;
  readonly #latestForRequest: Database.Statement<[string, string]>;
  readonly #insertApproverRow: Database.Statement<[ApproverRowParams]>;
  readonly #getApproverRow: Database.Statement<[string]>;
  readonly #listApproverRows: Database.Statement<[]>;
  readonly #deleteApprover: Database.Statement<[string]>;
  readonly #patchApprover: Database.Statement<[ApproverPatchParams]>;
  readonly #takeTotpStep: Database.Statement<[{ name: string; step: number }]>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(`INSERT INTO approvals (${APPROVAL_COLUMNS}) VALUES (@id, @version,
      @grant_id, @request_digest, @state, @created_at, @data)`);
    this.#get = db.prepare(`SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE id = ?`);
    // rowid breaks ties between approvals created in the same millisecond: insertion order.
    this.#listAll = db.prepare(
      `SELECT ${APPROVAL_COLUMNS} FROM approvals ORDER BY created_at, rowid`,
    );
    this.#listByState = db.prepare(
      `SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE state = ? ORDER BY created_at, rowid`,
    );
    // INVARIANT: one statement compares and sets, so two writers cannot both succeed.
    this.#compareAndSet = db.prepare(`UPDATE approvals SET version = @version, state = @state,
      data = @data WHERE id = @id AND version = @expected RETURNING ${APPROVAL_COLUMNS}`);
    this.#latestForRequest = db.prepare(`SELECT ${APPROVAL_COLUMNS} FROM approvals
      WHERE grant_id = ? AND request_digest = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`);
    this.#insertApproverRow = db.prepare(`INSERT INTO approvers (${APPROVER_COLUMNS}) VALUES (@name,
      @credential_hash, @upstreams, @environments, @created_at, @admin, @totp_secret, @last_totp_step,
      @credential_changed_at)`);
    this.#getApproverRow = db.prepare(`SELECT ${APPROVER_COLUMNS} FROM approvers WHERE name = ?`);
    this.#listApproverRows = db.prepare(`SELECT ${APPROVER_COLUMNS} FROM approvers ORDER BY name`);
    this.#deleteApprover = db.prepare('DELETE FROM approvers WHERE name = ?');
    // A null parameter keeps the column as it is.
    this.#patchApprover = db.prepare(`UPDATE approvers SET
      credential_hash = coalesce(@credential_hash, credential_hash),
      credential_changed_at = coalesce(@credential_changed_at, credential_changed_at),
      totp_secret = coalesce(@totp_secret, totp_secret)
      WHERE name = @name RETURNING ${APPROVER_COLUMNS}`);
    // INVARIANT: one statement compares and sets, so a step is taken once across processes.
    this.#takeTotpStep = db.prepare(
      'UPDATE approvers SET last_totp_step = @step WHERE name = @name AND last_totp_step < @step',
    );
  }

  insertApproval(approval: Approval): void {
    run(`while inserting approval \`${approval.id}\``, () =>
      this.#insert.run(toApprovalRowParams(approval, approval.version)),
    );
  }

  getApproval(id: string): Approval | undefined {
    const row = run(`while reading approval \`${id}\``, () => this.#get.get(id));
    return row === undefined ? undefined : parseApprovalRow(row);
  }

  listApprovals(filter: { state?: ApprovalState }): Approval[] {
    const { state } = filter;
    const rows = run('while listing approvals', () =>
      state === undefined ? this.#listAll.all() : this.#listByState.all(state),
    );
    return rows.map(parseApprovalRow);
  }

  updateApproval(next: Approval, expectedVersion: number): Approval {
    const params = { ...toApprovalRowParams(next, expectedVersion + 1), expected: expectedVersion };
    const row = run(`while updating approval \`${next.id}\``, () =>
      this.#compareAndSet.get(params),
    );
    if (row !== undefined) return parseApprovalRow(row);
    if (this.getApproval(next.id) === undefined) {
      throw new FirewallError('approval.not-found', `approval \`${next.id}\` not found`);
    }
    throw new FirewallError(
      'store.conflict',
      `approval \`${next.id}\` changed since version ${expectedVersion}`,
    );
  }

  findApprovalForRequest(grantId: string, requestDigest: string): Approval | undefined {
    const row = run('while finding an approval', () =>
      this.#latestForRequest.get(grantId, requestDigest),
    );
    return row === undefined ? undefined : parseApprovalRow(row);
  }

  insertApprover(approver: Approver): void {
    run(`while inserting approver \`${approver.name}\``, () =>
      this.#insertApproverRow.run(toApproverRowParams(approver)),
    );
  }

  getApprover(name: string): Approver | undefined {
    const row = run(`while reading approver \`${name}\``, () => this.#getApproverRow.get(name));
    return row === undefined ? undefined : parseApproverRow(row);
  }

  listApprovers(): Approver[] {
    return run('while listing approvers', () => this.#listApproverRows.all()).map(parseApproverRow);
  }

  removeApprover(name: string): void {
    const result = run(`while removing approver \`${name}\``, () => this.#deleteApprover.run(name));
    if (result.changes === 0)
      throw new FirewallError('approver.not-found', `approver \`${name}\` not found`);
  }

  updateApprover(name: string, patch: ApproverPatch): Approver {
    const params: ApproverPatchParams = {
      name,
      credential_hash: patch.credentialHash ?? null,
      credential_changed_at: patch.credentialChangedAt ?? null,
      totp_secret: patch.totpSecret ?? null,
    };
    const row = run(`while updating approver \`${name}\``, () => this.#patchApprover.get(params));
    if (row === undefined)
      throw new FirewallError('approver.not-found', `approver \`${name}\` not found`);
    return parseApproverRow(row);
  }

  useTotpStep(name: string, step: number): boolean {
    return (
      run(`while using a code of approver \`${name}\``, () =>
        this.#takeTotpStep.run({ name, step }),
      ).changes === 1
    );
  }
}

interface ApproverPatchParams {
  readonly name: string;
  readonly credential_hash: string | null;
  readonly credential_changed_at: number | null;
  readonly totp_secret: string | null;
}

function run<T>(context: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toStoreError(error, context);
  }
}
