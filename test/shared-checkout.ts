import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** The project as another OS user runs it, and how to remove a copy made for that. */
export interface SharedCheckout {
  readonly root: string;
  readonly bin: string;
  remove(): void;
}

/**
 * This checkout, when another OS user can run it (every folder up to it lets others through,
 * its files are readable by others); otherwise a copy under the temp folder that they can, made
 * with hard links where the filesystem allows. Tests that run Airlock as a service user or as an
 * "agent" user need it: a clone under /root (0700) is out of their reach.
 */
export function sharedCheckout(): SharedCheckout {
  if (othersCanRun(ROOT))
    return { root: ROOT, bin: join(ROOT, 'bin', 'airlock.js'), remove: () => undefined };
  const parent = mkdtempSync(join(tmpdir(), 'airlock-checkout-'));
  chmodSync(parent, 0o755);
  const copy = join(parent, 'airlock');
  const linked = spawnSync('cp', ['-al', ROOT, copy]);
  if (linked.status !== 0) {
    rmSync(copy, { recursive: true, force: true });
    const copied = spawnSync('cp', ['-r', ROOT, copy]);
    if (copied.status !== 0)
      throw new Error(`cannot copy the checkout for other users: ${copied.stderr.toString()}`);
  }
  // Read and traverse for others; no write bit is added anywhere.
  const opened = spawnSync('chmod', ['-R', 'o+rX', copy]);
  if (opened.status !== 0)
    throw new Error(`cannot open the copy to other users: ${opened.stderr.toString()}`);
  return {
    root: copy,
    bin: join(copy, 'bin', 'airlock.js'),
    remove: () => rmSync(parent, { recursive: true, force: true }),
  };
}

function othersCanRun(root: string): boolean {
  for (let dir = root; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === parse(dir).root) break;
  }
  const files = [
    join(root, 'bin', 'airlock.js'),
    join(root, 'package.json'),
    join(root, 'node_modules', 'tsx', 'package.json'),
    join(root, 'src', 'cli', 'main.ts'),
  ];
  return files.every((file) => (statSync(file).mode & 0o004) !== 0) && readable(files);
}

function readable(files: readonly string[]): boolean {
  try {
    for (const file of files) accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
