/**
 * Could a bash glob match a name? Decides, for one path segment, whether a pattern such as
 * `.e?v`, `app.d[b]`, `*.[dD][bB]` or `@(.env|x)` could name a precious file: by intersecting the
 * glob's language with each precious pattern's (exact, on an automaton product), and by testing
 * instances of the glob against the precious-name rules. Anything not understood counts as
 * "could match" (the caller then judges the loss as costly).
 */

/** One step of a pattern: a set of characters (one character), or any run of characters. */
type Token =
  | { readonly kind: 'set'; readonly set: CharSet; readonly wild: boolean }
  | { readonly kind: 'star'; readonly dotOk: boolean };
/** `neg`: every character except `chars`; else exactly `chars`. */
interface CharSet {
  readonly neg: boolean;
  readonly chars: ReadonlySet<string>;
}

/** Brace alternatives bash expands before globbing are capped; beyond this the word counts as any name. */
const MAX_ALTERNATIVES = 64;
const MAX_RANGE = 256;
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  digit: '0123456789',
  xdigit: '0123456789abcdefABCDEF',
  alnum: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  word: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_',
  punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  space: ' \t\n\r\f\v',
  blank: ' \t',
};

/** True when `text` has glob syntax (including extglob groups and braces). */
export function hasGlobSyntax(text: string): boolean {
  return /[*?[]|[@!+]\(|\{[^}]*(,|\.\.)[^}]*\}/.test(text);
}

/** bash brace expansion (`{a,b}`, nested), capped: `undefined` when the word is too large to expand. */
export function expandBraces(text: string): string[] | undefined {
  const open = findBrace(text);
  if (open === undefined) return [text];
  const { start, end, parts } = open;
  const results: string[] = [];
  for (const part of parts) {
    const expanded = expandBraces(`${text.slice(0, start)}${part}${text.slice(end + 1)}`);
    if (expanded === undefined) return undefined;
    results.push(...expanded);
    if (results.length > MAX_ALTERNATIVES) return undefined;
  }
  return results;
}

/** The first `{…}` with a top-level comma or a `..` range, and its alternatives. */
function findBrace(text: string): { start: number; end: number; parts: string[] } | undefined {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    const cuts: number[] = [];
    for (let at = start; at < text.length; at++) {
      const ch = text[at];
      if (ch === '\\') at++;
      else if (ch === '{') depth++;
      else if (ch === ',' && depth === 1) cuts.push(at);
      else if (ch === '}' && --depth === 0) {
        const body = text.slice(start + 1, at);
        if (cuts.length > 0) {
          const bounds = [start, ...cuts, at];
          return {
            start,
            end: at,
            parts: bounds
              .slice(1)
              .map((cut, index) => text.slice((bounds[index] as number) + 1, cut)),
          };
        }
        const range = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(\.\.-?\d+)?$/.exec(body);
        if (range !== null)
          return { start, end: at, parts: rangeParts(range[1] as string, range[2] as string) };
        break;
      }
    }
  }
  return undefined;
}

function rangeParts(from: string, to: string): string[] {
  const numeric = /^-?\d+$/.test(from);
  const a = numeric ? Number(from) : from.charCodeAt(0);
  const b = numeric ? Number(to) : to.charCodeAt(0);
  if (Math.abs(a - b) > MAX_ALTERNATIVES)
    return Array.from({ length: MAX_ALTERNATIVES + 1 }, () => '*');
  const parts: string[] = [];
  for (let at = a; a <= b ? at <= b : at >= b; at += a <= b ? 1 : -1)
    parts.push(numeric ? String(at) : String.fromCharCode(at));
  return parts;
}

/** The tokens of one glob segment, with bash's rules; undefined when it cannot be read. */
export function globTokens(pattern: string): Token[] | undefined {
  const tokens: Token[] = [];
  for (let at = 0; at < pattern.length; at++) {
    const ch = pattern[at] as string;
    const next = pattern[at + 1];
    if ('@!+*?'.includes(ch) && next === '(') {
      // An extglob group: read as "any run of characters", which covers whatever it matches.
      const close = closingParen(pattern, at + 1);
      if (close === undefined) return undefined;
      tokens.push({ kind: 'star', dotOk: true });
      at = close;
    } else if (ch === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star', dotOk: false });
    } else if (ch === '?')
      tokens.push({ kind: 'set', set: { neg: true, chars: new Set(['/']) }, wild: true });
    else if (ch === '[') {
      const bracket = readBracket(pattern, at);
      if (bracket === undefined) tokens.push(literal('['));
      else {
        tokens.push({ kind: 'set', set: bracket.set, wild: false });
        at = bracket.end;
      }
    } else if (ch === '\\' && next !== undefined) {
      tokens.push(literal(next));
      at++;
    } else tokens.push(literal(ch));
  }
  return tokens;
}

function literal(ch: string): Token {
  return { kind: 'set', set: { neg: false, chars: new Set([ch]) }, wild: false };
}

function closingParen(pattern: string, open: number): number | undefined {
  let depth = 0;
  for (let at = open; at < pattern.length; at++) {
    if (pattern[at] === '\\') at++;
    else if (pattern[at] === '(') depth++;
    else if (pattern[at] === ')' && --depth === 0) return at;
  }
  return undefined;
}

/** `[abc]`, `[!a-z]`, `[^x]`, `[[:alpha:]]`, `[]x]`: the set and where the bracket ends. */
function readBracket(pattern: string, open: number): { set: CharSet; end: number } | undefined {
  let at = open + 1;
  const neg = pattern[at] === '!' || pattern[at] === '^';
  if (neg) at++;
  const chars = new Set<string>();
  let any = false;
  let first = true;
  for (; at < pattern.length; at++, first = false) {
    const ch = pattern[at] as string;
    if (ch === ']' && !first)
      return { set: any ? { neg: !neg, chars: new Set() } : { neg, chars }, end: at };
    const posix = /^\[:([a-z]+):\]/.exec(pattern.slice(at));
    if (posix !== null) {
      const members = POSIX_CLASSES[posix[1] as string];
      if (members === undefined) any = true;
      else for (const member of members) chars.add(member);
      at += posix[0].length - 1;
      continue;
    }
    const from = ch === '\\' ? (pattern[++at] ?? '\\') : ch;
    if (pattern[at + 1] === '-' && pattern[at + 2] !== undefined && pattern[at + 2] !== ']') {
      const to = pattern[at + 2] as string;
      at += 2;
      const low = from.codePointAt(0) ?? 0;
      const high = to.codePointAt(0) ?? 0;
      if (high - low > MAX_RANGE) any = true;
      else for (let code = low; code <= high; code++) chars.add(String.fromCodePoint(code));
    } else chars.add(from);
  }
  return undefined;
}

function intersects(a: CharSet, b: CharSet, exclude: readonly string[]): boolean {
  const allowed = (ch: string): boolean =>
    !exclude.includes(ch) &&
    (a.neg ? !a.chars.has(ch) : a.chars.has(ch)) &&
    (b.neg ? !b.chars.has(ch) : b.chars.has(ch));
  if (!a.neg) return [...a.chars].some(allowed);
  if (!b.neg) return [...b.chars].some(allowed);
  return true; // both are "all but a few": the alphabet is larger than any exclusion
}

const ANY: CharSet = { neg: true, chars: new Set() };

/**
 * True when some name matches both `glob` (bash rules: `*` and `?` stop at `/`, and a leading
 * `.` must be matched by a literal `.` or a bracket) and `target` (a pattern whose `*` is any run).
 */
export function globsIntersect(glob: readonly Token[], target: readonly Token[]): boolean {
  const first = glob[0];
  // bash: a name that begins with `.` is matched only by a pattern that begins with `.` or a bracket.
  const leadingDotBlocked =
    first !== undefined &&
    ((first.kind === 'star' && !first.dotOk) || (first.kind === 'set' && first.wild));
  const seen = new Set<string>();
  const visit = (i: number, j: number, started: boolean): boolean => {
    const key = `${i},${j},${started}`;
    if (seen.has(key)) return false;
    seen.add(key);
    const g = glob[i];
    const t = target[j];
    if (g === undefined && t === undefined) return true;
    if (g?.kind === 'star' && visit(i + 1, j, started)) return true;
    if (t?.kind === 'star' && visit(i, j + 1, started)) return true;
    if (g === undefined || t === undefined) return false;
    const gSet = g.kind === 'star' ? ANY : g.set;
    const tSet = t.kind === 'star' ? ANY : t.set;
    const exclude = !started && leadingDotBlocked ? ['/', '.'] : ['/'];
    if (!intersects(gSet, tSet, exclude)) return false;
    return visit(g.kind === 'star' ? i : i + 1, t.kind === 'star' ? j : j + 1, true);
  };
  return visit(0, 0, false);
}

/** A target pattern (`*.db`, `.env.*`): `*` is any run, everything else literal. */
export function targetTokens(pattern: string): Token[] {
  return [...pattern].map((ch): Token =>
    ch === '*' ? { kind: 'star', dotOk: true } : literal(ch),
  );
}

/** A few names the glob matches: stars empty or `x`, each set by a member (preferring letters). */
export function globInstances(glob: readonly Token[]): string[] {
  const pick = (set: CharSet, prefer: string): string => {
    if (!set.neg) return [...set.chars].find((ch) => ch !== '/') ?? '';
    return set.chars.has(prefer) ? 'q' : prefer;
  };
  const first = glob[0];
  const dotBlocked =
    first !== undefined &&
    ((first.kind === 'star' && !first.dotOk) || (first.kind === 'set' && first.wild));
  return ['', 'x']
    .map((fill) =>
      glob.map((token) => (token.kind === 'star' ? fill : pick(token.set, 'x'))).join(''),
    )
    .filter((name) => !(dotBlocked && name.startsWith('.')));
}
