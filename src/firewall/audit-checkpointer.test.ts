import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { AuditHead, AuditRecordV1, CheckpointSignatureCheck } from '../core/index.js';
import {
  FixedClock,
  chainAuditRecord,
  parseCheckpointLine,
  verifyAuditCheckpoints,
} from '../core/index.js';
import type { CheckpointLineSink, CheckpointSigner } from './audit-checkpointer.js';
import { AuditCheckpointer } from './audit-checkpointer.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer: CheckpointSigner = {
  keyId: 'k1',
  sign: (text) => sign(null, Buffer.from(text), privateKey).toString('base64'),
};
const check: CheckpointSignatureCheck = (text, signature) =>
  verify(null, Buffer.from(text), publicKey, Buffer.from(signature, 'base64'));

class ListSink implements CheckpointLineSink {
  readonly lines: string[] = [];
  failing = false;
  constructor(readonly name: string) {}
  async append(line: string): Promise<void> {
    if (this.failing) throw new Error('unreachable');
    this.lines.push(line);
  }
}

/** The two things the checkpointer reads, over an in-memory chain. */
class ChainFake {
  readonly records: AuditRecordV1[] = [];
  async storeId(): Promise<string> {
    return 'sto_fake';
  }
  async auditHead(): Promise<AuditHead | undefined> {
    const last = this.records.at(-1);
    return last === undefined ? undefined : { seq: last.seq, hash: last.hash };
  }
  append(at: number): void {
    this.records.push(
      chainAuditRecord(this.records.at(-1), { kind: 'decision', actor: 'system', at, data: {} }),
    );
  }
}

function setup(options: { everyRecords?: number; everyMs?: number } = {}) {
  const store = new ChainFake();
  const clock = new FixedClock();
  const journal = new ListSink('journal');
  const witness = new ListSink('witness');
  const errors: string[] = [];
  const checkpointer = new AuditCheckpointer({
    store,
    clock,
    signer,
    journal,
    witnesses: [witness],
    everyRecords: options.everyRecords ?? 10,
    everyMs: options.everyMs ?? 10_000,
    onWitnessError: (name) => errors.push(name),
  });
  const append = async (count: number) => {
    for (let n = 0; n < count; n++) store.append(clock.now());
  };
  const seqs = () =>
    journal.lines.map(
      (line) =>
        (parseCheckpointLine(line) as { ok: true; value: { checkpoint: { seq: number } } }).value
          .checkpoint.seq,
    );
  return { store, clock, journal, witness, errors, checkpointer, append, seqs };
}

describe('AuditCheckpointer', () => {
  it('writes at most one checkpoint per N records under load, and one at close', async () => {
    verifies('audit.checkpoint-bounded');
    const { checkpointer, append, seqs, journal, witness, store } = setup({ everyRecords: 10 });
    await checkpointer.checkpointNow();
    for (let round = 0; round < 40; round++) {
      await append(3);
      await checkpointer.tick();
    }
    await append(2);
    await checkpointer.close();
    const written = seqs();
    expect(written[0]).toBe(0);
    expect(written.at(-1)).toBe(122);
    for (let i = 2; i < written.length - 1; i++)
      expect((written[i] ?? 0) - (written[i - 1] ?? 0)).toBeGreaterThanOrEqual(10);
    expect(written.length).toBeLessThanOrEqual(2 + 120 / 10);
    expect(witness.lines).toEqual(journal.lines);
    const result = verifyAuditCheckpoints(
      {
        storeId: 'sto_fake',
        last: await store.auditHead(),
        hashAt: (seq) => store.records[seq - 1]?.hash,
      },
      { name: 'journal', lines: journal.lines },
      check,
      { linked: true },
    );
    expect(result).toMatchObject({ ok: true, notYetCheckpointed: 0 });
  });

  it('checkpoints a moved head after the interval, and nothing while the head stands still', async () => {
    const { checkpointer, append, seqs, clock } = setup({ everyRecords: 100, everyMs: 10_000 });
    await checkpointer.checkpointNow();
    await append(3);
    await checkpointer.tick();
    expect(seqs()).toEqual([0]);
    clock.advance(10_000);
    await checkpointer.tick();
    expect(seqs()).toEqual([0, 3]);
    clock.advance(60_000);
    await checkpointer.tick();
    await checkpointer.close();
    expect(seqs()).toEqual([0, 3]);
  });

  it('retries a failing witness with backoff, off the checkpoint, and catches it up in order', async () => {
    const { checkpointer, append, journal, witness, errors, clock } = setup({ everyRecords: 1 });
    witness.failing = true;
    await append(1);
    await checkpointer.tick();
    await append(1);
    await checkpointer.tick();
    expect(journal.lines).toHaveLength(2);
    expect(witness.lines).toEqual([]);
    expect(errors).toEqual(['witness']);
    expect(checkpointer.backlog()).toEqual({ witness: 2 });
    witness.failing = false;
    clock.advance(1_000);
    await checkpointer.tick();
    expect(witness.lines).toEqual(journal.lines);
  });

  it('does not link to a checkpoint the journal refused', async () => {
    const { checkpointer, append, journal, seqs } = setup({ everyRecords: 1 });
    await append(1);
    journal.failing = true;
    await expect(checkpointer.tick()).rejects.toThrow('unreachable');
    journal.failing = false;
    await checkpointer.tick();
    const [line] = journal.lines;
    expect(seqs()).toEqual([1]);
    expect(parseCheckpointLine(line ?? '')).toMatchObject({
      ok: true,
      value: { checkpoint: { seq: 1 } },
    });
    expect(JSON.parse(line ?? '{}').checkpoint.prev).toBeUndefined();
  });
});
