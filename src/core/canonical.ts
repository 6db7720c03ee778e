import { hash } from 'node:crypto';
import { FirewallError } from './errors.js';

/** A JSON value as it travels through Airlock. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The canonical text of a JSON value: object keys sorted by code point, no whitespace, numbers
 * in ECMAScript's shortest form. Two values that mean the same JSON get the same text.
 */
export function toCanonicalJson(value: unknown): string {
  return canonical(value, 0);
}

const MAX_DEPTH = 200;

function canonical(value: unknown, depth: number): string {
  // SECURITY: a hostile request must not blow the stack of the digest function.
  if (depth > MAX_DEPTH)
    throw new FirewallError('input.invalid', 'value nests too deeply to digest');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new FirewallError('input.invalid', 'non-finite numbers have no JSON form');
      }
      return JSON.stringify(value);
    case 'string':
      return quote(value);
    case 'object':
      return Array.isArray(value) ? canonicalArray(value, depth) : canonicalObject(value, depth);
    default:
      throw new FirewallError('input.invalid', `a ${typeof value} has no JSON form`);
  }
}

function canonicalArray(items: readonly unknown[], depth: number): string {
  let text = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) text += ',';
    text += canonical(items[i], depth + 1);
  }
  return `${text}]`;
}

// Written as plain loops: this runs for every audit record and request digest (hot path).
function canonicalObject(object: object, depth: number): string {
  const record = object as Record<string, unknown>;
  const keys = sortedKeys(Object.keys(record));
  let text = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (text.length > 1) text += ',';
    text += quote(key);
    text += ':';
    text += canonical(item, depth + 1);
  }
  return `${text}}`;
}

// What JSON.stringify escapes in a string (quote, backslash, controls, lone surrogates), and
// paired surrogates too, which it leaves alone: those strings take the slow path, to be safe.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\uD800-\uDFFF]/;

// JSON.stringify's text for a string; the common string needs no escape and skips the call.
function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

const SURROGATE = /[\uD800-\uDFFF]/;

// Sorting with a comparator that tests each pair for surrogates cost more than the rest of the
// canonical form; UTF-16 order (the default sort) is code point order when no key holds one.
function sortedKeys(keys: string[]): string[] {
  for (const key of keys) if (SURROGATE.test(key)) return keys.sort(compareCodePoints);
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  }
  return keys;
}

// UTF-16 order differs from code point order only when a surrogate meets a character at or
// above U+E000; the slow path runs only for keys that carry one (keeps JCS compatibility).
function compareCodePoints(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/** Lowercase hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  // One-shot `hash` (Node 20.12+) is about twice as fast as createHash for small inputs.
  return hash('sha256', text, 'hex');
}

/** The SHA-256 digest of a request's canonical form; an approval binds to exactly this value. */
export function digestRequest(request: unknown): string {
  return sha256Hex(toCanonicalJson(request));
}
