/**
 * A fast grouping key for the commonest SQL texts: the text with each number and each plain
 * string constant replaced by a marker of its kind (U+0001 integer, U+0002 decimal, U+0003
 * string), everything else kept byte for byte. Two texts
 * with the same key are the same tokens but for the values of those constants, so they are one
 * statement shape: the same thing `sqlShape` (PostgreSQL's own normalizer) finds, at a small
 * fraction of its cost. It is only a key: nothing is classified from it.
 *
 * It answers only for a lexical subset whose tokens cannot be misread, and undefined for
 * anything else, which then takes the normalizer: non-ASCII or control characters, comments,
 * backslashes (their meaning depends on `standard_conforming_strings`), `$` (parameters and
 * dollar quoting), integers of ten digits or more, double quotes, `&` (`U&'…'`), a quote right after a word (`E'…'`, `B'…'`,
 * `X'…'`, `N'…'`), a number running into a word or a second dot (`1e5`, `0x1f`, `1_000`), and
 * unterminated strings.
 */

/** Texts longer than this are not keyed here. */
export const LITERAL_KEY_MAX_CHARS = 8192;

// One marker per kind of constant token, because the grammar can tell them apart: `u ''` is a
// cast to type u, `u 0` a syntax error; an integer of ten digits or more may not fit in int4
// and becomes a numeric token, so such integers are refused.
const INTEGER = '\u0001';
const DECIMAL = '\u0002';
const STRING = '\u0003';
const MAX_INTEGER_DIGITS = 9;

export function literalKey(sql: string): string | undefined {
  const length = sql.length;
  if (length > LITERAL_KEY_MAX_CHARS) return undefined;
  let key = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < length) {
    const code = sql.charCodeAt(index);
    const kind = classOf(code);
    if (kind & WORD_START) {
      let end = index + 1;
      while (end < length && classOf(sql.charCodeAt(end)) & WORD_PART) end++;
      if (end < length && sql.charCodeAt(end) === QUOTE) return undefined;
      index = end;
    } else if (kind & DIGIT) {
      let end = index + 1;
      while (end < length && classOf(sql.charCodeAt(end)) & DIGIT) end++;
      let marker = INTEGER;
      if (sql.charCodeAt(end) === DOT && classOf(sql.charCodeAt(end + 1)) & DIGIT) {
        marker = DECIMAL;
        end += 2;
        while (end < length && classOf(sql.charCodeAt(end)) & DIGIT) end++;
        if (sql.charCodeAt(end) === DOT) return undefined;
      } else if (end - index > MAX_INTEGER_DIGITS) return undefined;
      if (
        end < length &&
        (classOf(sql.charCodeAt(end)) & WORD_PART || sql.charCodeAt(end) === QUOTE)
      )
        return undefined;
      // A digit right after a dot continues a number PostgreSQL began at the dot (`.5`).
      if (index > 0 && sql.charCodeAt(index - 1) === DOT) return undefined;
      key += sql.slice(copiedUpTo, index) + marker;
      copiedUpTo = index = end;
    } else if (code === QUOTE) {
      let end = index + 1;
      for (;;) {
        if (end >= length) return undefined;
        const inner = sql.charCodeAt(end);
        if (inner === BACKSLASH || inner > 0x7e || (inner < 0x20 && !(classOf(inner) & SPACE)))
          return undefined;
        if (inner === QUOTE) {
          if (sql.charCodeAt(end + 1) !== QUOTE) break;
          end += 2;
        } else end++;
      }
      end++;
      if (
        end < length &&
        (classOf(sql.charCodeAt(end)) & WORD_PART || sql.charCodeAt(end) === QUOTE)
      )
        return undefined;
      key += sql.slice(copiedUpTo, index) + STRING;
      copiedUpTo = index = end;
    } else if (kind & (PUNCTUATION | SPACE)) {
      if ((code === DASH || code === SLASH) && isCommentStart(code, sql.charCodeAt(index + 1)))
        return undefined;
      index++;
    } else {
      return undefined;
    }
  }
  return key + sql.slice(copiedUpTo);
}

const QUOTE = 0x27;
const DOT = 0x2e;
const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;

// Character classes, one table lookup per character (the key is computed for every statement).
const WORD_START = 1;
const DIGIT = 2;
const WORD_PART = WORD_START | DIGIT;
const SPACE = 4;
// Operators and punctuation PostgreSQL reads the same whatever surrounds them here; `$`, `"`,
// `\`, `&` and the comment starters are handled (refused) above or by omission.
const PUNCTUATION = 8;

const CLASSES = new Uint8Array(128);
for (let code = 0x61; code <= 0x7a; code++) CLASSES[code] = WORD_START;
for (let code = 0x41; code <= 0x5a; code++) CLASSES[code] = WORD_START;
CLASSES[0x5f] = WORD_START;
for (let code = 0x30; code <= 0x39; code++) CLASSES[code] = DIGIT;
for (const code of [0x20, 0x09, 0x0a, 0x0d]) CLASSES[code] = SPACE;
for (const char of '()[],;.:=<>+-*/%^|~!@#?') CLASSES[char.charCodeAt(0)] = PUNCTUATION;

/** The class bits of a UTF-16 code unit; 0 for anything outside the table, NaN past the end included. */
function classOf(code: number): number {
  return code < 128 ? (CLASSES[code] ?? 0) : 0;
}

function isCommentStart(code: number, next: number): boolean {
  return (code === DASH && next === DASH) || (code === SLASH && next === STAR);
}
