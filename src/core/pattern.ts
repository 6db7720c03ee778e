/**
 * Glob patterns for grant scopes: `*` matches any run of characters (including none); every
 * other character matches itself. `*` alone matches everything.
 */

/** Whether a pattern matches a concrete value. */
export function matchesPattern(pattern: string, value: string): boolean {
  return globMatch(pattern, value);
}

/**
 * Whether every value the child pattern matches is also matched by the parent pattern.
 * Sound, not complete: the parent is matched against the child's text with the child's `*`
 * taken literally, so each child wildcard must sit inside a parent wildcard. When this says
 * yes the child is narrower; a rare true subset may be refused, never a wider one accepted.
 */
export function isPatternWithin(child: string, parent: string): boolean {
  return globMatch(parent, child);
}

// Iterative wildcard matching with single backtrack point: linear in practice, no regex built
// from user input (so no ReDoS).
function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
