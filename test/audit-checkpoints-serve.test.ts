import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/stores/index.js';
import { verifies } from './requirements.js';
import { freshHome, runCli } from './run-cli.js';
import { startServe } from './serve-process.js';

const seqsIn = (file: string): number[] =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => (JSON.parse(line) as { checkpoint: { seq: number } }).checkpoint.seq);

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a checkpoint');
    await sleep(100);
  }
}

describe('airlock serve --dev with audit checkpoints', () => {
  it(
    'signs checkpoints while serving and at shutdown; audit verify then catches a truncated tail',
    { timeout: 180_000 },
    async () => {
      verifies('audit.checkpoint-detects-truncation');
      verifies('audit.checkpoint-bounded');
      const home = freshHome();
      const witness = join(mkdtempSync(join(tmpdir(), 'airlock-witness-')), 'checkpoints.jsonl');
      writeFileSync(
        join(home, 'airlock.yaml'),
        `audit:\n  checkpoint:\n    everyRecords: 3\n    every: 1h\n    witnesses:\n      - kind: file\n        path: ${witness}\n`,
      );
      const serve = await startServe(home);
      const journal = join(home, 'audit-checkpoints.jsonl');
      let keyId: unknown;
      try {
        const surfaces = serve.ready['surfaces'] as Record<string, unknown>[];
        keyId = surfaces.find((surface) => surface['auditKeyId'] !== undefined)?.['auditKeyId'];
        expect(keyId).toMatch(/^[0-9a-f]{16}$/);
        await until(() => seqsIn(journal).length > 0, 10_000);
        // Records appended by a second writer of the same file, as the CLI did before the admin API.
        const writer = openSqliteStore({ path: join(home, 'airlock.db') });
        for (let n = 1; n <= 7; n++)
          await writer.appendAudit({ kind: 'decision', actor: 'agent:bot', at: n, data: { n } });
        await writer.close();
        await until(() => (seqsIn(journal).at(-1) ?? 0) >= 6, 20_000);
      } finally {
        expect(await serve.stop()).toBe(0);
      }
      const seqs = seqsIn(journal);
      expect(seqs.at(-1)).toBe(7);
      expect(seqs.length).toBeLessThanOrEqual(1 + Math.ceil(7 / 3) + 1);
      expect(seqsIn(witness)).toEqual(seqs);
      expect(statSync(join(home, 'audit-signing.key')).mode & 0o777).toBe(0o600);

      const publicKey = runCli(['audit', 'public-key', '--json'], { home });
      expect(publicKey.status).toBe(0);
      expect(JSON.parse(publicKey.stdout)).toMatchObject({ algorithm: 'ed25519', keyId });
      expect(publicKey.stdout).not.toContain('PRIVATE');

      const db = new Database(join(home, 'airlock.db'));
      db.exec(
        `DELETE FROM audit WHERE seq > 3; UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit WHERE seq = 3)`,
      );
      db.close();
      const verify = runCli(['audit', 'verify', '--witness', witness], { home });
      expect(verify.status).toBe(1);
      expect(verify.stdout).toContain('audit chain intact: 3 record(s)');
      expect(verify.stdout).toContain('record 7 was checkpointed');
      expect(verify.stdout).toContain('audit log NOT verified');
    },
  );
});
