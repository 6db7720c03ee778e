import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditCheckpointV1, Store } from '../../core/index.js';
import { describeError, parseCheckpointLine } from '../../core/index.js';
import { AuditCheckpointer } from '../../firewall/index.js';
import {
  AUDIT_SIGNING_KEY_FILE,
  fileSink,
  loadOrCreateAuditSigningKey,
  readCheckpointLines,
  systemClock,
  witnessSink,
} from '../../platform/index.js';
import { runEvery } from '../background-loop.js';
import type { ServePartFactory } from './serve-part.js';

/** The home's own checkpoint file (one signed JSON line per checkpoint). */
export const AUDIT_CHECKPOINTS_FILE = 'audit-checkpoints.jsonl';

// How often the head is looked at; a checkpoint is written only when one is due.
const CHECKPOINT_POLL_MS = 250;

/**
 * `airlock serve`'s audit checkpoints: signs the chain's head with the home's Ed25519 key
 * (created on first serve) into HOME/audit-checkpoints.jsonl and the configured witnesses, at
 * start, every N records or T seconds, and at shutdown. Nothing for an in-memory store.
 */
export const checkpointsServePart: ServePartFactory = async ({ loaded, store, warn }) => {
  if (loaded.config.store.kind === 'memory') return undefined;
  const { everyRecords, every, witnesses } = loaded.config.audit.checkpoint;
  const journalPath = join(loaded.home, AUDIT_CHECKPOINTS_FILE);
  return {
    name: 'audit checkpoints',
    start: async () => {
      // SECURITY: created 0600 and never printed; only the public key leaves the home.
      const signer = loadOrCreateAuditSigningKey(join(loaded.home, AUDIT_SIGNING_KEY_FILE));
      await endTornLine(journalPath);
      const previous = await lastCheckpoint(journalPath);
      const mismatch = await startMismatch(store, previous);
      if (mismatch !== undefined) warn(`${mismatch}; run \`airlock audit verify\``);
      const checkpointer = new AuditCheckpointer({
        store,
        clock: systemClock,
        signer,
        journal: fileSink(journalPath),
        witnesses: witnesses.map(witnessSink),
        everyRecords,
        everyMs: every,
        previous,
        onWitnessError: (witness, error) =>
          warn(`checkpoint witness ${witness} failed (will retry): ${describeError(error)}`),
      });
      await checkpointer.checkpointNow();
      const loop = runEvery(CHECKPOINT_POLL_MS, () => checkpointer.tick(), {
        firstAfterMs: CHECKPOINT_POLL_MS,
        onError: (error) => warn(`audit checkpoint failed: ${describeError(error)}`),
      });
      return {
        lines: [
          `audit checkpoints: ${journalPath} (key ${signer.keyId}${witnesses.length > 0 ? `, ${witnesses.length} witness(es)` : ''})`,
        ],
        info: {
          auditCheckpoints: journalPath,
          auditKeyId: signer.keyId,
          witnesses: witnesses.map((w) => w.kind),
        },
        close: async () => {
          await loop.stop();
          await checkpointer.close();
        },
      };
    },
  };
};

// A crash mid-append can leave a line without its newline; the next line must not be glued to it.
async function endTornLine(path: string): Promise<void> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  if (text !== '' && !text.endsWith('\n')) await appendFile(path, '\n', { mode: 0o600 });
}

async function lastCheckpoint(path: string): Promise<AuditCheckpointV1 | undefined> {
  const lines = (await readCheckpointLines(path)) ?? [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const parsed = parseCheckpointLine(lines[i] ?? '');
    if (parsed.ok) return parsed.value.checkpoint;
  }
  return undefined;
}

// Loud, not fatal: the evidence stays in the checkpoint file whatever the server signs next.
async function startMismatch(
  store: Store,
  previous: AuditCheckpointV1 | undefined,
): Promise<string | undefined> {
  if (previous === undefined) return undefined;
  const storeId = await store.storeId();
  if (storeId !== previous.storeId)
    return `the last audit checkpoint is for store ${previous.storeId}, but this database is store ${storeId}`;
  const head = await store.auditHead();
  if ((head?.seq ?? 0) < previous.seq)
    return `the audit log ends at record ${head?.seq ?? 0}, but record ${previous.seq} was checkpointed`;
  if (previous.seq === 0) return undefined;
  const [record] = await store.readAudit({ fromSeq: previous.seq, limit: 1 });
  if (record?.seq !== previous.seq || record.hash !== previous.hash)
    return `audit record ${previous.seq} is not the one that was checkpointed`;
  return undefined;
}
