import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { AuditCheckpointV1, CheckpointSignatureCheck } from './audit-checkpoint.js';
import {
  checkpointSigningText,
  createAuditCheckpoint,
  parseCheckpointLine,
  toCheckpointLine,
} from './audit-checkpoint.js';
import type { CheckpointedStore } from './audit-checkpoint-verify.js';
import { compareWitness, verifyAuditCheckpoints } from './audit-checkpoint-verify.js';
import type { AuditRecordV1 } from './audit.js';
import { chainAuditRecord } from './audit.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const check: CheckpointSignatureCheck = (text, signature) =>
  verify(null, Buffer.from(text), publicKey, Buffer.from(signature, 'base64'));

function chain(count: number): AuditRecordV1[] {
  const records: AuditRecordV1[] = [];
  for (let n = 1; n <= count; n++)
    records.push(
      chainAuditRecord(records.at(-1), { kind: 'decision', actor: 'system', at: n, data: { n } }),
    );
  return records;
}

function storeOf(
  records: readonly AuditRecordV1[],
  storeId: string | null = 'sto_a',
): CheckpointedStore {
  const bySeq = new Map(records.map((record) => [record.seq, record.hash]));
  const last = records.at(-1);
  return {
    storeId: storeId ?? undefined,
    last: last === undefined ? undefined : { seq: last.seq, hash: last.hash },
    hashAt: (seq) => bySeq.get(seq),
  };
}

/** Signed lines checkpointing `records` at each of `seqs`, linked like the server writes them. */
function linesAt(
  records: readonly AuditRecordV1[],
  seqs: readonly number[],
  storeId = 'sto_a',
): string[] {
  let previous: AuditCheckpointV1 | undefined;
  return seqs.map((seq) => {
    const record = records[seq - 1];
    const head = record === undefined ? undefined : { seq: record.seq, hash: record.hash };
    const checkpoint = createAuditCheckpoint({ storeId, head, at: 1_000 + seq, previous });
    previous = checkpoint;
    const signature = sign(
      null,
      Buffer.from(checkpointSigningText(checkpoint)),
      privateKey,
    ).toString('base64');
    return toCheckpointLine({ checkpoint, keyId: 'k1', signature });
  });
}

const run = (store: CheckpointedStore, lines: readonly string[], linked = true) =>
  verifyAuditCheckpoints(store, { name: 'home', lines }, check, { linked });

describe('audit checkpoints', () => {
  it('verifies an untouched store and counts records after the last checkpoint', () => {
    const records = chain(12);
    const result = run(storeOf(records), linesAt(records, [0, 5, 10]));
    expect(result).toMatchObject({ ok: true, problems: [], notYetCheckpointed: 2 });
    expect(result.last?.checkpoint.seq).toBe(10);
  });

  it('parses what it writes, and refuses lines with unknown fields or bad digests', () => {
    const [line] = linesAt(chain(1), [1]);
    expect(parseCheckpointLine(line ?? '')).toMatchObject({
      ok: true,
      value: { checkpoint: { seq: 1, storeId: 'sto_a' } },
    });
    expect(
      parseCheckpointLine(
        '{"checkpoint":{"v":1,"storeId":"s","seq":1,"hash":"00","at":1},"keyId":"k","signature":"x"}',
      ),
    ).toMatchObject({ ok: false });
    expect(parseCheckpointLine((line ?? '').replace('"v":1', '"v":1,"extra":2'))).toMatchObject({
      ok: false,
    });
  });

  it('reports a tail cut after a checkpoint, head rewritten, naming the checkpointed seq', () => {
    verifies('audit.checkpoint-detects-truncation');
    const records = chain(10);
    const result = run(storeOf(records.slice(0, 6)), linesAt(records, [5, 8]));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'missing', seq: 8, line: 2 }),
    ]);
    expect(result.problems[0]?.message).toContain('records 7 to 8');
  });

  it('reports a rewritten chain whose checkpointed hashes differ', () => {
    const records = chain(6);
    const forged = records.slice(0, 3);
    while (forged.length < 6)
      forged.push(chainAuditRecord(forged.at(-1), { kind: 'x', actor: 'system', at: 9, data: {} }));
    const result = run(storeOf(forged), linesAt(records, [2, 4, 6]));
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'altered', seq: 4 })]);
  });

  it('reports checkpoints of another store, and a missing database', () => {
    verifies('audit.checkpoint-store-id');
    const records = chain(4);
    const lines = linesAt(records, [0, 4]);
    expect(run(storeOf(records, 'sto_b'), lines).problems).toEqual([
      expect.objectContaining({ kind: 'store-id', seq: 4 }),
    ]);
    const gone = run(storeOf([], null), lines);
    expect(gone.problems).toEqual([expect.objectContaining({ kind: 'store-id' })]);
    expect(gone.problems[0]?.message).toContain('no database');
  });

  it('refuses an edited line and a line signed by another key', () => {
    verifies('audit.checkpoint-signed');
    const records = chain(4);
    const [first, second] = linesAt(records, [2, 4]);
    const edited = (second ?? '').replace('"seq":4', '"seq":3');
    const result = run(storeOf(records), [first ?? '', edited]);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'signature', line: 2, seq: 3 }),
    ]);
    const other = generateKeyPairSync('ed25519');
    const otherCheck: CheckpointSignatureCheck = (text, signature) =>
      verify(null, Buffer.from(text), other.publicKey, Buffer.from(signature, 'base64'));
    expect(
      verifyAuditCheckpoints(storeOf(records), { name: 'home', lines: [first ?? ''] }, otherCheck, {
        linked: true,
      }).problems,
    ).toHaveLength(1);
  });

  it('reports a removed middle line and a cut beginning in the linked file only', () => {
    const records = chain(6);
    const lines = linesAt(records, [2, 4, 6]);
    const removed = [lines[0] ?? '', lines[2] ?? ''];
    expect(run(storeOf(records), removed).problems).toEqual([
      expect.objectContaining({ kind: 'sequence', line: 2 }),
    ]);
    expect(run(storeOf(records), lines.slice(1)).problems).toEqual([
      expect.objectContaining({ kind: 'sequence', line: 1 }),
    ]);
    expect(run(storeOf(records), removed, false).ok).toBe(true);
  });

  it('reports a witness holding checkpoints the home file lost', () => {
    verifies('audit.checkpoint-witness');
    const records = chain(6);
    const lines = linesAt(records, [2, 4, 6]);
    const trusted = (subset: readonly string[]) => run(storeOf(records), subset, false).trusted;
    expect(compareWitness(trusted(lines), trusted(lines), 'w')).toEqual([]);
    expect(compareWitness(trusted(lines), trusted(lines.slice(0, 2)), 'w')).toEqual([]);
    expect(compareWitness(trusted(lines.slice(0, 1)), trusted(lines), 'w')).toEqual([
      expect.objectContaining({ kind: 'witness', seq: 6 }),
    ]);
    expect(compareWitness([], trusted(lines), 'w')[0]?.message).toContain('cut or deleted');
    const middle = compareWitness(trusted([lines[0] ?? '', lines[2] ?? '']), trusted(lines), 'w');
    expect(middle[0]?.message).toContain('removed from the home');
  });
});
