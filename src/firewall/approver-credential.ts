import type { ScryptOptions } from 'node:crypto';
import { scrypt, timingSafeEqual } from 'node:crypto';
import type { RandomSource } from '../core/index.js';
import { FirewallError, isWellFormedToken } from '../core/index.js';

/** Shortest credential an approver may have. */
export const MIN_APPROVER_CREDENTIAL_LENGTH = 12;

// scrypt cost: N=2^14, r=8, p=1 (16 MiB, tens of milliseconds): OWASP's interactive minimum.
const COST = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
// Bounds on costs read back from the store, so a tampered row cannot make verify hang.
const MAX_N = 1 << 20;
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;

/** Refuses a credential that is too short or is an Airlock agent token. */
export function assertUsableCredential(credential: string): void {
  if (credential.length < MIN_APPROVER_CREDENTIAL_LENGTH) {
    throw new FirewallError(
      'input.invalid',
      `an approver credential needs at least ${MIN_APPROVER_CREDENTIAL_LENGTH} characters`,
    );
  }
  // SECURITY: approvers never authenticate with agent tokens; a token reused here is a mistake.
  if (isWellFormedToken(credential)) {
    throw new FirewallError(
      'input.invalid',
      'an approver credential must not be an Airlock agent token',
    );
  }
}

/** Hashes a credential with scrypt and a fresh salt, as `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashApproverCredential(
  credential: string,
  random: RandomSource,
): Promise<string> {
  const salt = Buffer.from(random.bytes(SALT_BYTES));
  const hash = await scryptAsync(credential, salt, { ...COST, maxmem: MAX_MEMORY_BYTES });
  return [
    'scrypt',
    COST.N,
    COST.r,
    COST.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

/**
 * Whether a credential matches a stored hash; compared in constant time; false for a malformed
 * hash. Runs scrypt on the thread pool, so a login flood never blocks the event loop.
 */
export async function verifyApproverCredential(
  credential: string,
  stored: string,
): Promise<boolean> {
  const parts = stored.split('$');
  const [scheme, n, r, p, salt, hash] = parts;
  if (parts.length !== 6 || scheme !== 'scrypt' || salt === undefined || hash === undefined)
    return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (
    ![cost.N, cost.r, cost.p].every(Number.isSafeInteger) ||
    cost.N > MAX_N ||
    cost.r > 32 ||
    cost.p > 16
  )
    return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  try {
    const actual = await scryptAsync(credential, Buffer.from(salt, 'base64url'), {
      ...cost,
      maxmem: MAX_MEMORY_BYTES,
    });
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

// SECURITY: the callback form of scrypt runs on libuv's pool; scryptSync would stall every request.
function scryptAsync(credential: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(credential, salt, KEY_BYTES, options, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

/** A hash no credential matches, verified against when the approver is unknown (equal timing). */
export const UNKNOWN_APPROVER_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;
