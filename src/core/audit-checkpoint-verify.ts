import type { AuditHead } from './audit.js';
import type { CheckpointSignatureCheck, SignedAuditCheckpointV1 } from './audit-checkpoint.js';
import {
  checkpointDigest,
  checkpointSigningText,
  parseCheckpointLine,
} from './audit-checkpoint.js';

/** What the store holds, as far as checkpoints are concerned. */
export interface CheckpointedStore {
  /** The store's id; undefined when there is no database at all. */
  readonly storeId: string | undefined;
  /** The last record the store holds (from the records, not the head row), if any. */
  readonly last: AuditHead | undefined;
  /** The hash of the record at `seq`, undefined when the store has no such record. */
  hashAt(seq: number): string | undefined;
}

/** Why checkpoints and store disagree. */
export type CheckpointProblemKind =
  | 'signature' // a line whose signature does not verify with the trusted key
  | 'sequence' // a line that does not follow the one before it (lines removed or reordered)
  | 'store-id' // checkpoints made for another store (database recreated or swapped)
  | 'missing' // a checkpointed record the store no longer holds (tail truncated)
  | 'altered' // a checkpointed record the store holds with another hash (chain rewritten)
  | 'witness' // the witness holds signed checkpoints the checked file lacks (file cut or edited)
  | 'absent'; // a checkpoint file, database or key that should be there is not

/** One disagreement, in plain words; `line` is 1-based in `source`. */
export interface CheckpointProblem {
  readonly kind: CheckpointProblemKind;
  readonly source: string;
  readonly message: string;
  readonly line?: number;
  readonly seq?: number;
}

/** Checkpoint lines read from one file. */
export interface CheckpointSource {
  /** For messages: the file's path, `witness FILE`, … */
  readonly name: string;
  readonly lines: readonly string[];
}

/** A signed checkpoint that verified, with where it was read. */
export interface TrustedCheckpoint extends SignedAuditCheckpointV1 {
  readonly line: number;
}

/** The outcome of checking one source of checkpoints against the store. */
export interface CheckpointVerification {
  readonly ok: boolean;
  /** Lines whose signature verified. */
  readonly trusted: readonly TrustedCheckpoint[];
  /** The last trusted checkpoint for this store, if any. */
  readonly last: TrustedCheckpoint | undefined;
  /** Records the store holds after the last checkpoint for it (not a failure). */
  readonly notYetCheckpointed: number;
  readonly problems: readonly CheckpointProblem[];
  /**
   * Lines that are no checkpoint at all (a line torn by a crash): they claim nothing, and a
   * valid line replaced by one still shows as a break in the `prev` links, so they do not fail.
   */
  readonly notes: readonly string[];
}

/**
 * Checks checkpoint lines against the store: every signature with the trusted key, that each
 * line follows the one before it (when `linked`: the server's own file, not a witness that may
 * have missed a delivery), that they are for this store, and that the store still holds each
 * checkpointed record with that exact hash.
 */
export function verifyAuditCheckpoints(
  store: CheckpointedStore,
  source: CheckpointSource,
  check: CheckpointSignatureCheck,
  options: { readonly linked: boolean },
): CheckpointVerification {
  const problems: CheckpointProblem[] = [];
  const notes: string[] = [];
  const trusted = trustedLines(source, check, problems, notes);
  if (options.linked) problems.push(...sequenceProblems(source.name, trusted));
  problems.push(...storeProblems(store, source.name, trusted));
  const own = trusted.filter((line) => line.checkpoint.storeId === store.storeId);
  const last = own.reduce<TrustedCheckpoint | undefined>(
    (a, b) => (a === undefined || b.checkpoint.seq >= a.checkpoint.seq ? b : a),
    undefined,
  );
  const notYetCheckpointed = Math.max(0, (store.last?.seq ?? 0) - (last?.checkpoint.seq ?? 0));
  return { ok: problems.length === 0, trusted, last, notYetCheckpointed, problems, notes };
}

/**
 * Compares a witness's trusted checkpoints with the home file's: a signed checkpoint only the
 * witness holds means the home's file lost it (cut at the end, or lines removed). The witness
 * lacking some of the home's lines is a missed delivery, not tampering, and is not reported.
 */
export function compareWitness(
  home: readonly TrustedCheckpoint[],
  witness: readonly TrustedCheckpoint[],
  witnessName: string,
): CheckpointProblem[] {
  const inHome = new Set(home.map((line) => checkpointDigest(line.checkpoint)));
  const lacking = witness.filter((line) => !inHome.has(checkpointDigest(line.checkpoint)));
  if (lacking.length === 0) return [];
  const homeLast = Math.max(0, ...home.map((line) => line.checkpoint.seq));
  const latest = lacking.reduce((a, b) => (b.checkpoint.seq > a.checkpoint.seq ? b : a));
  const cut = latest.checkpoint.seq > homeLast;
  const message = cut
    ? `the witness holds checkpoints up to record ${latest.checkpoint.seq} but the home's checkpoint file ends at record ${homeLast}: the home's file was cut or deleted`
    : `the witness holds ${lacking.length} signed checkpoint(s) the home's checkpoint file lacks (first at record ${lacking[0]?.checkpoint.seq ?? 0}): lines were removed from the home's file`;
  return [
    {
      kind: 'witness',
      source: witnessName,
      message,
      line: latest.line,
      seq: latest.checkpoint.seq,
    },
  ];
}

function trustedLines(
  source: CheckpointSource,
  check: CheckpointSignatureCheck,
  problems: CheckpointProblem[],
  notes: string[],
): TrustedCheckpoint[] {
  const trusted: TrustedCheckpoint[] = [];
  source.lines.forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '') return;
    const parsed = parseCheckpointLine(text);
    if (!parsed.ok) {
      notes.push(`${source.name}: line ${line} is not a checkpoint (${parsed.error}); ignored`);
      return;
    }
    const { checkpoint, signature } = parsed.value;
    // SECURITY: a line counts only once its signature verifies with the one trusted key.
    if (!safeCheck(check, checkpointSigningText(checkpoint), signature)) {
      const message = `line ${line} (record ${checkpoint.seq}) has no valid signature by the audit signing key: it was edited or forged`;
      problems.push({ kind: 'signature', source: source.name, line, seq: checkpoint.seq, message });
      return;
    }
    trusted.push({ ...parsed.value, line });
  });
  return trusted;
}

function safeCheck(check: CheckpointSignatureCheck, text: string, signature: string): boolean {
  try {
    return check(text, signature);
  } catch {
    return false;
  }
}

function sequenceProblems(
  source: string,
  trusted: readonly TrustedCheckpoint[],
): CheckpointProblem[] {
  const problems: CheckpointProblem[] = [];
  let previous: TrustedCheckpoint | undefined;
  for (const current of trusted) {
    const { checkpoint, line } = current;
    const expected = previous === undefined ? undefined : checkpointDigest(previous.checkpoint);
    if (checkpoint.prev !== expected) {
      const message =
        previous === undefined
          ? `line ${line} follows a checkpoint the file no longer holds: its beginning was cut`
          : `line ${line} (record ${checkpoint.seq}) does not follow line ${previous.line}: checkpoints between them were removed or the lines reordered`;
      problems.push({ kind: 'sequence', source, line, seq: checkpoint.seq, message });
    } else if (
      previous !== undefined &&
      previous.checkpoint.storeId === checkpoint.storeId &&
      checkpoint.seq < previous.checkpoint.seq
    ) {
      const message = `line ${line} checkpoints record ${checkpoint.seq} after line ${previous.line} checkpointed record ${previous.checkpoint.seq}: the chain was cut while the server was down`;
      problems.push({ kind: 'sequence', source, line, seq: checkpoint.seq, message });
    }
    previous = current;
  }
  return problems;
}

function storeProblems(
  store: CheckpointedStore,
  source: string,
  trusted: readonly TrustedCheckpoint[],
): CheckpointProblem[] {
  const problems: CheckpointProblem[] = [];
  const foreign = new Map<string, TrustedCheckpoint>();
  let missing: TrustedCheckpoint | undefined;
  const altered: TrustedCheckpoint[] = [];
  for (const line of trusted) {
    const { storeId, seq, hash } = line.checkpoint;
    if (storeId !== store.storeId) {
      const latest = foreign.get(storeId);
      if (latest === undefined || seq >= latest.checkpoint.seq) foreign.set(storeId, line);
      continue;
    }
    if (seq === 0) continue;
    const held = store.hashAt(seq);
    if (held === undefined) {
      if (missing === undefined || seq > missing.checkpoint.seq) missing = line;
    } else if (held !== hash) altered.push(line);
  }
  for (const [storeId, line] of foreign) {
    const message =
      store.storeId === undefined
        ? `there is no database, but checkpoints up to record ${line.checkpoint.seq} (line ${line.line}) were signed for store ${storeId}: the database was deleted`
        : `checkpoints up to record ${line.checkpoint.seq} (line ${line.line}) were signed for store ${storeId}, but this database is store ${store.storeId}: the database was deleted and recreated, or swapped for another`;
    problems.push({ kind: 'store-id', source, line: line.line, seq: line.checkpoint.seq, message });
  }
  if (missing !== undefined) {
    const { seq } = missing.checkpoint;
    const end = store.last?.seq ?? 0;
    const message =
      end < seq
        ? `record ${seq} was checkpointed (line ${missing.line}) but the store ends at record ${end}: records ${end + 1} to ${seq} at least were removed`
        : `record ${seq} was checkpointed (line ${missing.line}) but the store no longer holds it`;
    problems.push({ kind: 'missing', source, line: missing.line, seq, message });
  }
  const first = altered[0];
  if (first !== undefined) {
    const { seq } = first.checkpoint;
    const message = `record ${seq} differs from what was checkpointed (line ${first.line})${altered.length > 1 ? `, and ${altered.length - 1} later checkpoint(s) too` : ''}: the chain was rewritten`;
    problems.push({ kind: 'altered', source, line: first.line, seq, message });
  }
  return problems;
}
