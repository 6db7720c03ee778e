import type Database from 'better-sqlite3';
import type { AuditRowParams } from './audit-row.js';
import type { GrantRowParams } from './grant-row.js';

/** Parameters of the grant update; the flags say whether a field is part of the patch. */
export interface GrantPatchParams {
  readonly id: string;
  readonly set_revoked: 0 | 1;
  readonly revoked_at: number | null;
  readonly set_frozen: 0 | 1;
  readonly frozen_at: number | null;
}

/** Every statement the store runs, prepared once when it opens (the hot paths reuse them). */
export interface Statements {
  readonly insertGrant: Database.Statement<[GrantRowParams]>;
  readonly getGrant: Database.Statement<[string]>;
  readonly findGrantByTokenHash: Database.Statement<[string]>;
  readonly listGrants: Database.Statement<[]>;
  readonly listChildGrants: Database.Statement<[string]>;
  readonly updateGrant: Database.Statement<[GrantPatchParams]>;
  readonly recordDenial: Database.Statement<[string, number]>;
  readonly countDenialsSince: Database.Statement<[string, number]>;
  readonly clearDenials: Database.Statement<[string]>;
  readonly auditHead: Database.Statement<[]>;
  readonly insertAudit: Database.Statement<[AuditRowParams]>;
  readonly setAuditHead: Database.Statement<[{ seq: number; hash: string }]>;
  readonly readAudit: Database.Statement<[number, number]>;
  readonly tailAudit: Database.Statement<[number]>;
  readonly storeId: Database.Statement<[]>;
}

const GRANT_COLUMNS = `id, token_hash, agent, owner, upstreams, environments, effects, resources,
  created_at, expires_at, parent_id, revoked_at, frozen_at`;
const AUDIT_COLUMNS = 'seq, v, at, kind, actor, data, prev_hash, hash';

/** Prepares the store's statements against a migrated database. */
export function prepareStatements(db: Database.Database): Statements {
  return {
    insertGrant: db.prepare(`INSERT INTO grants (${GRANT_COLUMNS}) VALUES (@id, @token_hash,
      @agent, @owner, @upstreams, @environments, @effects, @resources, @created_at, @expires_at,
      @parent_id, @revoked_at, @frozen_at)`),
    getGrant: db.prepare(`SELECT ${GRANT_COLUMNS} FROM grants WHERE id = ?`),
    findGrantByTokenHash: db.prepare(`SELECT ${GRANT_COLUMNS} FROM grants WHERE token_hash = ?`),
    // rowid breaks ties between grants created in the same millisecond: insertion order.
    listGrants: db.prepare(`SELECT ${GRANT_COLUMNS} FROM grants ORDER BY created_at, rowid`),
    listChildGrants: db.prepare(
      `SELECT ${GRANT_COLUMNS} FROM grants WHERE parent_id = ? ORDER BY created_at, rowid`,
    ),
    updateGrant: db.prepare(`UPDATE grants SET
        revoked_at = CASE WHEN @set_revoked THEN @revoked_at ELSE revoked_at END,
        frozen_at = CASE WHEN @set_frozen THEN @frozen_at ELSE frozen_at END
      WHERE id = @id RETURNING ${GRANT_COLUMNS}`),
    recordDenial: db.prepare(`INSERT INTO denials (grant_id, at, count) VALUES (?, ?, 1)
      ON CONFLICT (grant_id, at) DO UPDATE SET count = count + 1`),
    countDenialsSince: db
      .prepare('SELECT coalesce(sum(count), 0) FROM denials WHERE grant_id = ? AND at >= ?')
      .pluck(),
    clearDenials: db.prepare('DELETE FROM denials WHERE grant_id = ?'),
    auditHead: db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
    insertAudit: db.prepare(`INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (@seq, @v, @at, @kind,
      @actor, @data, @prev_hash, @hash)`),
    setAuditHead: db.prepare(`INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash)
      ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`),
    // Ordered by seq, the chain's own order, so that a swap of seq values shows in the hashes.
    readAudit: db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit WHERE seq >= ? ORDER BY seq LIMIT ?`),
    tailAudit: db.prepare(`SELECT ${AUDIT_COLUMNS} FROM
      (SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY seq DESC LIMIT ?) ORDER BY seq`),
    storeId: db.prepare('SELECT store_id FROM store_identity WHERE id = 1').pluck(),
  };
}
