import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../src/cli/audit-verify.js';
import { AUDIT_CHECKPOINTS_FILE } from '../src/server/index.js';
import { AuditCheckpointer } from '../src/firewall/index.js';
import {
  AUDIT_SIGNING_KEY_FILE,
  fileSink,
  loadOrCreateAuditSigningKey,
  readAuditSigningKey,
  systemClock,
} from '../src/platform/index.js';
import { openSqliteStore } from '../src/stores/index.js';
import { verifies } from './requirements.js';

// Every attack here is done the way someone with write access to the home would: SQL on the
// database file through a second connection, and plain file edits, on real files.

interface Served {
  readonly home: string;
  readonly db: string;
  readonly witness: string;
}

/** A home as `airlock serve` leaves it: 12 records checkpointed every 5, then 3 more after shutdown. */
async function servedHome(): Promise<Served> {
  const home = mkdtempSync(join(tmpdir(), 'airlock-ckpt-'));
  const witness = join(mkdtempSync(join(tmpdir(), 'airlock-witness-')), 'witness.jsonl');
  const db = join(home, 'airlock.db');
  const store = openSqliteStore({ path: db });
  const checkpointer = new AuditCheckpointer({
    store,
    clock: systemClock,
    signer: loadOrCreateAuditSigningKey(join(home, AUDIT_SIGNING_KEY_FILE)),
    journal: fileSink(join(home, AUDIT_CHECKPOINTS_FILE)),
    witnesses: [fileSink(witness)],
    everyRecords: 5,
    everyMs: 60_000,
  });
  await checkpointer.checkpointNow();
  const append = async (n: number) =>
    store.appendAudit({ kind: 'decision', actor: 'agent:bot', at: 1_000 + n, data: { n } });
  for (let n = 1; n <= 12; n++) {
    await append(n);
    await checkpointer.tick();
  }
  await checkpointer.close();
  for (let n = 13; n <= 15; n++) await append(n);
  await store.close();
  return { home, db, witness };
}

function verify(served: Served, options: { witness?: boolean; publicKeyFile?: string } = {}) {
  return verifyAuditLog({
    home: served.home,
    storeFile: served.db,
    openStore: () => openSqliteStore({ path: served.db }),
    publicKeyFile: options.publicKeyFile,
    witnessFiles: options.witness === true ? [served.witness] : [],
  });
}

function sql(path: string, text: string): void {
  const db = new Database(path);
  try {
    db.exec(text);
  } finally {
    db.close();
  }
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

const checkpointLines = (served: Served) =>
  readFileSync(join(served.home, AUDIT_CHECKPOINTS_FILE), 'utf8').trimEnd().split('\n');

describe('signed audit checkpoints against a writer of the home', () => {
  it('verifies an untouched home, counting the records after the last checkpoint', async () => {
    const served = await servedHome();
    const report = await verify(served, { witness: true });
    expect(report).toMatchObject({
      ok: true,
      count: 15,
      problems: [],
      checkpoints: { lastSeq: 12, notYetCheckpointed: 3 },
    });
    expect(report.checkpoints.count).toBe(checkpointLines(served).length);
    expect(report.witnesses).toEqual([{ file: served.witness, count: report.checkpoints.count }]);
  });

  it('reports a tail deleted with SQL and the head row rewritten, naming the checkpointed seq', async () => {
    verifies('audit.checkpoint-detects-truncation');
    const served = await servedHome();
    sql(
      served.db,
      `DELETE FROM audit WHERE seq > 6;
      UPDATE audit_head SET seq = 6, hash = (SELECT hash FROM audit WHERE seq = 6)`,
    );
    const report = await verify(served);
    // The chain alone still reads as intact: only the checkpoints show what is gone.
    expect(report).toMatchObject({ ok: false, count: 6 });
    expect(report.badSeq).toBeUndefined();
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'missing', seq: 12 })]);
    expect(report.problems[0]?.message).toContain('records 7 to 12');
  });

  it('reports a deleted database and does not create a new one', async () => {
    verifies('audit.checkpoint-store-id');
    const served = await servedHome();
    removeDatabase(served.db);
    const report = await verify(served);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(['absent', 'store-id']);
    expect(report.problems[1]?.message).toContain('the database was deleted');
    expect(existsSync(served.db)).toBe(false);
  });

  it('reports a fresh empty database in its place, and one swapped in from another home', async () => {
    verifies('audit.checkpoint-store-id');
    const served = await servedHome();
    const other = await servedHome();
    removeDatabase(served.db);
    await openSqliteStore({ path: served.db }).close();
    const fresh = await verify(served);
    expect(fresh.problems).toEqual([expect.objectContaining({ kind: 'store-id', seq: 12 })]);
    removeDatabase(served.db);
    copyFileSync(other.db, served.db);
    const swapped = await verify(served);
    expect(swapped.count).toBe(15);
    expect(swapped.problems).toEqual([expect.objectContaining({ kind: 'store-id' })]);
    expect(swapped.problems[0]?.message).toContain('swapped');
  });

  it('reports a checkpoint line edited to match a shortened chain: its signature fails', async () => {
    verifies('audit.checkpoint-signed');
    const served = await servedHome();
    const lines = checkpointLines(served);
    const last = lines.length;
    lines[last - 1] = (lines[last - 1] ?? '').replace('"seq":12', '"seq":11');
    writeFileSync(join(served.home, AUDIT_CHECKPOINTS_FILE), `${lines.join('\n')}\n`);
    const report = await verify(served);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'signature', line: last, seq: 11 }),
    ]);
  });

  it('catches a deleted checkpoint file, and with --witness also a cut one', async () => {
    verifies('audit.checkpoint-witness');
    const served = await servedHome();
    const file = join(served.home, AUDIT_CHECKPOINTS_FILE);
    const lines = checkpointLines(served);
    writeFileSync(file, `${lines.slice(0, 2).join('\n')}\n`);
    sql(
      served.db,
      `DELETE FROM audit WHERE seq > 6;
      UPDATE audit_head SET seq = 6, hash = (SELECT hash FROM audit WHERE seq = 6)`,
    );
    expect((await verify(served)).ok).toBe(true);
    const cut = await verify(served, { witness: true });
    expect(cut.problems.map((p) => p.kind)).toEqual(['missing', 'witness']);
    expect(cut.problems[1]?.message).toContain('was cut or deleted');
    rmSync(file);
    const deleted = await verify(served, { witness: true });
    expect(deleted.problems.map((p) => p.kind)).toEqual(['absent', 'missing', 'witness']);
    expect((await verify(served)).problems.map((p) => p.kind)).toEqual(['absent']);
  });

  it('ignores a line torn by a crash, with a note, but not a removed line', async () => {
    const served = await servedHome();
    const file = join(served.home, AUDIT_CHECKPOINTS_FILE);
    const lines = checkpointLines(served);
    writeFileSync(file, `${lines.join('\n')}\n{"checkpoint":{"v":1,"sto\n`);
    const torn = await verify(served);
    expect(torn).toMatchObject({ ok: true, problems: [] });
    expect(torn.notes).toEqual([expect.stringContaining('line 5 is not a checkpoint')]);
    writeFileSync(file, `${[lines[0], 'garbage', ...lines.slice(2)].join('\n')}\n`);
    expect((await verify(served)).problems).toEqual([
      expect.objectContaining({ kind: 'sequence', line: 3 }),
    ]);
  });

  it('checks with an exported public key when the home lost its signing key', async () => {
    const served = await servedHome();
    const exported = join(mkdtempSync(join(tmpdir(), 'airlock-pub-')), 'audit.pub');
    writeFileSync(
      exported,
      readAuditSigningKey(join(served.home, AUDIT_SIGNING_KEY_FILE))?.publicKeyPem ?? '',
    );
    rmSync(join(served.home, AUDIT_SIGNING_KEY_FILE));
    expect((await verify(served)).problems).toEqual([expect.objectContaining({ kind: 'absent' })]);
    expect(await verify(served, { publicKeyFile: exported, witness: true })).toMatchObject({
      ok: true,
      problems: [],
    });
  });
});
