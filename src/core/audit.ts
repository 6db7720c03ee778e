import type { JsonValue } from './canonical.js';
import { sha256Hex, toCanonicalJson } from './canonical.js';

/** The hash that the first record of a chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a writer asks to append; the store assigns sequence and hashes. */
export interface AuditDraft {
  /** What happened: `decision`, `grant.issued`, `grant.revoked`, `grant.frozen`, … */
  readonly kind: string;
  /** Who caused it: `agent:NAME`, `human:NAME`, `system`. */
  readonly actor: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Details: digests, decisions, ids; never a secret or a raw token. */
  readonly data: { readonly [key: string]: JsonValue };
}

/** One append-only audit record, chained to the one before it. */
export interface AuditRecordV1 extends AuditDraft {
  readonly v: 1;
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** The current version of an audit record. */
export type AuditRecord = AuditRecordV1;

/** The last record of a chain, kept beside it so that deleting the tail shows. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/** The hash of a record: SHA-256 over the canonical form of everything but the hash itself. */
export function hashAuditRecord(record: Omit<AuditRecordV1, 'hash'>): string {
  return sha256Hex(canonicalAuditText(record, toCanonicalJson(record.data)));
}

/**
 * Builds the record that follows `previous` (or starts a chain when there is none). A store that
 * already holds the canonical text of `draft.data` passes it as `canonicalData`, so that the data
 * is not serialised twice.
 */
export function chainAuditRecord(
  previous: AuditHead | undefined,
  draft: AuditDraft,
  canonicalData: string = toCanonicalJson(draft.data),
): AuditRecordV1 {
  const unhashed = {
    v: 1 as const,
    seq: (previous?.seq ?? 0) + 1,
    prevHash: previous?.hash ?? GENESIS_HASH,
    kind: draft.kind,
    actor: draft.actor,
    at: draft.at,
    data: draft.data,
  };
  return { ...unhashed, hash: sha256Hex(canonicalAuditText(unhashed, canonicalData)) };
}

// INVARIANT: exactly `toCanonicalJson({ v, seq, prevHash, kind, actor, at, data })` (the form
// every record ever written was hashed over), written out with the keys in code point order so
// that the record's fields need no sorting and its data is not walked again.
function canonicalAuditText(
  record: Omit<AuditRecordV1, 'hash' | 'data'>,
  canonicalData: string,
): string {
  const { v, seq, prevHash, kind, actor, at } = record;
  return `{"actor":${toCanonicalJson(actor)},"at":${toCanonicalJson(at)},"data":${canonicalData},"kind":${toCanonicalJson(kind)},"prevHash":${toCanonicalJson(prevHash)},"seq":${toCanonicalJson(seq)},"v":${toCanonicalJson(v)}}`;
}

/** The outcome of walking a chain. */
export type AuditVerification =
  | { readonly ok: true; readonly count: number }
  | {
      readonly ok: false;
      readonly count: number;
      readonly badSeq: number;
      readonly problem: string;
    };

/**
 * Walks records in storage order and reports the first one that breaks the chain: a changed
 * record, a missing or reordered one, or a head that no longer matches the last record.
 */
export function verifyAuditChain(
  records: Iterable<AuditRecordV1>,
  head: AuditHead | undefined,
): AuditVerification {
  let previous: AuditHead | undefined;
  let count = 0;
  for (const record of records) {
    const expectedSeq = (previous?.seq ?? 0) + 1;
    const problem = chainProblem(record, previous, expectedSeq);
    if (problem !== undefined) return { ok: false, count, badSeq: expectedSeq, problem };
    previous = { seq: record.seq, hash: record.hash };
    count++;
  }
  const headProblem = headMismatch(previous, head);
  if (headProblem !== undefined) {
    return { ok: false, count, badSeq: (previous?.seq ?? 0) + 1, problem: headProblem };
  }
  return { ok: true, count };
}

function chainProblem(
  record: AuditRecordV1,
  previous: AuditHead | undefined,
  expectedSeq: number,
): string | undefined {
  if (record.seq !== expectedSeq) {
    return `expected record ${expectedSeq} but found ${record.seq}: a record was removed or reordered`;
  }
  if (record.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
    return `record ${record.seq} does not point to the record before it`;
  }
  if (hashAuditRecord(record) !== record.hash) return `record ${record.seq} was altered`;
  return undefined;
}

function headMismatch(
  last: AuditHead | undefined,
  head: AuditHead | undefined,
): string | undefined {
  if (last === undefined && head === undefined) return undefined;
  if (
    last === undefined ||
    head === undefined ||
    last.seq !== head.seq ||
    last.hash !== head.hash
  ) {
    return `the chain ends at record ${last?.seq ?? 0} but the head says ${head?.seq ?? 0}: records were removed from the end`;
  }
  return undefined;
}
