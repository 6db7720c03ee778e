import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'airlock.js');

/** What a CLI run printed and how it exited. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `airlock` binary as a user would, with its own home folder. */
export function runCli(
  args: readonly string[],
  options: { home: string; input?: string; env?: NodeJS.ProcessEnv },
): CliRun {
  const result = spawnSync(process.execPath, [BIN, '--home', options.home, ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, AIRLOCK_ACTOR: 'tester', ...options.env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh, empty home folder. */
export function freshHome(): string {
  return mkdtempSync(join(tmpdir(), 'airlock-cli-'));
}

/** Parses each non-empty stdout line as JSON. */
export function jsonLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
