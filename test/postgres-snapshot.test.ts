import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLSTATE } from '../src/adapters/postgres/index.js';
import { classifySqlText } from '../src/classify/sql/index.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import { UPSTREAM, startGuardedPostgres } from './pg-proxy-harness.js';
import { verifies } from './requirements.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';

let server: TestPostgres;

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

type Guarded = Awaited<ReturnType<typeof startGuardedPostgres>>;

/** Starts a guarded proxy, opens a direct session and an agent session through it, runs `body`, then closes all three. */
async function withGuardedSessions(
  options: { vaultDir?: string },
  body: (guarded: Guarded, direct: pg.Client, agent: pg.Client) => Promise<void>,
): Promise<void> {
  const guarded = await startGuardedPostgres(server, classifySqlText, options);
  try {
    await guarded.withDirect((direct) =>
      guarded.withAgent((agent) => body(guarded, direct, agent)),
    );
  } finally {
    await guarded.proxy.close();
  }
}

const CONTENTS =
  "SELECT count(*)::int AS rows, md5(coalesce(string_agg(b::text, ',' ORDER BY id), '')) AS sum FROM bookings b";

async function seedBookings(client: pg.Client): Promise<{ rows: number; sum: string }> {
  await client.query('DROP TABLE IF EXISTS bookings');
  await client.query(
    'CREATE TABLE bookings (id int PRIMARY KEY, guest text NOT NULL, night date NOT NULL, paid numeric(8,2))',
  );
  await client.query(
    "INSERT INTO bookings SELECT g, 'guest ' || g, date '2026-01-01' + g % 365, g * 1.25 FROM generate_series(1, 2000) g",
  );
  return (
    (await client.query<{ rows: number; sum: string }>(CONTENTS)).rows[0] ?? { rows: -1, sum: '' }
  );
}

function homeFor(vaultDir: string): string {
  const home = freshHome();
  writeFileSync(
    join(home, 'airlock.yaml'),
    [
      'version: 1',
      'upstreams:',
      `  ${UPSTREAM}:`,
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

function approvalIdIn(error: unknown): string {
  const id = /approval id (apr_[A-Za-z0-9_]+)/.exec(
    error instanceof Error ? error.message : '',
  )?.[1];
  if (id === undefined) throw new Error(`no approval id in ${String(error)}`);
  return id;
}

describe('snapshot before destruction, and restore', () => {
  it('holds DROP TABLE bookings; after approval snapshots, drops once; airlock restore brings every row back', async () => {
    verifies('pg.approved-once');
    verifies('pg.snapshot-before-destruction');
    verifies('pg.restore-brings-rows-back');
    await withGuardedSessions({}, async (guarded, direct, agent) => {
      const before = await seedBookings(direct);
      expect(before.rows).toBe(2000);

      const held = await agent.query('DROP TABLE bookings').catch((e: unknown) => e);
      expect(held).toMatchObject({ code: SQLSTATE.held });
      expect(guarded.snapshots).toHaveLength(0);
      await guarded.approveAll(approvalIdIn(held));

      await agent.query('DROP TABLE bookings');
      await expect(direct.query('SELECT 1 FROM bookings')).rejects.toMatchObject({ code: '42P01' });
      expect(guarded.snapshots).toHaveLength(1);
      const [snapshot] = guarded.snapshots;
      if (snapshot === undefined) throw new Error('no snapshot');
      expect(existsSync(join(snapshot.location, snapshot.file))).toBe(true);
      expect(snapshot.sha256).toMatch(/^[0-9a-f]{64}$/);
      // Only what the statement destroys: the one table, not the whole database.
      expect(snapshot.scope).toEqual({ kind: 'tables', names: ['bookings'] });
      const audit = (await guarded.store.readAudit()).find(
        (record) => record.kind === 'snapshot.taken',
      );
      expect(audit?.data).toMatchObject({
        snapshotId: snapshot.id,
        sha256: snapshot.sha256,
        location: snapshot.location,
        approvalId: approvalIdIn(held),
      });

      // The approval covered one run: the identical statement is held again.
      await direct.query('CREATE TABLE bookings (id int)');
      await expect(agent.query('DROP TABLE bookings')).rejects.toMatchObject({
        code: SQLSTATE.held,
      });
      await direct.query('DROP TABLE bookings');

      const home = homeFor(guarded.vaultDir);
      const listed = runCli(['snapshots', 'list', '--json'], { home });
      expect(listed.status).toBe(0);
      expect(jsonLines(listed.stdout)).toEqual([
        expect.objectContaining({ id: snapshot.id, sha256: snapshot.sha256 }),
      ]);

      const restored = runCli(['restore', snapshot.id, '--json'], {
        home,
        env: { APP_PG_PASSWORD: server.password },
      });
      expect(restored.stderr).toBe('');
      expect(restored.status).toBe(0);
      expect((await direct.query(CONTENTS)).rows[0]).toEqual(before);

      const copy = runCli(['restore', snapshot.id, '--into', 'bookings_copy', '--json'], {
        home,
        env: { APP_PG_PASSWORD: server.password },
      });
      expect(copy.status).toBe(0);
      expect(JSON.parse(copy.stdout)).toMatchObject({ database: 'bookings_copy', created: true });
      const intoClient = new pg.Client({ ...guarded.target, database: 'bookings_copy' });
      await intoClient.connect();
      expect((await intoClient.query(CONTENTS)).rows[0]).toEqual(before);
      await intoClient.end();
    });
  });

  it('does not run a destructive statement whose snapshot fails (vault on the data filesystem)', async () => {
    verifies('pg.snapshot-failure-blocks');
    if (server.dataDir === undefined) return;
    // Beside the data directory: the same filesystem, which the vault refuses.
    const badVault = join(server.dataDir, '..', 'vault');
    await withGuardedSessions({ vaultDir: badVault }, async (guarded, direct, agent) => {
      const before = await seedBookings(direct);
      const held = await agent.query('DROP TABLE bookings').catch((e: unknown) => e);
      await guarded.approveAll(approvalIdIn(held));
      await expect(agent.query('DROP TABLE bookings')).rejects.toMatchObject({
        code: SQLSTATE.snapshotFailed,
      });
      expect((await direct.query(CONTENTS)).rows[0]).toEqual(before);
      expect((await agent.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    });
  });

  it('refuses to restore a snapshot id that no vault holds', () => {
    const home = homeFor(mkdtempSync(join(tmpdir(), 'airlock-vault-')));
    const run = runCli(['restore', 'snap_nothing_here'], {
      home,
      env: { APP_PG_PASSWORD: server.password },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no snapshot `snap_nothing_here`/);
  });
});
