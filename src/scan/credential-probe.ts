import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CredentialProbe, ProbedCredential } from '../classify/index.js';
import { detectCredentials } from '../classify/index.js';
import { hintForPath } from './home-locations.js';
import { readTextFile } from './read-text-file.js';
import { walk } from './walk-files.js';

/** The largest file the hook looks into; a larger one is not read (the scan reports it as skipped). */
export const MAX_PROBED_FILE_BYTES = 1024 * 1024;
/** At most this many files of a folder a recursive search reads are looked into per call. */
export const MAX_PROBED_FOLDER_FILES = 2000;
/** Paths never looked into: devices and process state (reading a FIFO or /dev/zero must not hang the hook). */
const NEVER_PROBED = /^\/(proc|dev|sys)(\/|$)/;

/**
 * The hooks' credential probe on this machine: reads the files a call would read, following
 * links (what the agent would get is the link's target), bounded in size and number, each file's
 * answer kept while it is unchanged (SEEN). `userHome` places `~`.
 */
export function nodeCredentialProbe(options: { readonly userHome?: string } = {}): CredentialProbe {
  const inFile = (path: string): readonly ProbedCredential[] => {
    if (NEVER_PROBED.test(path)) return [];
    const version = versionOf(path);
    const cached = version === undefined ? undefined : SEEN.get(path);
    if (cached !== undefined && cached.version === version) return cached.hits;
    const read = readTextFile(path, MAX_PROBED_FILE_BYTES);
    const hint = hintForPath(path);
    const hits =
      read.kind === 'text'
        ? detectCredentials(read.text, hint === undefined ? {} : { hint }).map((match) => ({
            path,
            match,
          }))
        : [];
    if (version !== undefined) remember(path, version, hits);
    return hits;
  };
  return {
    credentialsAt(raw, { recursive }) {
      const path = expandHome(raw, options.userHome);
      if (path === undefined || NEVER_PROBED.test(path)) return [];
      if (/[*?[]|\{.*,.*\}/.test(basename(path))) return globMatches(path).flatMap(inFile);
      const kind = kindOf(path);
      if (kind === 'file') return inFile(path);
      if (kind === 'folder' && recursive)
        return walk(path, () => true, MAX_PROBED_FOLDER_FILES).files.flatMap(inFile);
      return [];
    },
  };
}

/**
 * What files held when last looked into, by path, valid while their size, change time and inode
 * stay the same: a served hook (`airlock serve`) answers repeated searches of one project
 * without reading it again. Bounded; the oldest entries go first.
 */
const SEEN = new Map<
  string,
  { readonly version: string; readonly hits: readonly ProbedCredential[] }
>();
const MAX_SEEN_FILES = 20_000;

function remember(path: string, version: string, hits: readonly ProbedCredential[]): void {
  SEEN.delete(path);
  SEEN.set(path, { version, hits });
  if (SEEN.size > MAX_SEEN_FILES) SEEN.delete(SEEN.keys().next().value ?? '');
}

/** A file's identity and change stamp (following links), or undefined when it cannot be told. */
function versionOf(path: string): string | undefined {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.dev}:${stat.ino}:${stat.size}:${stat.ctimeNs}:${stat.mtimeNs}`;
  } catch {
    return undefined;
  }
}

function expandHome(path: string, userHome: string | undefined): string | undefined {
  if (path === '~' || path.startsWith('~/'))
    return userHome === undefined ? undefined : join(userHome, path.slice(1));
  return path.startsWith('/') ? path : undefined;
}

/** `file`, `folder` or undefined (missing, or anything else), following links. */
function kindOf(path: string): 'file' | 'folder' | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The files of the glob's folder its last segment could match (`*`, `?`, `[…]`); a pattern with
 * anything more (extglob, braces, a glob in the folder part) counts as every file of that folder.
 */
function globMatches(pattern: string): string[] {
  const folder = dirname(pattern);
  if (/[*?[]/.test(folder)) return [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const glob = basename(pattern);
  const matcher = globRegex(glob);
  // As bash: a name starting with a dot is matched only by a pattern that starts with one.
  return names
    .filter(
      (name) =>
        (glob.startsWith('.') || !name.startsWith('.')) &&
        (matcher === undefined || matcher.test(name)),
    )
    .map((name) => join(folder, name))
    .filter((path) => kindOf(path) === 'file');
}

function globRegex(glob: string): RegExp | undefined {
  if (/[@!+]\(|\{/.test(glob)) return undefined;
  let source = '';
  for (let at = 0; at < glob.length; at++) {
    const ch = glob[at] ?? '';
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      const end = glob.indexOf(']', at + 2);
      if (end < 0) return undefined;
      const body = glob
        .slice(at + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      source += `[${body}]`;
      at = end;
    } else source += ch.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${source}$`);
  } catch {
    return undefined;
  }
}
