import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySqlText } from '../src/classify/sql/index.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import { startGuardedPostgres } from './pg-proxy-harness.js';
import { verifies } from './requirements.js';

/**
 * `pgbench -i` through Airlock: on a fresh database it drops tables that do not exist and
 * truncates tables it has just created, which destroys nothing, so it completes with no human;
 * on a database holding its tables with rows, its DROP is held once, and after one approval it
 * completes.
 */

const hasPgbench = spawnSync('which', ['pgbench']).status === 0;
let server: TestPostgres;
let guarded: Awaited<ReturnType<typeof startGuardedPostgres>>;

beforeAll(async () => {
  if (!hasPgbench) return;
  server = await startTestPostgres();
  guarded = await startGuardedPostgres(server, classifySqlText);
}, 120_000);

afterAll(async () => {
  await guarded?.proxy.close();
  await server?.stop();
});

function pgbenchInit(): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, PGPASSWORD: guarded.token };
    const child = spawn(
      'pgbench',
      [
        '-i',
        '-s',
        '1',
        '-h',
        '127.0.0.1',
        '-p',
        String(guarded.proxy.port),
        '-U',
        'agent',
        server.database,
      ],
      { env },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (status) => resolve({ status, output }));
  });
}

async function accounts(): Promise<number> {
  return guarded.withDirect(async (direct) =>
    Number((await direct.query('SELECT count(*) AS n FROM pgbench_accounts')).rows[0].n),
  );
}

describe.skipIf(!hasPgbench)('pgbench -i through airlock', () => {
  it('completes on a fresh database with no approval: its drops and truncates destroy nothing', async () => {
    verifies('pg.real-tools-pass');
    const run = await pgbenchInit();
    expect(run.output).toMatch(/done in/);
    expect(run.status).toBe(0);
    expect(await accounts()).toBe(100_000);
    expect(await guarded.store.listApprovals()).toEqual([]);
  }, 120_000);

  it('holds its DROP once tables hold rows, and completes after one approval', async () => {
    await guarded.withDirect(async (direct) =>
      direct.query('UPDATE pgbench_branches SET filler = $1', ['kept until approved']),
    );
    const held = await pgbenchInit();
    expect(held.status).not.toBe(0);
    expect(held.output).toMatch(/held this statement for human approval/);
    const id = /approval id (apr_[A-Za-z0-9_]+)/.exec(held.output)?.[1] ?? '';
    expect(
      await guarded.withDirect(
        async (direct) =>
          (await direct.query('SELECT filler FROM pgbench_branches')).rows[0].filler,
      ),
    ).toMatch(/kept until approved/);
    await guarded.approveAll(id);
    const approved = await pgbenchInit();
    expect(approved.output).toMatch(/done in/);
    expect(approved.status).toBe(0);
    expect(await accounts()).toBe(100_000);
    expect(guarded.snapshots.length).toBe(1);
    const approvals = await guarded.store.listApprovals();
    expect(approvals.map((approval) => approval.state)).toEqual(['executed']);
  }, 180_000);
});
