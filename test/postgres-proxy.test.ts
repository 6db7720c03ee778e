import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLSTATE } from '../src/adapters/postgres/index.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import { startGuardedPostgres } from './pg-proxy-harness.js';
import { protocolTestClassifier } from './pg-test-classifier.js';
import { verifies } from './requirements.js';

let server: TestPostgres;
let guarded: Awaited<ReturnType<typeof startGuardedPostgres>>;

beforeAll(async () => {
  server = await startTestPostgres();
  guarded = await startGuardedPostgres(server, protocolTestClassifier);
  await guarded.withDirect(async (direct) => {
    await direct.query(
      'DROP TABLE IF EXISTS items; CREATE TABLE items (id int PRIMARY KEY, name text)',
    );
    await direct.query("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 50) g");
  });
}, 120_000);

afterAll(async () => {
  await guarded?.proxy.close();
  await server?.stop();
});

/** Runs psql without blocking the event loop, which serves the proxy in this same process. */
function psql(
  args: string[],
  env: Record<string, string>,
  input = '',
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('psql', args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

function agentEnv(sslmode: string): Record<string, string> {
  return {
    PGHOST: '127.0.0.1',
    PGPORT: String(guarded.proxy.port),
    PGUSER: 'agent',
    PGPASSWORD: guarded.token,
    PGDATABASE: server.database,
    PGSSLMODE: sslmode,
  };
}

function withAgent<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  return guarded.withAgent(body);
}

describe('postgres wire proxy', () => {
  it('authenticates the agent by its Airlock token and refuses anything else', async () => {
    verifies('pg.token-authenticates-session');
    const wrong = guarded.agentClient('not-a-token');
    await expect(wrong.connect()).rejects.toMatchObject({ code: '28P01' });
    // SECURITY: the upstream's real password is no Airlock token either.
    const real = guarded.agentClient(server.password);
    await expect(real.connect()).rejects.toMatchObject({ code: '28P01' });
    expect(
      await withAgent(async (c) => (await c.query('SELECT current_user AS u')).rows[0]),
    ).toEqual({ u: server.user });
  });

  it('answers a connection it cannot check (the store fails) with ZA002 "try again later", never a bad password', async () => {
    const store = guarded.store;
    const original = store.findGrantByTokenHash.bind(store);
    store.findGrantByTokenHash = () => Promise.reject(new Error('disk I/O error'));
    try {
      await expect(guarded.agentClient().connect()).rejects.toMatchObject({
        code: SQLSTATE.unavailable,
      });
    } finally {
      store.findGrantByTokenHash = original;
    }
    expect(await withAgent(async (c) => (await c.query('SELECT 1 AS one')).rows[0])).toEqual({
      one: 1,
    });
  });

  it('relays the simple and the extended protocol, named and unnamed statements and portals', async () => {
    await withAgent(async (client) => {
      expect((await client.query('SELECT count(*)::int AS n FROM items')).rows).toEqual([
        { n: 50 },
      ]);
      expect((await client.query('SELECT name FROM items WHERE id = $1', [7])).rows).toEqual([
        { name: 'item 7' },
      ]);
      const named = { name: 'by-id', text: 'SELECT name FROM items WHERE id = $1', values: [3] };
      expect((await client.query(named)).rows).toEqual([{ name: 'item 3' }]);
      expect((await client.query({ ...named, values: [4] })).rows).toEqual([{ name: 'item 4' }]);
      const multi = (await client.query(
        'SELECT 1 AS a; SELECT 2 AS b',
      )) as unknown as pg.QueryResult[];
      expect(multi.map((r) => r.rows[0])).toEqual([{ a: 1 }, { b: 2 }]);
    });
  });

  it('runs transactions, and COPY in and out', async () => {
    await withAgent(async (client) => {
      await client.query('BEGIN');
      await client.query('CREATE TEMP TABLE scratch (v int)');
      await client.query('INSERT INTO scratch VALUES (1), (2)');
      await client.query('ROLLBACK');
      await expect(client.query('SELECT * FROM scratch')).rejects.toMatchObject({ code: '42P01' });
    });
    const copy = await psql(
      [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-At',
        '-c',
        'CREATE TEMP TABLE c (v int)',
        '-c',
        'COPY c FROM STDIN',
        '-c',
        'SELECT sum(v) FROM c',
        '-c',
        'COPY (SELECT id FROM items WHERE id <= 3 ORDER BY id) TO STDOUT',
      ],
      agentEnv('prefer'),
      '10\n20\n\\.\n',
    );
    expect(copy.stderr).toBe('');
    expect(copy.stdout.trim().split('\n')).toEqual(['30', '1', '2', '3']);
  });

  it('holds DROP TABLE with a documented SQLSTATE naming the approval, and the session stays usable', async () => {
    verifies('pg.held-on-the-wire');
    await withAgent(async (client) => {
      const error = await client.query('DROP TABLE items').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: SQLSTATE.held });
      expect((error as Error).message).toMatch(/approval id apr_\d+.*stop and wait for a human/);
      expect((await client.query('SELECT count(*)::int AS n FROM items')).rows).toEqual([
        { n: 50 },
      ]);
    });
  });

  it('aborts the transaction like PostgreSQL when a statement in it is held', async () => {
    await withAgent(async (client) => {
      await client.query('BEGIN');
      await client.query('SELECT 1');
      await expect(client.query('TRUNCATE items')).rejects.toMatchObject({ code: SQLSTATE.held });
      await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      expect((await client.query('SELECT count(*)::int AS n FROM items')).rows).toEqual([
        { n: 50 },
      ]);
    });
  });

  it('holds a destructive statement prepared through Parse; binds of it are refused', async () => {
    await withAgent(async (client) => {
      await expect(client.query({ name: 'wipe', text: 'TRUNCATE items' })).rejects.toMatchObject({
        code: SQLSTATE.held,
      });
      await expect(client.query({ name: 'wipe', text: 'TRUNCATE items' })).rejects.toMatchObject({
        code: SQLSTATE.held,
      });
      expect((await client.query('SELECT count(*)::int AS n FROM items')).rows).toEqual([
        { n: 50 },
      ]);
    });
  });

  it('runs a statement approved at Parse once, after its snapshot; executing it again is held anew', async () => {
    const direct = guarded.directClient();
    await direct.connect();
    await direct.query(
      'DROP TABLE IF EXISTS parked; CREATE TABLE parked (id int); INSERT INTO parked SELECT generate_series(1, 10)',
    );
    try {
      await withAgent(async (client) => {
        const held = await client
          .query({ name: 'clear', text: 'TRUNCATE parked' })
          .catch((e: unknown) => e);
        expect(held).toMatchObject({ code: SQLSTATE.held });
        const id = /approval id (apr_\w+)/.exec((held as Error).message)?.[1] ?? '';
        await guarded.approveAll(id);
        const before = guarded.snapshots.length;
        await client.query({ name: 'clear', text: 'TRUNCATE parked' });
        expect(guarded.snapshots.length).toBe(before + 1);
        expect(guarded.snapshots.at(-1)?.scope).toEqual({ kind: 'tables', names: ['parked'] });
        expect((await direct.query('SELECT count(*)::int AS n FROM parked')).rows).toEqual([
          { n: 0 },
        ]);
        await direct.query('INSERT INTO parked VALUES (1)');
        // pg reuses the prepared statement: Bind and Execute only. The approval is spent.
        await expect(
          client.query({ name: 'clear', text: 'TRUNCATE parked' }),
        ).rejects.toMatchObject({ code: SQLSTATE.held });
        expect((await direct.query('SELECT count(*)::int AS n FROM parked')).rows).toEqual([
          { n: 1 },
        ]);
      });
    } finally {
      await direct.end();
    }
  });

  it('refuses to bind a statement name that SQL PREPARE may have replaced behind its back', async () => {
    await withAgent(async (client) => {
      expect((await client.query({ name: 'swap', text: 'SELECT 1 AS one' })).rows).toEqual([
        { one: 1 },
      ]);
      // The protocol test classifier counts PREPARE as a read; the proxy still stops trusting names.
      await client.query('DEALLOCATE swap; PREPARE swap AS SELECT count(*) FROM items');
      await expect(client.query({ name: 'swap', text: 'SELECT 1 AS one' })).rejects.toMatchObject({
        code: SQLSTATE.unprepared,
      });
      expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    });
  });

  it('refuses SSLRequest with N and serves the plain connection', async () => {
    const ssl = await psql(['-X', '-At', '-c', 'SELECT 42'], agentEnv('prefer'));
    expect(ssl.stdout.trim()).toBe('42');
    const required = await psql(['-X', '-At', '-c', 'SELECT 42'], agentEnv('require'));
    expect(required.status).not.toBe(0);
    expect(required.stderr).toMatch(/SSL/i);
  });

  it('passes a cancel request on to the upstream session', async () => {
    await withAgent(async (client) => {
      const slow = client.query('SELECT pg_sleep(30)').catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 300));
      // pg's cancel goes through a fresh connection carrying the key Airlock gave this session.
      await new Promise<void>((resolve) => {
        const socket = connect(guarded.proxy.port, '127.0.0.1', () => {
          const packet = Buffer.alloc(16);
          packet.writeInt32BE(16, 0);
          packet.writeInt32BE(80_877_102, 4);
          const connection = client as unknown as { processID: number; secretKey: number };
          packet.writeInt32BE(connection.processID, 8);
          packet.writeInt32BE(connection.secretKey, 12);
          socket.end(packet);
        });
        socket.on('close', () => resolve());
      });
      expect(await slow).toMatchObject({ code: '57014' });
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });
  });

  it('serves many concurrent sessions', async () => {
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        withAgent(async (client) => {
          const rows = await client.query('SELECT name FROM items WHERE id = $1', [index + 1]);
          return rows.rows[0]?.name as string;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 24 }, (_, index) => `item ${index + 1}`));
  });
});
