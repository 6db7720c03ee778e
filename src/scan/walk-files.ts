import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isSensitiveName } from './home-locations.js';

/**
 * The files of a folder an agent working there could read: in a git work tree the tracked and
 * untracked files, plus ignored ones whose names mark credentials (`.env*`, `*.tfstate`…); outside
 * git every file. Folders of dependencies and build output are not descended into; symbolic links
 * are not followed (a link into the home is the home's scan).
 */

/** Folders never descended into: dependencies, caches, build output, git's own store. */
const SKIPPED_FOLDERS = new Set([
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  'dist',
  'build',
  '.next',
  'target',
  'vendor',
  '.cache',
  '.terraform',
]);
/** At most this many files are listed per folder given; the rest is reported as skipped. */
export const MAX_FILES_PER_ROOT = 50_000;

/** The files to open under `root`, absolute, and whether the listing stopped early. */
export function listFiles(root: string): { readonly files: string[]; readonly truncated: boolean } {
  const top = gitTopLevel(root);
  if (top === undefined) return walk(root, () => true);
  const listed = gitLines(root, [
    'ls-files',
    '-z',
    '--cached',
    '--others',
    '--exclude-standard',
    '--',
    '.',
  ]).map((path) => join(top, path));
  // Ignored entries come back collapsed (`node_modules/`): look inside them for credential files only.
  const ignored = gitLines(root, [
    'ls-files',
    '-z',
    '--others',
    '--ignored',
    '--exclude-standard',
    '--directory',
    '--',
    '.',
  ]);
  const files = new Set(listed);
  let truncated = false;
  for (const entry of ignored) {
    const path = join(top, entry);
    if (entry.endsWith('/')) {
      const inner = walk(path, isSensitiveName);
      inner.files.forEach((file) => files.add(file));
      truncated ||= inner.truncated;
    } else if (isSensitiveName(entry.split('/').pop() ?? '')) files.add(path);
  }
  return {
    files: [...files].slice(0, MAX_FILES_PER_ROOT),
    truncated: truncated || files.size > MAX_FILES_PER_ROOT,
  };
}

/** The work tree's top folder when `root` lies in one, else undefined (git missing counts as no). */
function gitTopLevel(root: string): string | undefined {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--show-toplevel'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** git's -z output of `root`, paths relative to the work tree's top (`--full-name` for ls-files). */
function gitLines(root: string, args: readonly string[]): string[] {
  const [command, ...rest] = args;
  const full = command === 'ls-files' ? [command, '--full-name', ...rest] : [...args];
  const output = execFileSync('git', ['-C', root, ...full], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return output.split('\0').filter((line) => line !== '');
}

/** Every regular file under `root` whose base name passes `wanted`, depth first, bounded. */
export function walk(
  root: string,
  wanted: (name: string) => boolean,
  limit = MAX_FILES_PER_ROOT,
): { files: string[]; truncated: boolean } {
  const files: string[] = [];
  const folders = [resolve(root)];
  while (folders.length > 0) {
    const folder = folders.pop() ?? '';
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) folders.push(path);
      else if (entry.isFile() && wanted(entry.name)) files.push(path);
      if (files.length >= limit) return { files, truncated: true };
    }
  }
  return { files, truncated: false };
}
