import { mkdtempSync, statSync } from 'node:fs';
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
        await store.appendAudit({ kind: 'decision', actor: 'system', at: i, data: { note: 'x'.repeat(500), i } });
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
