import { hash, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from './canonical.js';
import { FirewallError } from './errors.js';

/** Every Airlock token starts with this, so secret scanners can spot one in a repository. */
export const TOKEN_PREFIX = 'alk_';
/** Random bytes behind a token: 256 bits, so a fast hash is enough to store it. */
export const TOKEN_ENTROPY_BYTES = 32;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6;
const TOKEN_SHAPE = /^alk_[0-9A-Za-z]{49}$/;

/** Builds a token from random bytes (injected: core draws no randomness of its own). */
export function createToken(randomBytes: Uint8Array): string {
  if (randomBytes.length !== TOKEN_ENTROPY_BYTES) {
    throw new FirewallError('input.invalid', `a token needs ${TOKEN_ENTROPY_BYTES} random bytes`);
  }
  const body = toBase62(BigInt(`0x${Buffer.from(randomBytes).toString('hex')}`), BODY_LENGTH);
  return `${TOKEN_PREFIX}${body}${checksumOf(body)}`;
}

/** Whether a string has a token's shape and a valid checksum (it may still be unknown). */
export function isWellFormedToken(value: string): boolean {
  if (!TOKEN_SHAPE.test(value)) return false;
  const rest = value.slice(TOKEN_PREFIX.length);
  const body = rest.slice(0, BODY_LENGTH);
  return checksumOf(body) === rest.slice(BODY_LENGTH);
}

/** Throws `token.malformed` unless the string is a well-formed token. */
export function assertWellFormedToken(value: string): void {
  // SECURITY: the message never echoes the value, which may be a real secret pasted by mistake.
  if (!isWellFormedToken(value)) {
    throw new FirewallError('token.malformed', 'not an airlock token (prefix, length or checksum)');
  }
}

/** The stored form of a token: hex SHA-256. The token itself is never stored. */
export function hashToken(token: string): string {
  return sha256Hex(token);
}

/** Compares two token hashes in constant time. */
export function tokenHashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

// Checked on every request: one-shot `hash` and plain numbers (the first 32 bits of the digest
// fit a double exactly) cost a fraction of createHash and BigInt division.
function checksumOf(body: string): string {
  let rest = Number.parseInt(hash('sha256', body, 'hex').slice(0, 8), 16);
  let text = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    text = ALPHABET[rest % 62] + text;
    rest = Math.floor(rest / 62);
  }
  return text;
}

function toBase62(value: bigint, length: number): string {
  let text = '';
  let rest = value;
  while (rest > 0n) {
    text = ALPHABET[Number(rest % 62n)] + text;
    rest /= 62n;
  }
  return text.padStart(length, '0').slice(-length);
}
