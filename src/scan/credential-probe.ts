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
 * links (what the agent would get is the link's target), bounded in size and number, cached for
 * the probe's life (one hook call). `userHome` places `~`.
 */
export function nodeCredentialProbe(options: { readonly userHome?: string } = {}): CredentialProbe {
  const cache = new Map<string, readonly ProbedCredential[]>();
  const inFile = (path: string): readonly ProbedCredential[] => {
    const cached = cache.get(path);
    if (cached !== undefined) return cached;
    const read = NEVER_PROBED.test(path) ? undefined : readTextFile(path, MAX_PROBED_FILE_BYTES);
    const hint = hintForPath(path);
    const hits = read?.kind === 'text' ? detectCredentials(read.text, hint === undefined ? {} : { hint }).map((match) => ({ path, match })) : [];
    cache.set(path, hits);
    return hits;
  };
  return {
    credentialsAt(raw, { recursive }) {
      const path = expandHome(raw, options.userHome);
      if (path === undefined || NEVER_PROBED.test(path)) return [];
      if (/[*?[]|\{.*,.*\}/.test(basename(path))) return globMatches(path).flatMap(inFile);
      const kind = kindOf(path);
      if (kind === 'file') return inFile(path);
      if (kind === 'folder' && recursive) return walk(path, () => true, MAX_PROBED_FOLDER_FILES).files.flatMap(inFile);
      return [];
    },
  };
}

function expandHome(path: string, userHome: string | undefined): string | undefined {
  if (path === '~' || path.startsWith('~/')) return userHome === undefined ? undefined : join(userHome, path.slice(1));
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
  return names.filter((name) => (glob.startsWith('.') || !name.startsWith('.')) && (matcher === undefined || matcher.test(name))).map((name) => join(folder, name)).filter((path) => kindOf(path) === 'file');
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
      const body = glob.slice(at + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
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
