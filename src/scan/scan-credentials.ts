import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { CredentialMatch } from '../classify/index.js';
import { detectCredentials } from '../classify/index.js';
import { HOME_LOCATIONS, hintForPath } from './home-locations.js';
import { readTextFile } from './read-text-file.js';
import { listFiles } from './walk-files.js';

/**
 * `airlock scan`'s work: the credentials an agent working in the given folders could read, in
 * their files, in the user's CLI configs and in the environment. Findings carry a fingerprint,
 * never the secret.
 */

/** Where a finding was: a file of the folders scanned, a CLI config in the home, or a variable. */
export type FindingSource = 'workspace' | 'home' | 'environment';

/** One credential found, as `airlock scan --json` prints it. */
export interface ScanFindingV1 extends CredentialMatch {
  readonly source: FindingSource;
  /** The file (relative to the current folder when under it, `~/…` in the home), or `$NAME`. */
  readonly location: string;
}

/** A file the scan could not look into, and why. */
export interface ScanSkipV1 {
  readonly location: string;
  readonly why: string;
}

/** The whole answer of one scan. */
export interface ScanReportV1 {
  readonly version: 1;
  readonly findings: readonly ScanFindingV1[];
  readonly skipped: readonly ScanSkipV1[];
  readonly filesRead: number;
}

/** What to scan; every part explicit so tests never read the real home or environment. */
export interface ScanOptions {
  /** Files or folders (absolute, or relative to `cwd`). */
  readonly paths: readonly string[];
  readonly cwd: string;
  /** The user's home whose CLI configs are read; undefined skips them. */
  readonly userHome?: string;
  /** The environment to look through; undefined skips it. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Thrown for a path that does not exist: the caller's bad input (exit 2). */
export class ScanInputError extends Error {
  override readonly name = 'ScanInputError';
}

/** Scans what `options` names; throws ScanInputError for a path that does not exist. */
export function scanCredentials(options: ScanOptions): ScanReportV1 {
  const roots = options.paths.map((path) => resolve(options.cwd, path));
  const missing = roots.find((root) => !existsSync(root));
  if (missing !== undefined)
    throw new ScanInputError(`no such file or folder: \`${shown(missing, options)}\``);
  const findings: ScanFindingV1[] = [];
  const skipped: ScanSkipV1[] = [];
  const seen = new Set<string>();
  let filesRead = 0;
  const scanFile = (path: string, source: FindingSource, hint: string | undefined): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const read = readTextFile(path);
    const location = shown(path, options);
    if (read.kind === 'missing') return;
    if (read.kind === 'skipped') return void skipped.push({ location, why: read.why });
    filesRead++;
    const matches = detectCredentials(read.text, hint === undefined ? {} : { hint });
    findings.push(...matches.map((match) => ({ ...match, source, location })));
  };
  for (const root of roots) {
    if (!statSync(root).isDirectory()) {
      scanFile(root, 'workspace', hintForPath(root));
      continue;
    }
    const { files, truncated } = listFiles(root);
    if (truncated)
      skipped.push({
        location: shown(root, options),
        why: 'too many files: the listing stopped early',
      });
    for (const file of files) scanFile(file, 'workspace', hintForPath(file));
  }
  if (options.userHome !== undefined) {
    for (const location of HOME_LOCATIONS)
      scanFile(join(options.userHome, location.path), 'home', location.hint);
  }
  if (options.env !== undefined) findings.push(...scanEnvironment(options.env));
  return { version: 1, findings, skipped, filesRead };
}

/** Credentials among environment variables, each read as the line `NAME=value`. */
function scanEnvironment(env: Readonly<Record<string, string | undefined>>): ScanFindingV1[] {
  return Object.entries(env).flatMap(([name, value]) => {
    if (value === undefined || value === '') return [];
    return detectCredentials(`${name}=${value}`).map((match) => ({
      ...match,
      source: 'environment' as const,
      location: `$${name}`,
      line: 0,
      column: 0,
    }));
  });
}

/** A path as findings show it: relative to cwd when under it, `~/…` under the home, else absolute. */
function shown(path: string, options: ScanOptions): string {
  const inCwd = relative(options.cwd, path);
  if (inCwd !== '' && !inCwd.startsWith('..') && !isAbsolute(inCwd)) return inCwd;
  if (inCwd === '') return '.';
  if (options.userHome !== undefined) {
    const inHome = relative(options.userHome, path);
    if (!inHome.startsWith('..') && !isAbsolute(inHome)) return `~/${inHome}`;
  }
  return path;
}
