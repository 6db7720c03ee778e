import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { AuditLog, AuditRecord } from '../core/index.js';
import { edgeDrafts, sampleDraft } from './contract-fixtures.js';
import { MemoryStore } from './memory/memory-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

async function appendAll(store: AuditLog & { close(): Promise<void> }): Promise<AuditRecord[]> {
  try {
    for (const draft of [sampleDraft(1), ...edgeDrafts(), sampleDraft(2)])
      await store.appendAudit(draft);
    return await store.readAudit();
  } finally {
    await store.close();
  }
}

describe('audit draft preparation across stores', () => {
  it('records the same drafts as the same records, byte for byte, in memory and in SQLite', async () => {
    verifies('store.audit-chain-kept');
    const memory = await appendAll(new MemoryStore());
    const sqlite = await appendAll(new SqliteStore({ path: ':memory:' }));
    expect(memory).toEqual(sqlite);
    // The data as JSON text too, not only deeply equal: its key order must match as well.
    const dataText = (records: AuditRecord[]) =>
      records.map((record) => JSON.stringify(record.data));
    expect(dataText(memory)).toEqual(dataText(sqlite));
  });
});
