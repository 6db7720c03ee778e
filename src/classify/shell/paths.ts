import { posix } from 'node:path';
import {
  expandBraces,
  globInstances,
  globsIntersect,
  globTokens,
  hasGlobSyntax,
  targetTokens,
} from './glob-names.js';

/**
 * Where a path lands and what losing it would cost, judged against the project (the working
 * directory the agent started in): scratch space and regenerable build output are cheap to lose,
 * the project itself, its history and everything outside it are not.
 */

/** Folders that builds, package managers and test runners recreate. */
const REGENERABLE_NAMES = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  'target',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.cache',
  '.parcel-cache',
  '.turbo',
  'coverage',
  '.nyc_output',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
  '.tox',
  '.venv',
  'venv',
  '.gradle',
  'tmp',
  '.tmp',
  'temp',
  '.DS_Store',
  '.eslintcache',
  'tsconfig.tsbuildinfo',
  '.terraform',
]);
const REGENERABLE_SUFFIXES = [
  '.pyc',
  '.pyo',
  '.o',
  '.class',
  '.log',
  '.tmp',
  '.swp',
  '.tsbuildinfo',
  '.egg-info',
  '~',
];
/** Files inside a project whose loss cannot be undone by git or a rebuild. */
const PRECIOUS = [
  /^\.env(\..*)?$/,
  /\.(db|sqlite3?|pem|key|p12|keystore|tfstate(\.backup)?)$/,
  /^id_(rsa|ed25519|ecdsa)/,
];
const SCRATCH_ROOTS = ['/tmp', '/var/tmp', '/private/tmp', '/dev/shm'];

/** An absolute path (or `~…`) for `text` seen from `cwd`; undefined when it cannot be known. */
export function resolvePath(text: string, cwd: string | undefined): string | undefined {
  if (text === '') return undefined;
  let joined: string;
  if (text.startsWith('/')) joined = text;
  else if (text === '~' || text.startsWith('~/')) joined = text;
  else if (cwd === undefined) return undefined;
  else joined = `${cwd}/${text}`;
  if (joined.startsWith('~')) {
    const rest = posix.normalize(`/${joined.slice(1)}`);
    // `~/..` leaves the (unknown) home folder: nothing can be said about where it lands.
    if (
      posix.normalize(joined.slice(1)).startsWith('/..') ||
      joined.slice(1).split('/').includes('..')
    )
      return undefined;
    return rest === '/' ? '~' : `~${rest}`;
  }
  const normal = posix.normalize(joined);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/** Is `path` strictly inside `root`? */
export function isInside(path: string, root: string): boolean {
  return root === '/' ? path !== '/' && path.startsWith('/') : path.startsWith(`${root}/`);
}

/** A path under /tmp-like scratch space (never the scratch root itself). */
export function isScratch(path: string): boolean {
  return SCRATCH_ROOTS.some((root) => isInside(path, root));
}

function isRegenerable(name: string): boolean {
  return (
    REGENERABLE_NAMES.has(name) || REGENERABLE_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}

/**
 * The precious names as patterns, for globs: a glob segment that could match one of these (or
 * whose instances match PRECIOUS) counts as naming a precious file. Tighter than PRECIOUS for
 * `id_*` keys, so that `*.js` is not taken for `id_rsa.js`.
 */
const PRECIOUS_PATTERNS = [
  '.env',
  '.env.*',
  '*.db',
  '*.sqlite',
  '*.sqlite3',
  '*.pem',
  '*.key',
  '*.p12',
  '*.keystore',
  '*.tfstate',
  '*.tfstate.backup',
  'id_rsa',
  'id_rsa.pub',
  'id_ed25519',
  'id_ed25519.pub',
  'id_ecdsa',
  'id_ecdsa.pub',
  'id_dsa',
].map(targetTokens);
const GIT_PATTERN = [targetTokens('.git')];

function isPrecious(name: string): boolean {
  if (hasGlobSyntax(name))
    return globCouldMatch(name, PRECIOUS_PATTERNS, (instance) =>
      PRECIOUS.some((pattern) => pattern.test(instance)),
    );
  return PRECIOUS.some((pattern) => pattern.test(name));
}

function isGitFolder(name: string): boolean {
  return (
    name === '.git' ||
    (hasGlobSyntax(name) && globCouldMatch(name, GIT_PATTERN, (instance) => instance === '.git'))
  );
}

/** Could the glob segment `name` match one of `patterns`? Unreadable globs could match anything. */
function globCouldMatch(
  name: string,
  patterns: readonly ReturnType<typeof targetTokens>[],
  test: (instance: string) => boolean,
): boolean {
  const alternatives = expandBraces(name);
  if (alternatives === undefined) return true;
  return alternatives.some((alternative) => {
    const tokens = globTokens(alternative);
    if (tokens === undefined) return true;
    return (
      patterns.some((pattern) => globsIntersect(tokens, pattern)) ||
      globInstances(tokens).some(test)
    );
  });
}

/** How removing (or overwriting) `path` should be judged. */
export type Loss = 'cheap' | 'costly';

/**
 * The cost of deleting `path`: `recursive` for whole trees (rm -r, rsync --delete, find -delete).
 * Inside the project: a single ordinary file is cheap (git has it), a tree is cheap only when it
 * is regenerable output; `.git`, secrets and databases are costly. Outside: only scratch is cheap.
 */
export function deletionLoss(path: string, recursive: boolean, project: string | undefined): Loss {
  if (isScratch(path)) return 'cheap';
  if (project === undefined || !isInside(path, project)) return 'costly';
  const segments = path.slice(project.length + 1).split('/');
  if (segments.some(isGitFolder) || segments.some(isPrecious)) return 'costly';
  if (segments.some(isRegenerable)) return 'cheap';
  return recursive ? 'costly' : 'cheap';
}

/** Paths a redirection may write to without touching any file. */
export function isHarmlessDevice(path: string): boolean {
  return (
    ['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty', '/dev/zero'].includes(path) ||
    path.startsWith('/dev/fd/')
  );
}

/** A glob operand's folder and last segment: `dist/*` → `dist`, `*`. */
export function splitGlob(text: string): { dir: string; pattern: string } {
  const firstGlob = text.search(/[*?[{]|[@!+]\(/);
  const slash = text.lastIndexOf('/', firstGlob < 0 ? text.length : firstGlob);
  if (slash < 0) return { dir: '.', pattern: text };
  return { dir: text.slice(0, slash) || '/', pattern: text.slice(slash + 1) };
}

/** True when a glob's last segment matches everything (`*`, `.*`, `*.*`, `{a,b}`…): no name to judge. */
export function globMatchesAll(pattern: string): boolean {
  return (
    pattern.replace(/[*?.]|\[[^\]]*\]/g, '') === '' ||
    pattern.includes('/') ||
    /[{}]|[@!+*?]\(/.test(pattern)
  );
}
