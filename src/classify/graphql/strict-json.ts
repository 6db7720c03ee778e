import type { JsonValue, Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';

/** Why a JSON text was refused: it is not JSON, or some object in it repeats a key. */
export type StrictJsonProblem = 'invalid-json' | 'duplicate-key';

/**
 * Parses JSON text, refusing duplicate object keys. Parsers disagree on which duplicate wins
 * (first, last, error), so a body that repeats a key means different requests to different servers.
 */
export function parseStrictJson(text: string): Result<JsonValue, StrictJsonProblem> {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return err('invalid-json');
  }
  // INVARIANT: the text is valid JSON from here on, so the scan only has to find keys.
  return hasDuplicateKey(text) ? err('duplicate-key') : ok(value);
}

interface Frame {
  readonly keys: Set<string> | undefined;
}

// An iterative scan (no recursion, so no stack limit for hostile nesting): tracks for each open
// object the keys seen so far; a string right after `{` or after `,` inside an object is a key.
function hasDuplicateKey(text: string): boolean {
  const stack: Frame[] = [];
  let expectingKey = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      const end = endOfString(text, i);
      const top = stack[stack.length - 1];
      if (expectingKey && top?.keys !== undefined) {
        // SECURITY: compare decoded keys, so `"query"` and `"\u0071uery"` count as the same.
        const key = JSON.parse(text.slice(i, end)) as string;
        if (top.keys.has(key)) return true;
        top.keys.add(key);
      }
      expectingKey = false;
      i = end;
      continue;
    }
    if (char === '{') {
      stack.push({ keys: new Set() });
      expectingKey = true;
    } else if (char === '[') {
      stack.push({ keys: undefined });
      expectingKey = false;
    } else if (char === '}' || char === ']') {
      stack.pop();
      expectingKey = false;
    } else if (char === ',') {
      expectingKey = stack[stack.length - 1]?.keys !== undefined;
    }
    i++;
  }
  return false;
}

/** The index just past the closing quote of the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '\\') i += 2;
    else if (char === '"') return i + 1;
    else i++;
  }
  return text.length;
}
