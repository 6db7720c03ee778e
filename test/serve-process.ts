import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BIN = join(import.meta.dirname, '..', 'bin', 'airlock.js');

/** A running `airlock serve` child process and what it printed first (`--json`). */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** The whole first line `serve --json` printed. */
  readonly ready: Record<string, unknown>;
  /** Sends SIGTERM and waits for the exit; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the real `airlock serve --port 0 --json` for `home` with `env` added, and resolves once
 * it has printed where it listens; rejects (with what it said on stderr) if it exits first.
 */
export async function startServe(home: string, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [BIN, '--home', home, 'serve', '--dev', '--port', '0', '--json'],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${String(code)}: ${stderr}`)));
  });
  const ready = JSON.parse(line) as Record<string, unknown>;
  return {
    child,
    url: String(ready['url']),
    ready,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** `airlock serve` started as another OS user; `ready` is undefined when it exited first. */
export interface ServeAsProcess {
  readonly child: ChildProcess;
  /** The first line `serve --json` printed. */
  readonly ready: Record<string, unknown> | undefined;
  /** The exit code, when it exited before listening. */
  readonly code: number | null | undefined;
  /** What it wrote on stderr so far. */
  stderr(): string;
  /** Sends SIGTERM (if still running) and waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `airlock serve --port 0 --json` for `home` as OS user `user`, the way the systemd unit
 * does: that user's uid, gid and groups, umask 077, cwd /, a bare environment. `bin` is a copy
 * of the CLI the user can read (see shared-checkout.ts). Resolves once it listens or exits.
 */
export function startServeAs(user: string, bin: string, home: string): Promise<ServeAsProcess> {
  const command = `umask 077; exec ${process.execPath} ${bin} --home ${home} serve --port 0 --json`;
  const child = spawn(
    'setpriv',
    [`--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', 'sh', '-c', command],
    {
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/' },
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  const toProcess = (
    ready: Record<string, unknown> | undefined,
    code: number | null | undefined,
  ): ServeAsProcess => ({ child, ready, code, stderr: () => stderr, stop });
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve(toProcess(JSON.parse(line) as Record<string, unknown>, undefined)),
    );
    child.once('exit', (code) => resolve(toProcess(undefined, code)));
  });
}
