import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFirewallError } from '../../core/index.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, readSchemaVersion } from './migrations.js';

let db: Database.Database;

beforeEach(() => {
  db = new Database(':memory:');
});

afterEach(() => {
  db.close();
});

function migrationError(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const tables = (): string[] =>
  db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all() as string[];

describe('migrate', () => {
  it('brings a new database to the latest version, and is idempotent', () => {
    migrate(db);
    expect(readSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(tables()).toEqual([
      'approvals',
      'approvers',
      'audit',
      'audit_head',
      'delayed_actions',
      'denials',
      'grants',
      'store_identity',
      'webhook_cursor',
      'webhook_deliveries',
    ]);
    migrate(db);
    expect(readSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
  });

  it('refuses a database newer than this build with store.migration and leaves it alone', () => {
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    expect(
      isFirewallError(
        migrationError(() => migrate(db)),
        'store.migration',
      ),
    ).toBe(true);
    expect(tables()).toEqual([]);
  });

  it('rolls back every step of a run when one step fails', () => {
    const sql = 'CREATE TABLE extra (a); SELECT * FROM nowhere';
    const failing = [...MIGRATIONS, { version: MIGRATIONS.length + 1, sql }];
    const error = migrationError(() => migrate(db, failing));
    expect(isFirewallError(error, 'store.migration')).toBe(true);
    expect((error as Error).cause).toBeDefined();
    expect(readSchemaVersion(db)).toBe(0);
    expect(tables()).toEqual([]);
  });

  it('gives approvers from before step 5 no admin role, no TOTP, and credential_changed_at = created_at', () => {
    migrate(db, MIGRATIONS.slice(0, 4));
    db.prepare(
      `INSERT INTO approvers (name, credential_hash, upstreams, environments, created_at)
      VALUES ('bob', 'scrypt$x', '["*"]', '["*"]', 1234)`,
    ).run();
    migrate(db);
    const row = db
      .prepare('SELECT admin, totp_secret, last_totp_step, credential_changed_at FROM approvers')
      .get();
    expect(row).toEqual({
      admin: 0,
      totp_secret: '',
      last_totp_step: 0,
      credential_changed_at: 1234,
    });
  });

  it('refuses migrations numbered out of order before touching the database', () => {
    const gap = [...MIGRATIONS, { version: MIGRATIONS.length + 2, sql: 'CREATE TABLE extra (a)' }];
    expect(
      isFirewallError(
        migrationError(() => migrate(db, gap)),
        'store.migration',
      ),
    ).toBe(true);
    expect(tables()).toEqual([]);
  });
});
