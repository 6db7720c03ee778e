import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedConfig } from '../config/index.js';
import type {
  AuditHead,
  AuditRecord,
  CheckpointProblem,
  CheckpointSignatureCheck,
  CheckpointVerification,
  CheckpointedStore,
  Store,
  TrustedCheckpoint,
} from '../core/index.js';
import { compareWitness, verifyAuditChain, verifyAuditCheckpoints } from '../core/index.js';
import {
  AUDIT_SIGNING_KEY_FILE,
  readAuditPublicKey,
  readCheckpointLines,
} from '../platform/index.js';
import { MemoryStore, openSqliteStore } from '../stores/index.js';
import { AUDIT_CHECKPOINTS_FILE } from '../server/index.js';

const VERIFY_PAGE_SIZE = 5_000;

/** What `airlock audit verify` found: the hash chain, then the signed checkpoints and witnesses. */
export interface AuditVerifyReport {
  readonly ok: boolean;
  /** Records in the chain up to the first break (all of them when intact). */
  readonly count: number;
  readonly badSeq?: number;
  readonly problem?: string;
  /** Undefined when there is no database. */
  readonly storeId?: string;
  readonly checkpoints: {
    readonly file: string;
    /** Lines whose signature verified. */
    readonly count: number;
    readonly keyId?: string;
    readonly lastSeq?: number;
    readonly lastAt?: number;
    /** Records after the last checkpoint: expected between checkpoints, not a failure. */
    readonly notYetCheckpointed: number;
  };
  readonly witnesses: readonly { readonly file: string; readonly count: number }[];
  /** Every disagreement between store, checkpoint file and witnesses; any one fails the check. */
  readonly problems: readonly CheckpointProblem[];
  /** What was ignored, e.g. a line torn by a crash; not a failure. */
  readonly notes: readonly string[];
}

/** Where `verifyAuditLog` looks. */
export interface AuditVerifyInput {
  readonly home: string;
  /** The SQLite file, whose absence is itself reported; undefined for an in-memory store. */
  readonly storeFile: string | undefined;
  /** Opens the store; called only when the database exists, so verify never creates one. */
  readonly openStore: () => Store;
  /** A PEM public (or private) key; default the home's signing key. */
  readonly publicKeyFile?: string | undefined;
  readonly witnessFiles: readonly string[];
}

/** Reads the home read-only and checks the chain against its checkpoints and witnesses. */
export async function verifyAuditLog(input: AuditVerifyInput): Promise<AuditVerifyReport> {
  const { home, storeFile } = input;
  const chainState =
    storeFile !== undefined && !existsSync(storeFile)
      ? { records: [], head: undefined, storeId: undefined }
      : await readStore(input.openStore());
  const chain = verifyAuditChain(chainState.records, chainState.head);
  const store = checkpointedStore(chainState.records, chainState.storeId);
  const file = join(home, AUDIT_CHECKPOINTS_FILE);
  const ownKey = join(home, AUDIT_SIGNING_KEY_FILE);
  const keyFile = input.publicKeyFile ?? ownKey;
  const key = readAuditPublicKey(keyFile);
  const lines = await readCheckpointLines(file);
  const problems: CheckpointProblem[] = [];
  const base = {
    ok: chain.ok,
    count: chain.count,
    ...(chain.ok ? {} : { badSeq: chain.badSeq, problem: chain.problem }),
    ...(chainState.storeId === undefined ? {} : { storeId: chainState.storeId }),
  };
  if (storeFile !== undefined && chainState.storeId === undefined) {
    problems.push({
      kind: 'absent',
      source: storeFile,
      message: `the database \`${storeFile}\` does not exist`,
    });
  }
  if (key === undefined) {
    // A home never served has neither key nor checkpoints: only the chain can be checked.
    if (lines !== undefined || input.witnessFiles.length > 0 || input.publicKeyFile !== undefined) {
      problems.push({
        kind: 'absent',
        source: keyFile,
        message: `no key to check checkpoints with at \`${keyFile}\`: pass --public-key FILE (from \`airlock audit public-key\`)`,
      });
    }
    return {
      ...base,
      ok: chain.ok && problems.length === 0,
      checkpoints: { file, count: 0, notYetCheckpointed: store.last?.seq ?? 0 },
      witnesses: [],
      problems,
      notes: [],
    };
  }
  if (lines === undefined && existsSync(ownKey)) {
    problems.push({
      kind: 'absent',
      source: file,
      message: `the checkpoint file \`${file}\` is missing, though this home has a signing key (it was served): it was deleted`,
    });
  }
  const homeResult = verifyAuditCheckpoints(store, { name: file, lines: lines ?? [] }, key.check, {
    linked: true,
  });
  problems.push(...homeResult.problems);
  const witnesses = await verifyWitnesses(
    input.witnessFiles,
    store,
    key.check,
    homeResult.trusted,
    problems,
  );
  const last = [homeResult, ...witnesses.map((w) => w.result)]
    .map((r) => r.last)
    .reduce<TrustedCheckpoint | undefined>(
      (a, b) =>
        b !== undefined && (a === undefined || b.checkpoint.seq > a.checkpoint.seq) ? b : a,
      undefined,
    );
  return {
    ...base,
    ok: chain.ok && problems.length === 0,
    checkpoints: {
      file,
      count: homeResult.trusted.length,
      keyId: key.keyId,
      ...(last === undefined ? {} : { lastSeq: last.checkpoint.seq, lastAt: last.checkpoint.at }),
      notYetCheckpointed: Math.max(0, (store.last?.seq ?? 0) - (last?.checkpoint.seq ?? 0)),
    },
    witnesses: witnesses.map((w) => ({ file: w.file, count: w.result.trusted.length })),
    problems,
    notes: [homeResult, ...witnesses.map((w) => w.result)].flatMap((r) => r.notes),
  };
}

async function verifyWitnesses(
  files: readonly string[],
  store: CheckpointedStore,
  check: CheckpointSignatureCheck,
  home: readonly TrustedCheckpoint[],
  problems: CheckpointProblem[],
): Promise<{ file: string; result: CheckpointVerification }[]> {
  const results: { file: string; result: CheckpointVerification }[] = [];
  for (const file of files) {
    const lines = await readCheckpointLines(file);
    const name = `witness ${file}`;
    if (lines === undefined)
      problems.push({
        kind: 'absent',
        source: name,
        message: `the witness file \`${file}\` does not exist`,
      });
    // Not linked: a witness may have missed a delivery; what it holds must still match.
    const result = verifyAuditCheckpoints(store, { name, lines: lines ?? [] }, check, {
      linked: false,
    });
    problems.push(...result.problems, ...compareWitness(home, result.trusted, name));
    results.push({ file, result });
  }
  return results;
}

async function readStore(
  store: Store,
): Promise<{ records: AuditRecord[]; head: AuditHead | undefined; storeId: string }> {
  try {
    const records: AuditRecord[] = [];
    for (;;) {
      // Page from the last seq seen, not the count: with rows missing the two differ.
      const fromSeq = (records.at(-1)?.seq ?? 0) + 1;
      const page = await store.readAudit({ fromSeq, limit: VERIFY_PAGE_SIZE });
      records.push(...page);
      if (page.length < VERIFY_PAGE_SIZE) break;
    }
    return { records, head: await store.auditHead(), storeId: await store.storeId() };
  } finally {
    await store.close();
  }
}

function checkpointedStore(
  records: readonly AuditRecord[],
  storeId: string | undefined,
): CheckpointedStore {
  const bySeq = new Map(records.map((record) => [record.seq, record.hash]));
  const last = records.at(-1);
  return {
    storeId,
    last: last === undefined ? undefined : { seq: last.seq, hash: last.hash },
    hashAt: (seq) => bySeq.get(seq),
  };
}

/**
 * `verifyAuditLog` for a loaded home: the store opened on its own connection (and closed after),
 * never created. What `airlock audit verify` runs, and the server for a client of its admin API.
 */
export function verifyAuditLogOf(
  loaded: LoadedConfig,
  options: { publicKeyFile?: string | undefined; witnessFiles: readonly string[] },
): Promise<AuditVerifyReport> {
  const sqlite = loaded.config.store.kind === 'sqlite';
  return verifyAuditLog({
    home: loaded.home,
    storeFile: sqlite ? loaded.storeFile : undefined,
    openStore: () => (sqlite ? openSqliteStore({ path: loaded.storeFile }) : new MemoryStore()),
    publicKeyFile: options.publicKeyFile,
    witnessFiles: options.witnessFiles,
  });
}
