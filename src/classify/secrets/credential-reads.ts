import { posix } from 'node:path';
import type { Action } from '../../core/index.js';
import type { CredentialMatch } from './detect-credentials.js';

/**
 * Issue 24 part 3: the hooks refuse to hand a provider credential to an agent. After a command
 * line or a file tool is classified, every file it would read (its path targets) and every file
 * its text names (`awk 1 .env`, `dd if=.env`, `git show HEAD:.env`, `cp .env x`, `ln -s .env x`,
 * code in another language) is looked into; when one holds a credential the scan's rules find,
 * an extra `destructive` action names the finding, so the call is held for a human whatever else
 * it does. Contents decide, not names: a copy, a link or another spelling of the path is caught
 * when it is read. What a program builds at run time (`cat $(printf …)`) is not seen.
 */

/** One credential in one file, as the probe found it (the match carries a fingerprint, never the secret). */
export interface ProbedCredential {
  readonly path: string;
  readonly match: CredentialMatch;
}

/** Looks into files on the machine for the check; injected so that classification stays pure. */
export interface CredentialProbe {
  /**
   * Credentials in the file at `path` (absolute, or `~/…`): a glob is every file it matches in
   * its folder; a folder is looked into only when `recursive` (a recursive search reads it all).
   */
  credentialsAt(
    path: string,
    options: { readonly recursive: boolean; readonly cwd: string },
  ): readonly ProbedCredential[];
}

/** What the check knows of the call besides its actions. */
export interface CredentialReadCall {
  /** The command line, for the files it names; undefined for a file tool. */
  readonly command?: string;
  readonly cwd: string;
}

/** The clients' search tools, as the file-tool classifier names their operations. */
const SEARCH_TOOLS = [
  'Grep (file tool)',
  'search_file_content (file tool)',
  'grep_search (file tool)',
];
/** Commands that read every file of a folder they are given (or of the working folder when given none). */
const RECURSIVE_READERS = new Set([
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'ag',
  'ack',
  'git grep',
  'tar',
  'zip',
  '7z',
  'rsync',
  'scp',
  'diff',
  'strings',
  ...SEARCH_TOOLS,
]);
/** Of those, the ones that search the working folder when no path is given. */
const SEARCH_CWD_BY_DEFAULT = new Set(['rg', 'ag', 'ack', 'git grep', ...SEARCH_TOOLS]);
/** At most this many words of a command line are looked up as file names. */
const MAX_NAMED_WORDS = 256;

/** `actions` plus one held action per credential the call would reveal. */
export function withCredentialReads(
  actions: readonly Action[],
  call: CredentialReadCall,
  probe: CredentialProbe,
): Action[] {
  const first = actions[0];
  if (first === undefined) return [...actions];
  const found = new Map<string, ProbedCredential & { readonly operation: string }>();
  const look = (path: string, operation: string, recursive: boolean): void => {
    for (const hit of probe.credentialsAt(path, { recursive, cwd: call.cwd })) {
      const key = `${hit.path}:${hit.match.line}:${hit.match.fingerprint}`;
      if (!found.has(key)) found.set(key, { ...hit, operation });
    }
  };
  const judged = new Set<string>();
  for (const action of actions) {
    action.targets.forEach((target) => target.type === 'path' && judged.add(target.id));
    // A write replaces what the file holds and reveals nothing; reads, runs and unknowns may.
    if (action.effect === 'write') continue;
    const recursive = RECURSIVE_READERS.has(action.operation);
    const paths = action.targets
      .filter((target) => target.type === 'path')
      .map((target) => target.id);
    if (paths.length === 0 && SEARCH_CWD_BY_DEFAULT.has(action.operation)) paths.push(call.cwd);
    for (const path of paths) look(path, action.operation, recursive);
  }
  if (call.command !== undefined) {
    // A word the classifier already placed (`echo x > .env` writes it) was judged above.
    for (const word of namedWords(call.command, call.cwd))
      if (!judged.has(word)) look(word, 'a file the command line names', false);
  }
  return [...actions, ...[...found.values()].map((hit) => heldRead(hit, first))];
}

/** The action that holds the call: what would be revealed, where, and its fingerprint; never the secret. */
function heldRead(hit: ProbedCredential & { readonly operation: string }, like: Action): Action {
  const { match } = hit;
  const where = `${hit.path}:${match.line}`;
  return {
    upstream: like.upstream,
    surface: like.surface,
    operation: `${hit.operation} would reveal a ${match.platform} ${match.kind} (${where}, fingerprint ${match.fingerprint}): held so that no agent reads a provider credential; seal it behind Airlock (see \`airlock scan\`)`,
    // SECURITY: `destructive` so that the shipped policy holds it for a human whatever the grant's effects.
    effect: 'destructive',
    reversible: false,
    targets: [
      {
        type: 'path',
        id: hit.path,
        attrs: {
          credential: match.rule,
          platform: match.platform,
          line: match.line,
          fingerprint: match.fingerprint,
        },
      },
    ],
    digest: like.digest,
  };
}

/**
 * The words of a command line that could name a file: split at blanks, backquotes, `=`, `:`, `,`,
 * brackets and operators; `~`, `$HOME` and `$PWD` expanded; relative words placed in `cwd`.
 */
export function namedWords(command: string, cwd: string): string[] {
  const words = command
    .replace(/\$\{?PWD\}?/g, cwd)
    .replace(/\$\{?HOME\}?/g, '~')
    // Quotes and escapes only group characters: `"$PWD"/.env` and `.e\nv` name the file as written without them.
    .replace(/["'\\]/g, '')
    .split(/[\s`=:,;|&()<>{}]+/)
    .filter(
      (word) =>
        word !== '' &&
        !word.startsWith('-') &&
        !word.includes('$') &&
        /[A-Za-z0-9._*?[\]~/]/.test(word),
    )
    .slice(0, MAX_NAMED_WORDS);
  return [
    ...new Set(
      words.map((word) =>
        posix.normalize(word.startsWith('/') || word.startsWith('~') ? word : `${cwd}/${word}`),
      ),
    ),
  ];
}
