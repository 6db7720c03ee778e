import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Action } from '../src/core/index.js';
import { classifyShellCommand } from '../src/classify/shell/index.js';

/**
 * Proof against real bash that a spelling runs code: `{RUN}` in the template becomes a command
 * creating a marker file (`{MARKER}` is its path), and `setup` then the template run under
 * `bash --norc -c` in a fresh folder.
 */
export function bashRunsIt(template: string, setup = ''): boolean {
  const folder = mkdtempSync(join(tmpdir(), 'airlock-bash-proof-'));
  const marker = join(folder, 'ran');
  try {
    const fill = (text: string): string =>
      text.replaceAll('{RUN}', `touch ${marker}`).replaceAll('{MARKER}', marker);
    spawnSync('bash', ['--norc', '--noprofile', '-c', `${fill(setup)}\n${fill(template)}`], {
      cwd: folder,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: folder },
      stdio: 'ignore',
      timeout: 10_000,
    });
    return existsSync(marker);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The classifier's actions for the template with `{RUN}` as a destructive command. */
export function judge(template: string, cwd = '/repo'): Promise<Action[]> {
  return classifyShellCommand(template.replaceAll('{RUN}', 'rm -rf ~/important'), cwd, 'shell');
}

/** A person must see it: something is destructive or unknown. */
export function isHeld(actions: readonly Action[]): boolean {
  return actions.some((action) => action.effect === 'destructive' || action.effect === 'unknown');
}

/** Everything it does is a plain read or write (what the default policy allows). */
export function isPlain(actions: readonly Action[]): boolean {
  return actions.every(
    (action) =>
      action.effect === 'read' || action.effect === 'write' || action.effect === 'execute',
  );
}

/** One line of the actions, for failure messages. */
export function describeActions(actions: readonly Action[]): string {
  return actions.map((action) => `${action.effect}:${action.operation}`).join(' | ');
}
