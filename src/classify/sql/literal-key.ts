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
    if (isWordStart(code)) {
      let end = index + 1;
      while (end < length && isWordPart(sql.charCodeAt(end))) end++;
      if (end < length && sql.charCodeAt(end) === QUOTE) return undefined;
      index = end;
    } else if (isDigit(code)) {
      let end = index + 1;
      while (end < length && isDigit(sql.charCodeAt(end))) end++;
      let marker = INTEGER;
      if (sql.charCodeAt(end) === DOT && isDigit(sql.charCodeAt(end + 1))) {
        marker = DECIMAL;
        end += 2;
        while (end < length && isDigit(sql.charCodeAt(end))) end++;
        if (sql.charCodeAt(end) === DOT) return undefined;
      } else if (end - index > MAX_INTEGER_DIGITS) return undefined;
      if (end < length && (isWordPart(sql.charCodeAt(end)) || sql.charCodeAt(end) === QUOTE)) return undefined;
      // A digit right after a dot continues a number PostgreSQL began at the dot (`.5`).
      if (index > 0 && sql.charCodeAt(index - 1) === DOT) return undefined;
      key += sql.slice(copiedUpTo, index) + marker;
      copiedUpTo = index = end;
    } else if (code === QUOTE) {
      let end = index + 1;
      for (;;) {
        if (end >= length) return undefined;
        const inner = sql.charCodeAt(end);
        if (inner === BACKSLASH || inner > 0x7e || (inner < 0x20 && !isSpace(inner))) return undefined;
        if (inner === QUOTE) {
          if (sql.charCodeAt(end + 1) !== QUOTE) break;
          end += 2;
        } else end++;
      }
      end++;
      if (end < length && (isWordPart(sql.charCodeAt(end)) || sql.charCodeAt(end) === QUOTE)) return undefined;
      key += sql.slice(copiedUpTo, index) + STRING;
      copiedUpTo = index = end;
    } else if (isPlainPunctuation(code) || isSpace(code)) {
      if ((code === DASH || code === SLASH) && isCommentStart(code, sql.charCodeAt(index + 1))) return undefined;
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

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isWordStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

function isWordPart(code: number): boolean {
  return isWordStart(code) || isDigit(code);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isCommentStart(code: number, next: number): boolean {
  return (code === DASH && next === DASH) || (code === SLASH && next === STAR);
}

// Operators and punctuation PostgreSQL reads the same whatever surrounds them here; `$`, `"`,
// `\`, `&` and the comment starters are handled (refused) above or by omission.
const PLAIN_PUNCTUATION = new Set([...'()[],;.:=<>+-*/%^|~!@#?'].map((char) => char.charCodeAt(0)));

function isPlainPunctuation(code: number): boolean {
  return PLAIN_PUNCTUATION.has(code);
}
