import type { Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';

/** A path as the upstream routes it: decoded segments. */
export interface NormalizedPath {
  readonly segments: readonly string[];
  /** The path had `.` or `..` segments (plain or percent-encoded) that were resolved. */
  readonly hadDotSegments: boolean;
}

// Raw bytes servers disagree on: controls, space, backslash (a separator on some), non-ASCII.
const UNSAFE_RAW = /[\u0000-\u0020\u007f-\uffff\\]/;
const ENCODED_ESCAPE = /%[0-9a-f]{2}/i;

/**
 * Normalizes a path the way a web framework's router reads it: percent-decoded, empty segments
 * (duplicate and trailing slashes) dropped, dot segments resolved. What routers disagree on is
 * refused: an encoded slash or backslash, a double encoding, a `;` parameter, raw non-ASCII, a
 * `..` above the root.
 */
export function normalizeRouterPath(rawPath: string): Result<NormalizedPath, string> {
  if (UNSAFE_RAW.test(rawPath))
    return err(
      'the path has bytes routers read differently (space, control, backslash or non-ASCII)',
    );
  const segments: string[] = [];
  let hadDotSegments = false;
  for (const raw of rawPath.split('/')) {
    const decoded = decodeSegment(raw);
    if (decoded === undefined) return err('the path has an invalid percent escape');
    // SECURITY: `%2F` is a separator to some servers and a character to others.
    if (decoded.includes('/') || decoded.includes('\\'))
      return err('the path has an encoded slash or backslash');
    if (ENCODED_ESCAPE.test(decoded)) return err('the path is percent-encoded twice');
    if (/[\u0000-\u001f\u007f]/.test(decoded))
      return err('the path has an encoded control character');
    // Servlet containers strip `;params` from segments, other servers keep them.
    if (decoded.includes(';')) return err('the path has a `;` parameter');
    if (decoded === '') continue;
    if (decoded === '.' || decoded === '..') {
      hadDotSegments = true;
      if (decoded === '..' && segments.pop() === undefined)
        return err('the path climbs above the root');
      continue;
    }
    segments.push(decoded);
  }
  return ok({ segments, hadDotSegments });
}

/**
 * Splits a path whose segments are names kept byte for byte (S3 object keys): decoded, with
 * empty and dot segments kept as they are. Only controls and invalid escapes are refused.
 */
export function normalizeLiteralPath(rawPath: string): Result<NormalizedPath, string> {
  const parts = rawPath.split('/').slice(1);
  const segments: string[] = [];
  for (const raw of parts) {
    const decoded = decodeSegment(raw);
    if (decoded === undefined) return err('the path has an invalid percent escape');
    if (/[\u0000-\u001f\u007f]/.test(decoded)) return err('the path has a control character');
    segments.push(decoded);
  }
  // `/bucket/` is the bucket itself.
  if (segments.length === 2 && segments[1] === '') segments.pop();
  if (segments.length === 1 && segments[0] === '') segments.pop();
  return ok({ segments, hadDotSegments: false });
}

function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
