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

/** Issues, through the real CLI in `home`, a token for the agent hooks' `shell` upstream with every effect. */
export function issueShellToken(home: string): string {
  const issued = runCli(
    [
      'token',
      'issue',
      '--agent',
      'agent',
      '--owner',
      'alice',
      '--upstream',
      'shell',
      '--env',
      '*',
    ].concat(['--effect', 'read', 'write', 'destructive', 'unknown', '--ttl', '1h', '--json']),
    { home },
  );
  if (issued.status !== 0) throw new Error(`token issue failed: ${issued.stderr}`);
  return (JSON.parse(issued.stdout) as { token: string }).token;
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
