import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { AuditHead, AuditRecordV1 } from './audit.js';
import { chainAuditRecord, hashAuditRecord, verifyAuditChain } from './audit.js';
import type { JsonValue } from './canonical.js';
import { sha256Hex, toCanonicalJson } from './canonical.js';

function buildChain(size: number): { records: AuditRecordV1[]; head: AuditHead | undefined } {
  const records: AuditRecordV1[] = [];
  let head: AuditHead | undefined;
  for (let i = 0; i < size; i++) {
    const record = chainAuditRecord(head, {
      kind: 'decision',
      actor: `agent:a${i % 3}`,
      at: 1000 + i,
      data: { n: i, verdict: i % 2 ? 'allow' : 'deny' },
    });
    records.push(record);
    head = { seq: record.seq, hash: record.hash };
  }
  return { records, head };
}

type Tamper =
  | { kind: 'edit'; index: number; field: 'kind' | 'actor' | 'at' | 'data' | 'prevHash' | 'seq' }
  | { kind: 'delete'; index: number }
  | { kind: 'swap'; index: number; other: number };

function tamper(records: AuditRecordV1[], change: Tamper): AuditRecordV1[] {
  const copy = [...records];
  if (change.kind === 'delete') {
    copy.splice(change.index, 1);
    return copy;
  }
  if (change.kind === 'swap') {
    const a = copy[change.index] as AuditRecordV1;
    copy[change.index] = copy[change.other] as AuditRecordV1;
    copy[change.other] = a;
    return copy;
  }
  const record = copy[change.index] as AuditRecordV1;
  const edits: Record<typeof change.field, Partial<AuditRecordV1>> = {
    kind: { kind: `${record.kind}!` },
    actor: { actor: 'human:mallory' },
    at: { at: record.at + 1 },
    data: { data: { ...record.data, verdict: 'tampered' } },
    prevHash: { prevHash: 'f'.repeat(64) },
    seq: { seq: record.seq + 100 },
  };
  copy[change.index] = { ...record, ...edits[change.field] };
  return copy;
}

describe('audit hash chain', () => {
  it('verifies an intact chain of any length', () => {
    for (const size of [0, 1, 7]) {
      const { records, head } = buildChain(size);
      expect(verifyAuditChain(records, head)).toEqual({ ok: true, count: size });
    }
  });

  it('detects any single edit, deletion or reordering', () => {
    verifies('audit.detects-edit');
    verifies('audit.detects-deletion');
    verifies('audit.detects-reorder');
    const change = fc.integer({ min: 2, max: 12 }).chain((size) =>
      fc.tuple(
        fc.constant(size),
        fc.oneof(
          fc.record({
            kind: fc.constant('edit' as const),
            index: fc.nat(size - 1),
            field: fc.constantFrom(
              'kind',
              'actor',
              'at',
              'data',
              'prevHash',
              'seq',
            ) as fc.Arbitrary<'kind' | 'actor' | 'at' | 'data' | 'prevHash' | 'seq'>,
          }),
          fc.record({ kind: fc.constant('delete' as const), index: fc.nat(size - 1) }),
          fc
            .tuple(fc.nat(size - 1), fc.nat(size - 1))
            .filter(([a, b]) => a !== b)
            .map(([index, other]) => ({ kind: 'swap' as const, index, other })),
        ),
      ),
    );
    fc.assert(
      fc.property(change, ([size, tamperWith]) => {
        const { records, head } = buildChain(size);
        const result = verifyAuditChain(tamper(records, tamperWith), head);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const firstTouched =
          tamperWith.kind === 'swap'
            ? Math.min(tamperWith.index, tamperWith.other)
            : tamperWith.index;
        expect(result.badSeq).toBe(firstTouched + 1);
      }),
    );
  });

  it('detects removal of the last record through the head', () => {
    verifies('audit.detects-deletion');
    const { records, head } = buildChain(4);
    const result = verifyAuditChain(records.slice(0, 3), head);
    expect(result).toMatchObject({ ok: false, badSeq: 4 });
  });
});

describe('audit record hash', () => {
  const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
  const draft = fc.record({
    kind: text,
    actor: text,
    at: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    data: fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>),
  });
  const head = fc.option(
    fc.record({
      seq: fc.nat(),
      hash: fc.string({
        unit: fc.constantFrom(...'0123456789abcdef'),
        minLength: 64,
        maxLength: 64,
      }),
    }),
    { nil: undefined },
  );

  it('is SHA-256 of the canonical form of every field but the hash, as records were always hashed', () => {
    fc.assert(
      fc.property(head, draft, (previous, appended) => {
        const data = JSON.parse(JSON.stringify(appended.data)) as { [key: string]: JsonValue };
        const record = chainAuditRecord(previous, { ...appended, data });
        const { v, seq, prevHash, kind, actor, at } = record;
        expect(record.hash).toBe(
          sha256Hex(toCanonicalJson({ v, seq, prevHash, kind, actor, at, data })),
        );
        expect(hashAuditRecord(record)).toBe(record.hash);
        expect(chainAuditRecord(previous, { ...appended, data }, toCanonicalJson(data)).hash).toBe(
          record.hash,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the hash of a record written by earlier versions', () => {
    const record = chainAuditRecord(undefined, {
      kind: 'decision',
      actor: 'agent:a',
      at: 1000,
      data: { verdict: 'allow', n: 1 },
    });
    expect(record.hash).toBe(
      sha256Hex(
        '{"actor":"agent:a","at":1000,"data":{"n":1,"verdict":"allow"},"kind":"decision","prevHash":"' +
          '0'.repeat(64) +
          '","seq":1,"v":1}',
      ),
    );
  });
});
