import { posix } from 'node:path';
import type { GuardSettings } from './types.js';

/**
 * Whether a path, as a finding names it (absolute, `~/…`, relative when the working folder is
 * unknown, or a glob pattern), could touch something Airlock guards: the guarded path itself,
 * anything inside it, or a folder above it (moving or deleting that takes the guarded path along).
 * Matching is case-insensitive (macOS's default file system is) and a glob counts when it could
 * match: `.c*`, `.{claude,x}`, `.[c]laude`. Like bash without `dotglob`, a pattern that does not
 * start with a literal dot does not match a dot-name (`rm -rf dist/*` never reaches `dist/.claude`).
 */

/** Brace expansions beyond this many alternatives are judged as `*`. */
const MAX_BRACE_ALTERNATIVES = 64;

/** A guarded path and why it is guarded, for the reason an approver and the agent see. */
export interface GuardHit {
  readonly guarded: string;
  readonly why: string;
}

/** What writing `path` would touch of the guarded paths and names, or undefined. */
export function guardedWrite(path: string, guard: GuardSettings): GuardHit | undefined {
  for (const form of forms(path, guard)) {
    for (const guarded of guard.paths) {
      if (overlaps(form, place(guarded, guard)))
        return { guarded, why: guardedWhy(guarded, guard) };
    }
    for (const name of guard.names ?? []) {
      if (containsName(form, name)) return { guarded: name, why: guardedWhy(name, guard) };
    }
  }
  return undefined;
}

/** What reading `path` would reveal of Airlock's unreadable folders (its home), or undefined. */
export function guardedRead(path: string, guard: GuardSettings): GuardHit | undefined {
  for (const form of forms(path, guard)) {
    for (const folder of guard.unreadable ?? []) {
      const segments = place(folder, guard);
      // Reading the folder itself, anything in it, or a glob that could reach into it; not a folder above.
      if (form.length >= segments.length && overlaps(form, segments))
        return { guarded: folder, why: 'the Airlock home, which holds its config, store and keys' };
    }
  }
  return undefined;
}

/** True when `path` names another process's environment (`/proc/PID/environ`, any pid but `self`). */
export function isOtherEnviron(path: string): boolean {
  return expandBraces(path).some((text) => {
    const form = place(text, { paths: [] });
    if (form[0] !== '' || !couldMatch(form[1] ?? '', 'proc')) return false;
    const pid = form[2];
    if (pid === undefined || pid === 'self' || pid === 'thread-self') return false;
    const rest = form.slice(3);
    if (rest.length === 1) return couldMatch(rest[0] as string, 'environ');
    // A thread's environment is its process's.
    return (
      rest.length === 3 &&
      couldMatch(rest[0] as string, 'task') &&
      couldMatch(rest[2] as string, 'environ')
    );
  });
}

/** Why a guarded path is guarded, in words (never a secret). */
function guardedWhy(guarded: string, guard: GuardSettings): string {
  if ((guard.unreadable ?? []).includes(guarded))
    return 'the Airlock home, which holds its config, store and keys';
  if (
    /(^|\/)\.?(claude|cursor|codex|gemini|claude-code|gemini-cli|claudecode|geminicli)(\/|$)/i.test(
      guarded,
    )
  )
    return "an agent client's hook configuration";
  if (/(^|\/)\.airlock$/i.test(guarded))
    return 'an Airlock home, which holds its config, store and keys';
  // What else is guarded is Airlock's installed code and its service units.
  return "Airlock's own code or service";
}

/** The spellings of `path` to compare, as segment lists (absolute ones start with ''). */
function forms(path: string, guard: GuardSettings): string[][] {
  return expandBraces(path).map((expanded) => place(expanded, guard));
}

/** Segments of a path: `~` placed in the user's home when known, `/proc/PID/root` dropped, normalized. */
function place(path: string, guard: GuardSettings): string[] {
  let text = path;
  if (guard.userHome !== undefined && (text === '~' || text.startsWith('~/')))
    text = guard.userHome + text.slice(1);
  text = posix.normalize(text);
  // `/proc/PID/root/x` is `/x` seen through that process's root: the same file.
  while (/^\/proc\/[^/]+\/root(\/|$)/.test(text))
    text = posix.normalize(`/${text.split('/').slice(4).join('/')}`);
  // `/proc/PID/cwd/x` is relative to a folder only that process knows: judge it by name.
  if (/^\/proc\/[^/]+\/cwd\//.test(text)) text = text.split('/').slice(4).join('/');
  const segments = text.split('/').filter((segment, index) => segment !== '' || index === 0);
  if (segments.length > 1 && segments[segments.length - 1] === '.') segments.pop();
  return segments;
}

/** True when the (pattern) path could be the guarded path, inside it, or a folder above it. */
function overlaps(pattern: readonly string[], guarded: readonly string[]): boolean {
  // One absolute and one relative (or `~` against `/`): not comparable here.
  if ((pattern[0] === '') !== (guarded[0] === '') || (pattern[0] === '~') !== (guarded[0] === '~'))
    return false;
  const length = Math.min(pattern.length, guarded.length);
  for (let index = 0; index < length; index++) {
    const segment = pattern[index] as string;
    if (segment === '**') return true;
    if (!couldMatch(segment, guarded[index] as string)) return false;
  }
  return true;
}

/** True when the path contains `name` (`.claude/settings.json`) at any depth, is inside it, or ends in a folder of it. */
function containsName(pattern: readonly string[], name: string): boolean {
  const parts = name.split('/');
  for (let start = 0; start < pattern.length; start++) {
    let matched = 0;
    while (matched < parts.length && start + matched < pattern.length) {
      const segment = pattern[start + matched] as string;
      if (segment === '**') return true;
      if (!couldMatch(segment, parts[matched] as string)) break;
      matched++;
    }
    // All of the name, or a folder of it as the path's last segment (`rm -rf .claude`).
    if (matched === parts.length || (matched > 0 && start + matched === pattern.length))
      return true;
  }
  return false;
}

/** Could one segment (literal or glob) name `literal`? `anyDot`: `*` matches a leading dot (find's -name does). */
export function couldMatch(segment: string, literal: string, anyDot = false): boolean {
  if (!/[*?[]/.test(segment) && !/[@!+]\(/.test(segment))
    return segment.toLowerCase() === literal.toLowerCase();
  // extglob groups (`@(a|b)`, `!(x)`, `+(…)`): judged as able to match anything.
  if (/[@!+*?]\(/.test(segment)) return true;
  // bash without dotglob: a leading dot must be matched by a literal dot.
  if (!anyDot && literal.startsWith('.') && !segment.startsWith('.')) return false;
  return globRegExp(segment).test(literal);
}

/** A glob segment as a case-insensitive regular expression (`[!…]` and `[^…]` negate). */
function globRegExp(segment: string): RegExp {
  let source = '';
  for (let index = 0; index < segment.length; index++) {
    const char = segment[index] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const close = bracketEnd(segment, index);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(index + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      const classes = body.replace(
        /\[:(\w+):\]/g,
        (whole, name: string) => POSIX_CLASSES[name] ?? '\\s\\S',
      );
      source += `[${negate ? '^' : ''}${classes.replace(/\\(?![sSw])/g, '\\\\').replace(/[[\]]/g, '\\$&')}]`;
      index = close;
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${source}$`, 'is');
  } catch {
    // A class the engine cannot read ([[:alpha:]]…): it could match anything.
    return /^.*$/s;
  }
}

/** POSIX bracket classes as JavaScript class contents. */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  punct: '!-/:-@\\[-`{-~',
  xdigit: '0-9a-fA-F',
  word: '\\w',
};

/** Where the bracket expression opened at `open` closes (a `]` first in it is literal; `[:x:]` is one unit), or -1. */
function bracketEnd(segment: string, open: number): number {
  let index = open + 1;
  if (segment[index] === '!' || segment[index] === '^') index++;
  if (segment[index] === ']') index++;
  while (index < segment.length) {
    if (segment.startsWith('[:', index)) {
      const end = segment.indexOf(':]', index + 2);
      if (end < 0) return -1;
      index = end + 2;
    } else if (segment[index] === ']') return index;
    else index++;
  }
  return -1;
}

/** `a{b,c}d` → `abd`, `acd`; ranges and too many alternatives become `*` (they could match anything). */
export function expandBraces(text: string): string[] {
  const open = text.search(/\{[^{}]*\}/);
  if (open < 0) return [text];
  const close = text.indexOf('}', open);
  const body = text.slice(open + 1, close);
  const before = text.slice(0, open);
  const after = text.slice(close + 1);
  if (!body.includes(','))
    return expandBraces(`${before}${body.includes('..') ? '*' : `\0${body}\u0001`}${after}`).map(
      restoreBraces,
    );
  const results: string[] = [];
  for (const alternative of body.split(',')) {
    for (const expanded of expandBraces(`${before}${alternative}${after}`)) {
      results.push(expanded);
      if (results.length > MAX_BRACE_ALTERNATIVES)
        return [`${before}*${after}`.replace(/\{[^{}]*\}/g, '*')];
    }
  }
  return results;
}

function restoreBraces(text: string): string {
  return text.replaceAll('\0', '{').replaceAll('\u0001', '}');
}
