import { posix } from 'node:path';

/** A path argument as Airlock reads it. */
export interface InspectedPath {
  /** Absolute and normalized when it could be placed; else the text as given. */
  readonly path: string;
  /** Why the path cannot be trusted at all (traversal, control characters, …). */
  readonly problem?: string;
  /** Inside one of the roots; undefined when no roots are configured or the path is not placed. */
  readonly insideRoots?: boolean;
}

// SECURITY: `..` is refused wherever it appears, even when it would resolve back inside a root:
// lexical resolution is wrong across symlinks, and an agent that needs a file has its path.
const PARENT_SEGMENT = /(^|[/\\])\.\.([/\\]|$)/;
// Percent-escapes are decoded until stable (bounded) because some servers decode paths, or
// decode them twice, before use: `%2e%2e%2f` and `%252e%252e` are traversal too.
const MAX_DECODE_ROUNDS = 4;

/**
 * Checks one path argument: traversal (`..`, also percent-encoded or with `\`), control
 * characters, home-relative `~`, and whether it stays inside the configured roots. `cwd` places
 * relative paths; without it they count as outside every root.
 */
export function inspectPath(
  raw: string,
  roots: readonly string[] | undefined,
  cwd: string | undefined,
): InspectedPath {
  if (raw === '') return { path: raw, problem: 'the path is empty' };
  // Control characters are exactly what is refused.
  if (/[\u0000-\u001f\u007f]/.test(raw))
    return { path: raw, problem: 'the path carries control characters' };
  const decoded = decodeRepeatedly(raw);
  if (decoded === undefined)
    return { path: raw, problem: 'the path carries malformed percent-escapes' };
  if (PARENT_SEGMENT.test(raw) || PARENT_SEGMENT.test(decoded))
    return { path: raw, problem: 'the path climbs out with `..`' };
  if (raw.startsWith('~')) return placed(raw, roots, undefined);
  // A drive letter or UNC path is never inside a POSIX root.
  if (/^[A-Za-z]:/.test(raw) || raw.startsWith('\\\\')) return placed(raw, roots, undefined);
  const absolute = raw.startsWith('/') ? raw : cwd === undefined ? undefined : posix.join(cwd, raw);
  if (absolute === undefined) return placed(raw, roots, undefined);
  return placed(posix.normalize(absolute), roots, posix.normalize(absolute));
}

function placed(
  path: string,
  roots: readonly string[] | undefined,
  absolute: string | undefined,
): InspectedPath {
  if (roots === undefined) return { path };
  return {
    path,
    insideRoots: absolute !== undefined && roots.some((root) => isWithin(absolute, root)),
  };
}

/** Whether an absolute normalized path is the root or below it. */
export function isWithin(path: string, root: string): boolean {
  const base = posix.normalize(root).replace(/\/+$/, '');
  return base === '' ? path.startsWith('/') : path === base || path.startsWith(`${base}/`);
}

function decodeRepeatedly(text: string): string | undefined {
  let current = text;
  for (let round = 0; round < MAX_DECODE_ROUNDS && /%[0-9A-Fa-f]{2}/.test(current); round++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return undefined;
    }
  }
  return current;
}
