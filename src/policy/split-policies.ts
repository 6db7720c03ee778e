/** One policy's slice of a file: from just after the previous policy through its `;`. */
export interface PolicySource {
  /** The slice, including any comments and blank lines before the policy. */
  readonly text: string;
  /** Character index in the file where the slice starts. */
  readonly start: number;
  /** Character index in the file of the policy's first token (its first annotation or effect). */
  readonly bodyStart: number;
}

/**
 * Splits a policy file into its policies. Cedar reports offsets relative to the text it was
 * given, and names policies `policy0…` when given a whole file; splitting lets each policy be
 * validated under its own id and each error be traced to its place in the file. Only `;`
 * outside strings and comments ends a policy, which is the only place Cedar's grammar puts one.
 */
export function splitPolicies(text: string): PolicySource[] {
  const sources: PolicySource[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      i = skipString(text, i);
    } else if (char === '/' && text[i + 1] === '/') {
      i = skipComment(text, i);
    } else {
      i++;
      if (char === ';') {
        sources.push(toSource(text, start, i));
        start = i;
      }
    }
  }
  const rest = toSource(text, start, text.length);
  // A trailing slice holding only comments and whitespace is not a policy.
  if (rest.bodyStart < text.length) sources.push(rest);
  return sources;
}

function toSource(text: string, start: number, end: number): PolicySource {
  return { text: text.slice(start, end), start, bodyStart: skipTrivia(text, start, end) };
}

/** Index just past the string starting at `i` (a `"`), or the end of the text if unterminated. */
function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return Math.min(j + 1, text.length);
}

function skipComment(text: string, i: number): number {
  const newline = text.indexOf('\n', i);
  return newline < 0 ? text.length : newline + 1;
}

function skipTrivia(text: string, start: number, end: number): number {
  let i = start;
  while (i < end) {
    if (/\s/.test(text[i] ?? '')) i++;
    else if (text[i] === '/' && text[i + 1] === '/') i = skipComment(text, i);
    else break;
  }
  return Math.min(i, end);
}
