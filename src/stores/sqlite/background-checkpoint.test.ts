import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.js';

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('background WAL checkpoints', () => {
  it('leave commits to the WAL and copy them into the database from another thread', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'airlock-ckpt-')), 'airlock.db');
    const store = new SqliteStore({ path, backgroundCheckpoint: true });
    try {
      const sizeAfterOpen = statSync(path).size;
      for (let i = 0; i < 300; i += 1) {
        await store.appendAudit({
          kind: 'decision',
          actor: 'system',
          at: i,
          data: { note: 'x'.repeat(500), i },
        });
      }
      // Nothing on the request path checkpointed: the records are only in the WAL so far...
      expect(statSync(path).size).toBe(sizeAfterOpen);
      // ...until the worker copies them in.
      expect(await until(() => statSync(path).size > sizeAfterOpen, 10_000)).toBe(true);
      const reader = new Database(path, { readonly: true });
      try {
        expect(reader.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(300);
      } finally {
        reader.close();
      }
    } finally {
      await store.close();
    }
  });
});

describe('closing a store with background checkpoints', () => {
  it('finishes even when nothing else keeps the process alive', () => {
    const folder = mkdtempSync(join(tmpdir(), 'airlock-ckpt-exit-'));
    const script = join(folder, 'close.mts');
    const store = JSON.stringify(join(import.meta.dirname, 'sqlite-store.ts'));
    writeFileSync(
      script,
      `import { SqliteStore } from ${store};
const store = new SqliteStore({ path: ${JSON.stringify(join(folder, 'a.db'))}, backgroundCheckpoint: true });
await store.appendAudit({ kind: 'decision', actor: 'system', at: 1, data: { a: 1 } });
await store.close();
console.log('closed');
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: join(import.meta.dirname, '..', '..', '..'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    // Exit code 13 is Node's "unsettled top-level await": the process ended inside close().
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({
      status: 0,
      stdout: 'closed',
    });
  });
});
