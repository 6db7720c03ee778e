import { execFile } from 'node:child_process';
import type { UpstreamTarget } from './upstream-connection.js';

/** Runs a PostgreSQL client tool against an upstream; the password travels in the environment only. */
export function runPgTool(
  tool: string,
  target: Pick<UpstreamTarget, 'host' | 'port' | 'user' | 'password'>,
  args: readonly string[],
  timeoutMs: number,
): Promise<void> {
  // SECURITY: PGPASSWORD, never argv: argv is visible to every user of the machine.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    PGCONNECT_TIMEOUT: '10',
  };
  if (target.password !== undefined) env['PGPASSWORD'] = target.password;
  const all = [
    '-h',
    target.host,
    '-p',
    String(target.port),
    '-U',
    target.user,
    '--no-password',
    ...args,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      all,
      { env, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error === null) return resolve();
        // The first line of stderr says what went wrong; it never contains the password.
        const reason =
          String(stderr)
            .split('\n')
            .find((line) => line.trim() !== '') ?? error.message;
        reject(new PgToolError(`${tool} failed: ${reason.trim()}`));
      },
    );
  });
}

/** A pg_dump, pg_restore or psql run failed. */
export class PgToolError extends Error {
  override readonly name = 'PgToolError';
}
