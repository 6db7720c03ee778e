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
  const child = spawn(process.execPath, [BIN, '--home', home, 'serve', '--dev', '--port', '0', '--json'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
