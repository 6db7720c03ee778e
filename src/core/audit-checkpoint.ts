import type { AuditHead } from './audit.js';
import { GENESIS_HASH } from './audit.js';
import { sha256Hex, toCanonicalJson } from './canonical.js';
import type { Result } from './result.js';
import { err, ok } from './result.js';

/**
 * What the server signs about its audit chain at one moment: this store (by its random id)
 * held record `seq` with hash `hash`. `prev` is the digest of the checkpoint before it in the
 * same file, so that a removed checkpoint line shows too. Seq 0 (with the genesis hash) says
 * the store existed and was empty.
 */
export interface AuditCheckpointV1 {
  readonly v: 1;
  readonly storeId: string;
  readonly seq: number;
  readonly hash: string;
  /** Milliseconds since the epoch, when it was signed. */
  readonly at: number;
  readonly prev?: string;
}

/** One line of a checkpoint file: the checkpoint, the signing key's id and its Ed25519 signature. */
export interface SignedAuditCheckpointV1 {
  readonly checkpoint: AuditCheckpointV1;
  /** Names the public key the signature verifies with (the signer's key id). */
  readonly keyId: string;
  /** Base64 Ed25519 signature over `checkpointSigningText(checkpoint)`. */
  readonly signature: string;
}

/** Checks a base64 signature over a text with the one public key the verifier trusts. */
export type CheckpointSignatureCheck = (text: string, signature: string) => boolean;

// Domain separation: a signature over a checkpoint can never be read as one over anything else.
const SIGNING_CONTEXT = 'airlock audit checkpoint v1\n';

/** The exact text a checkpoint's signature covers. */
export function checkpointSigningText(checkpoint: AuditCheckpointV1): string {
  return SIGNING_CONTEXT + toCanonicalJson(checkpoint);
}

/** The digest a following checkpoint names as its `prev`. */
export function checkpointDigest(checkpoint: AuditCheckpointV1): string {
  return sha256Hex(toCanonicalJson(checkpoint));
}

/** The checkpoint of a store's current head, following `previous` (the last one written). */
export function createAuditCheckpoint(options: {
  readonly storeId: string;
  readonly head: AuditHead | undefined;
  readonly at: number;
  readonly previous?: AuditCheckpointV1 | undefined;
}): AuditCheckpointV1 {
  const { storeId, head, at, previous } = options;
  const checkpoint = {
    v: 1 as const,
    storeId,
    seq: head?.seq ?? 0,
    hash: head?.hash ?? GENESIS_HASH,
    at,
  };
  return previous === undefined ? checkpoint : { ...checkpoint, prev: checkpointDigest(previous) };
}

/** Whether a checkpoint says the same about the chain as another (ignoring when and what came before). */
export function isSameCheckpointedHead(a: AuditCheckpointV1, b: AuditCheckpointV1): boolean {
  return a.storeId === b.storeId && a.seq === b.seq && a.hash === b.hash;
}

/** A signed checkpoint as one line of JSON (no newline). */
export function toCheckpointLine(signed: SignedAuditCheckpointV1): string {
  return toCanonicalJson(signed);
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Parses one line of a checkpoint file; the signature is not checked here. */
export function parseCheckpointLine(text: string): Result<SignedAuditCheckpointV1, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err('not JSON');
  }
  if (!isObject(value)) return err('not a JSON object');
  const { checkpoint, keyId, signature } = value;
  if (typeof keyId !== 'string' || typeof signature !== 'string')
    return err('no key id or signature');
  if (!isObject(checkpoint)) return err('no checkpoint');
  const { v, storeId, seq, hash, at, prev } = checkpoint;
  const extra = Object.keys(checkpoint).filter(
    (key) => !['v', 'storeId', 'seq', 'hash', 'at', 'prev'].includes(key),
  );
  if (v !== 1) return err('unknown checkpoint version');
  if (extra.length > 0) return err(`unknown checkpoint fields: ${extra.join(', ')}`);
  if (typeof storeId !== 'string' || storeId === '') return err('no store id');
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)
    return err('seq is not a whole number');
  if (typeof hash !== 'string' || !HEX64.test(hash)) return err('hash is not a SHA-256 hex digest');
  if (typeof at !== 'number' || !Number.isFinite(at)) return err('time is not a number');
  if (prev !== undefined && (typeof prev !== 'string' || !HEX64.test(prev)))
    return err('prev is not a SHA-256 hex digest');
  const parsed: AuditCheckpointV1 =
    prev === undefined ? { v, storeId, seq, hash, at } : { v, storeId, seq, hash, at, prev };
  return ok({ checkpoint: parsed, keyId, signature });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
