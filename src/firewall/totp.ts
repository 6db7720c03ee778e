import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RandomSource } from '../core/index.js';
import { FirewallError } from '../core/index.js';

/** Length of one TOTP time step (RFC 6238's default X = 30 s). */
export const TOTP_STEP_MS = 30_000;
/** Digits in a code; what every authenticator app shows by default. */
const DIGITS = 6;
/** Secret length: 160 bits, the size of an HMAC-SHA-1 block key RFC 4226 recommends. */
const SECRET_BYTES = 20;
const CODE = /^\d{6}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new random TOTP secret, base32 (RFC 4648, no padding): what the approver's app stores. */
export function createTotpSecret(random: RandomSource): string {
  return toBase32(random.bytes(SECRET_BYTES));
}

/** The time step a moment falls in (RFC 6238's T, with T0 = 0). */
export function totpStep(timeMs: number): number {
  return Math.floor(timeMs / TOTP_STEP_MS);
}

/**
 * The 6-digit code an authenticator app shows at `timeMs` for a base32 secret (RFC 6238,
 * HMAC-SHA-1, 30 s steps).
 *
 * @example
 * totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000) // '287082'
 */
export function totpCode(secretBase32: string, timeMs: number): string {
  return codeAt(fromBase32(secretBase32), totpStep(timeMs));
}

/** The enrolment URI authenticator apps read from a QR code (Google's Key Uri Format). */
export function totpUri(options: {
  readonly issuer: string;
  readonly account: string;
  readonly secret: string;
}): string {
  const issuer = encodeURIComponent(options.issuer);
  const label = `${issuer}:${encodeURIComponent(options.account)}`;
  return `otpauth://totp/${label}?secret=${options.secret}&issuer=${issuer}&algorithm=SHA1&digits=${DIGITS}&period=${TOTP_STEP_MS / 1000}`;
}

/**
 * The step `code` is valid for at `nowMs`, allowing one step of clock drift either way, and
 * never a step at or before `lastStep` (a code is accepted once); undefined when it matches
 * none, is malformed, or the secret is not base32.
 */
export function matchTotp(
  secretBase32: string,
  code: string,
  nowMs: number,
  lastStep: number,
): number | undefined {
  if (!CODE.test(code)) return undefined;
  let key: Buffer;
  try {
    key = fromBase32(secretBase32);
  } catch {
    return undefined;
  }
  const given = Buffer.from(code);
  const now = totpStep(nowMs);
  let matched: number | undefined;
  // SECURITY: every candidate is computed and compared in constant time, match or not.
  for (const step of [now - 1, now, now + 1]) {
    const equal = timingSafeEqual(Buffer.from(codeAt(key, step)), given);
    // INVARIANT: a step at or before the last accepted one never matches: no replay.
    if (equal && step > lastStep && matched === undefined) matched = step;
  }
  return matched;
}

/** HOTP (RFC 4226) of one counter value: dynamic truncation of HMAC-SHA-1, 6 digits. */
function codeAt(key: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.max(0, step)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fff_ffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

function toBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    // Only the low 12 bits are ever read; masking keeps the number small.
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Buffer {
  const clean = text.replace(/=+$/, '').toUpperCase();
  if (clean.length === 0) throw new FirewallError('input.invalid', 'the TOTP secret is empty');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new FirewallError('input.invalid', 'the TOTP secret is not base32');
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}
