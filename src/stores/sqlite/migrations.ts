import type Database from 'better-sqlite3';
import { FirewallError, describeError } from '../../core/index.js';

/** One schema step; `version` is what `PRAGMA user_version` reads once it has run. */
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

/**
 * Every schema step, oldest first. Append only: a released step is never edited, because
 * databases in the field already ran it.
 */
// INVARIANT: versions are 1, 2, 3, … with no gaps; `migrate` checks this before touching a file.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE grants (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        agent TEXT NOT NULL,
        owner TEXT NOT NULL,
        upstreams TEXT NOT NULL,
        environments TEXT NOT NULL,
        effects TEXT NOT NULL,
        resources TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        parent_id TEXT REFERENCES grants (id),
        revoked_at INTEGER,
        frozen_at INTEGER
      );
      CREATE INDEX grants_by_parent ON grants (parent_id, created_at);

      -- Denials at the same moment share a row and a count. Clustered on (grant_id, at), so
      -- recording one writes a single page and counting a window reads one range.
      CREATE TABLE denials (
        grant_id TEXT NOT NULL REFERENCES grants (id),
        at INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (grant_id, at)
      ) WITHOUT ROWID;

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        v INTEGER NOT NULL,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        actor TEXT NOT NULL,
        data TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );

      -- A single row, written in the same transaction as each audit append, so that removing
      -- records from the end of the chain leaves a head that no longer matches.
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- The approval as JSON in data; the columns queried or compared-and-set sit beside it.
      CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        grant_id TEXT NOT NULL,
        request_digest TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX approvals_by_request ON approvals (grant_id, request_digest, created_at);
      CREATE INDEX approvals_by_state ON approvals (state, created_at);
      -- At most one pending approval per request, even when two replicas hold it at once.
      CREATE UNIQUE INDEX approvals_one_pending ON approvals (grant_id, request_digest)
        WHERE state = 'pending';

      CREATE TABLE approvers (
        name TEXT PRIMARY KEY,
        credential_hash TEXT NOT NULL,
        upstreams TEXT NOT NULL,
        environments TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    sql: `
      -- Requests Airlock runs itself after an undo window; the record as JSON in data.
      CREATE TABLE delayed_actions (
        approval_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX delayed_actions_by_status ON delayed_actions (status, created_at);

      -- The webhook delivery log: one row per endpoint and audit record, with its attempts.
      CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        audit_seq INTEGER NOT NULL,
        status TEXT NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (endpoint, audit_seq)
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

      -- How far the audit log has been turned into deliveries (a single row).
      CREATE TABLE webhook_cursor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    sql: `
      -- The store's own random id, made once when the schema step runs (a new file, or an old
      -- one on upgrade). Signed audit checkpoints name it: a recreated or swapped-in database
      -- has another id.
      CREATE TABLE store_identity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        store_id TEXT NOT NULL
      );
      INSERT INTO store_identity (id, store_id) VALUES (1, 'sto_' || lower(hex(randomblob(16))));
    `,
  },
  {
    version: 5,
    sql: `
      -- Approvers' second factor and roles. Existing approvers are not administrators and have
      -- no TOTP secret: they cannot vote by code until enrolled again.
      ALTER TABLE approvers ADD COLUMN admin INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1));
      ALTER TABLE approvers ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
      ALTER TABLE approvers ADD COLUMN last_totp_step INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE approvers ADD COLUMN credential_changed_at INTEGER NOT NULL DEFAULT 0;
      UPDATE approvers SET credential_changed_at = created_at;
    `,
  },
];

/** The schema version this build writes and understands. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Brings a database up to `LATEST_SCHEMA_VERSION` in one transaction; `store.migration` if the
 * database is newer than this build or a step fails (the database is then left as it was).
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): void {
  assertOrdered(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  // IMMEDIATE takes the write lock first, so two processes opening one file migrate in turn.
  const run = db.transaction(() => {
    const current = readSchemaVersion(db);
    if (current > latest) {
      throw new FirewallError(
        'store.migration',
        `database schema version ${current} is newer than this build knows (${latest})`,
      );
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      applyMigration(db, migration);
    }
  });
  try {
    run.immediate();
  } catch (error) {
    if (error instanceof FirewallError) throw error;
    throw new FirewallError('store.migration', `while migrating: ${describeError(error)}`, {
      cause: error,
    });
  }
}

/** The schema version recorded in the database file (0 for a new file). */
export function readSchemaVersion(db: Database.Database): number {
  const version: unknown = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new FirewallError('store.migration', 'database schema version is not a whole number');
  }
  return version;
}

function applyMigration(db: Database.Database, migration: Migration): void {
  try {
    db.exec(migration.sql);
    // user_version lives in the file header, which the surrounding transaction covers.
    db.pragma(`user_version = ${migration.version}`);
  } catch (error) {
    throw new FirewallError(
      'store.migration',
      `while applying schema version ${migration.version}: ${describeError(error)}`,
      { cause: error },
    );
  }
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (!Number.isSafeInteger(migration.version) || migration.version !== index + 1) {
      throw new FirewallError(
        'store.migration',
        `migration ${index + 1} is numbered ${migration.version}: versions must count up from 1`,
      );
    }
  });
}
