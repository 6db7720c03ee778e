import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { chainAuditRecord, verifyAuditChain } from '../../core/index.js';
import { runStoreContract } from '../contract.js';
import {
  expectFirewallError,
  sampleDraft,
  sampleGrant,
  tokenHashOf,
} from '../contract-fixtures.js';
import { SqliteStore, openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'airlock-sqlite-store-'));
let files = 0;
const freshPath = (): string => join(dir, `store-${++files}.db`);

// Opening throws synchronously; a promise lets the shared assertion helper check the error.
const opening = async (path: string): Promise<SqliteStore> => openSqliteStore({ path });

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

runStoreContract('sqlite file', async () => openSqliteStore({ path: freshPath() }));
runStoreContract('sqlite in memory', async () => openSqliteStore({ path: ':memory:' }));

describe('SqliteStore', () => {
  it('sees a revocation or freeze made by another connection on the next token lookup', async () => {
    verifies('grant.checked-at-every-use');
    const path = freshPath();
    const gateway = openSqliteStore({ path });
    const cli = openSqliteStore({ path });
    await gateway.insertGrant(sampleGrant('grt_1'), tokenHashOf('one'));
    expect((await gateway.findGrantByTokenHash(tokenHashOf('one')))?.revokedAt).toBeUndefined();
    await cli.updateGrant('grt_1', { revokedAt: 5_000 });
    expect((await gateway.findGrantByTokenHash(tokenHashOf('one')))?.revokedAt).toBe(5_000);
    await cli.updateGrant('grt_1', { frozenAt: 6_000 });
    expect((await gateway.findGrantByTokenHash(tokenHashOf('one')))?.frozenAt).toBe(6_000);
    expect(await gateway.findGrantByTokenHash(tokenHashOf('two'))).toBeUndefined();
    await gateway.close();
    await cli.close();
  });

  it('keeps grants, denials and the audit chain across a reopen', async () => {
    verifies('store.audit-chain-kept');
    const path = freshPath();
    const first = openSqliteStore({ path });
    await first.insertGrant(sampleGrant('grt_1'), tokenHashOf('one'));
    await first.updateGrant('grt_1', { frozenAt: 2_000 });
    await first.recordDenial('grt_1', 1_500);
    for (let n = 1; n <= 3; n++) await first.appendAudit(sampleDraft(n));
    const head = await first.auditHead();
    const storeId = await first.storeId();
    await first.close();

    const second = new SqliteStore({ path });
    try {
      expect(await second.findGrantByTokenHash(tokenHashOf('one'))).toEqual(
        sampleGrant('grt_1', { frozenAt: 2_000 }),
      );
      expect(await second.countDenialsSince('grt_1', 0)).toBe(1);
      expect(await second.auditHead()).toEqual(head);
      expect(await second.storeId()).toBe(storeId);
      expect((await second.appendAudit(sampleDraft(4))).seq).toBe(4);
      expect(verifyAuditChain(await second.readAudit(), await second.auditHead())).toEqual({
        ok: true,
        count: 4,
      });
    } finally {
      await second.close();
    }
  });

  it('puts the database file in WAL mode with foreign keys enforced', async () => {
    const path = freshPath();
    const store = openSqliteStore({ path });
    await store.close();
    const raw = new Database(path);
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('foreign_key_list(denials)')).toHaveLength(1);
    } finally {
      raw.close();
    }
  });

  it('keeps one chain when two connections to the same file append in turn', async () => {
    verifies('store.audit-chain-kept');
    const path = freshPath();
    const left = openSqliteStore({ path });
    const right = openSqliteStore({ path });
    try {
      for (let n = 1; n <= 10; n++) await (n % 2 === 0 ? left : right).appendAudit(sampleDraft(n));
      const records = await left.readAudit();
      expect(records.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(verifyAuditChain(records, await right.auditHead())).toEqual({ ok: true, count: 10 });
    } finally {
      await left.close();
      await right.close();
    }
  });

  it('stores data as its canonical text, and still verifies records stored as JSON.stringify wrote them', async () => {
    const path = freshPath();
    // A record as earlier versions stored it: data in the writer's key order.
    const data = {
      verdict: 'allow',
      actions: [{ operation: 'project', effect: 'read' }],
      agent: 'a',
    };
    const old = chainAuditRecord(undefined, { kind: 'decision', actor: 'agent:a', at: 1, data });
    const store = openSqliteStore({ path });
    const raw = new Database(path);
    try {
      raw
        .prepare(
          'INSERT INTO audit (seq, v, at, kind, actor, data, prev_hash, hash) VALUES (?, 1, ?, ?, ?, ?, ?, ?)',
        )
        .run(old.seq, old.at, old.kind, old.actor, JSON.stringify(data), old.prevHash, old.hash);
      raw.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)').run(old.seq, old.hash);
      await Promise.all(
        [2, 3, 4].map((n) =>
          store.appendAudit({ ...sampleDraft(n), data: { z: n, a: { y: [n], b: 'é' } } }),
        ),
      );
      const stored = raw.prepare('SELECT data FROM audit ORDER BY seq').pluck().all();
      expect(stored).toEqual([
        JSON.stringify(data),
        ...[2, 3, 4].map((n) => `{"a":{"b":"é","y":[${n}]},"z":${n}}`),
      ]);
      expect(verifyAuditChain(await store.readAudit(), await store.auditHead())).toEqual({
        ok: true,
        count: 4,
      });
    } finally {
      raw.close();
      await store.close();
    }
  });

  it('refuses a path it cannot open with store.unavailable', async () => {
    const path = join(dir, 'missing-dir', 'store.db');
    await expectFirewallError(opening(path), 'store.unavailable');
  });

  it('refuses a file that is not a database with store.unavailable', async () => {
    const path = freshPath();
    writeFileSync(path, 'this is not a sqlite database, just text that is long enough '.repeat(10));
    await expectFirewallError(opening(path), 'store.unavailable');
  });

  it('refuses a database whose schema is newer than this build with store.migration', async () => {
    const path = freshPath();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    await expectFirewallError(opening(path), 'store.migration');
    const check = new Database(path);
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(99);
    } finally {
      check.close();
    }
  });
});
