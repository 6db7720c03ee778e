import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLSTATE } from '../src/adapters/postgres/index.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'airlock.js');
let server: TestPostgres;

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

function homeWithVault(vaultDir: string): string {
  const home = freshHome();
  writeFileSync(
    join(home, 'airlock.yaml'),
    [
      'version: 1',
      'upstreams:',
      '  app:',
      '    kind: postgres',
      `    url: postgres://${server.user}@${server.host}:${server.port}/${server.database}`,
      '    credentialEnv: APP_PG_PASSWORD',
      '    listen: { port: 0 }',
      `    vault: { dir: ${JSON.stringify(vaultDir)} }`,
      '',
    ].join('\n'),
  );
  return home;
}

function serve(home: string): { child: ReturnType<typeof spawn>; first: Promise<string> } {
  const child = spawn(
    process.execPath,
    [BIN, '--home', home, 'serve', '--dev', '--port', '0', '--json'],
    {
      env: { ...process.env, APP_PG_PASSWORD: server.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const first = new Promise<string>((resolve, reject) => {
    if (child.stdout !== null) createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${String(code)}: ${stderr}`)));
  });
  return { child, first };
}

describe('airlock serve with a postgres upstream', () => {
  it('starts a listener that authenticates by token and holds destruction', async () => {
    const home = homeWithVault(mkdtempSync(join(tmpdir(), 'airlock-vault-')));
    const issued = runCli(
      [
        'token',
        'issue',
        '--agent',
        'bot',
        '--owner',
        'alice',
        '--upstream',
        'app',
        '--env',
        '*',
        '--effect',
        'read',
        'write',
        'destructive',
        'unknown',
        '--resource',
        '*',
        '--json',
      ],
      { home },
    );
    const { token } = jsonLines(issued.stdout)[0] as { token: string };
    const { child, first } = serve(home);
    try {
      const { surfaces } = JSON.parse(await first) as {
        surfaces: { postgres?: { port: number }[] }[];
      };
      const port = surfaces.flatMap((surface) => surface.postgres ?? [])[0]?.port ?? 0;
      const agent = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'bot',
        password: token,
        database: server.database,
      });
      await agent.connect();
      expect((await agent.query('SELECT 6 * 7 AS answer')).rows).toEqual([{ answer: 42 }]);
      await agent.query('CREATE TABLE IF NOT EXISTS served (id int)');
      await expect(agent.query('DROP TABLE served')).rejects.toMatchObject({ code: SQLSTATE.held });
      await agent.end();
      const withPassword = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'bot',
        password: server.password,
        database: server.database,
      });
      await expect(withPassword.connect()).rejects.toMatchObject({ code: '28P01' });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  it('refuses to start with a vault on the same filesystem as the database data', async () => {
    if (server.dataDir === undefined) return;
    const home = homeWithVault(join(server.dataDir, '..', 'same-disk-vault'));
    const { child, first } = serve(home);
    // It never listens, and exits with a failure status.
    await expect(first).rejects.toThrow(/serve exited/);
    expect(child.exitCode).not.toBe(0);
  }, 60_000);
});
