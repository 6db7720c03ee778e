import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import type { AuditVerification } from '../../core/index.js';
import { isFirewallError, verifyAuditChain } from '../../core/index.js';
import { sampleDraft, sampleGrant, tokenHashOf } from '../contract-fixtures.js';
import type { SqliteStore } from './sqlite-store.js';
import { openSqliteStore } from './sqlite-store.js';

// Each test edits the database file through a second connection, as someone with access to
// the file could, while the store keeps its own connection open.
const dir = mkdtempSync(join(tmpdir(), 'airlock-sqlite-tamper-'));
let files = 0;
let path = '';
let store: SqliteStore;

beforeEach(async () => {
  path = join(dir, `tamper-${++files}.db`);
  store = openSqliteStore({ path });
  await store.insertGrant(sampleGrant('grt_1'), tokenHashOf('one'));
  for (let n = 1; n <= 5; n++) await store.appendAudit(sampleDraft(n));
});

afterEach(async () => {
  await store.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function tamper(sql: string): void {
  const raw = new Database(path);
  try {
    raw.exec(sql);
  } finally {
    raw.close();
  }
}

async function verify(): Promise<AuditVerification> {
  return verifyAuditChain(await store.readAudit(), await store.auditHead());
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('audit tampering on the SQLite file', () => {
  it('verifies before any tampering', async () => {
    expect(await verify()).toEqual({ ok: true, count: 5 });
  });

  it('detects an edited record at its seq', async () => {
    verifies('audit.detects-edit');
    tamper(`UPDATE audit SET data = json_set(data, '$.verdict', 'allow') WHERE seq = 3`);
    expect(await verify()).toMatchObject({ ok: false, badSeq: 3, count: 2 });
  });

  it('detects an edited time at its seq', async () => {
    verifies('audit.detects-edit');
    tamper('UPDATE audit SET at = at + 1 WHERE seq = 4');
    expect(await verify()).toMatchObject({ ok: false, badSeq: 4 });
  });

  it('detects a deleted middle record at its seq', async () => {
    verifies('audit.detects-deletion');
    tamper('DELETE FROM audit WHERE seq = 3');
    expect(await verify()).toMatchObject({ ok: false, badSeq: 3, count: 2 });
  });

  it('detects a deleted last record through the head, also after later appends', async () => {
    verifies('audit.detects-deletion');
    tamper('DELETE FROM audit WHERE seq = 5');
    expect(await verify()).toMatchObject({ ok: false, badSeq: 5, count: 4 });
    expect((await store.appendAudit(sampleDraft(6))).seq).toBe(6);
    expect(await verify()).toMatchObject({ ok: false, badSeq: 5, count: 4 });
  });

  it('detects two records whose seq values were swapped at the first of them', async () => {
    verifies('audit.detects-reorder');
    tamper(`UPDATE audit SET seq = -2 WHERE seq = 2;
      UPDATE audit SET seq = 2 WHERE seq = 4;
      UPDATE audit SET seq = 4 WHERE seq = -2;`);
    expect((await store.readAudit()).map((record) => record.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await verify()).toMatchObject({ ok: false, badSeq: 2, count: 1 });
  });

  it('detects a record whose seq and hashes were recomputed but not its successor', async () => {
    verifies('audit.detects-deletion');
    tamper('DELETE FROM audit WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3');
    expect(await verify()).toMatchObject({ ok: false, badSeq: 2 });
  });
});

describe('malformed rows in the SQLite file', () => {
  it.each([
    ['a time that is not a number', `UPDATE audit SET at = 'yesterday' WHERE seq = 2`],
    ['data that is not JSON', `UPDATE audit SET data = '{oops' WHERE seq = 2`],
    ['data that is not an object', `UPDATE audit SET data = '[1, 2]' WHERE seq = 2`],
    ['a hash that is not text', `UPDATE audit SET hash = x'00' WHERE seq = 2`],
    ['an unknown record version', 'UPDATE audit SET v = 2 WHERE seq = 2'],
  ])('refuses an audit record with %s, naming its seq', async (_, sql) => {
    verifies('store.corrupt-rows-refused');
    tamper(sql);
    const error = await rejection(store.readAudit());
    expect(isFirewallError(error, 'store.unavailable')).toBe(true);
    expect((error as Error).message).toContain('audit record 2');
  });

  it('refuses a malformed audit head', async () => {
    verifies('store.corrupt-rows-refused');
    tamper(`UPDATE audit_head SET seq = 'five'`);
    expect(isFirewallError(await rejection(store.auditHead()), 'store.unavailable')).toBe(true);
    // SECURITY: a chain whose head cannot be read must not be appended to.
    const appendError = await rejection(store.appendAudit(sampleDraft(6)));
    expect(isFirewallError(appendError, 'audit.write')).toBe(true);
  });

  it.each([
    ['a list that is not JSON', `UPDATE grants SET upstreams = 'railway'`],
    ['a list of numbers', `UPDATE grants SET resources = '[1, 2]'`],
    ['an unknown effect', `UPDATE grants SET effects = '["read", "launch"]'`],
    ['an expiry that is not a number', `UPDATE grants SET expires_at = 'never'`],
    ['an owner that is not text', `UPDATE grants SET owner = x'00'`],
  ])('refuses a grant with %s, naming the grant', async (_, sql) => {
    verifies('store.corrupt-rows-refused');
    tamper(sql);
    for (const read of [store.getGrant('grt_1'), store.findGrantByTokenHash(tokenHashOf('one'))]) {
      const error = await rejection(read);
      expect(isFirewallError(error, 'store.unavailable')).toBe(true);
      expect((error as Error).message).toContain('grant `grt_1`');
    }
  });
});
