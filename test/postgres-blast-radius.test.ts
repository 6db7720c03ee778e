import { spawn } from 'node:child_process';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SQLSTATE } from '../src/adapters/postgres/index.js';
import { classifySqlText } from '../src/classify/sql/index.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import { startGuardedPostgres } from './pg-proxy-harness.js';
import { verifies } from './requirements.js';

/**
 * Blast radius by result: statements whose text looks scoped but that reach every row are
 * counted by the server and held; the same statements scoped for real run. Against a real
 * PostgreSQL, through psql, node-postgres and postgres.js, with the real SQL classifier.
 */

let server: TestPostgres;
let guarded: Awaited<ReturnType<typeof startGuardedPostgres>>;
const ROWS = 60;

beforeAll(async () => {
  server = await startTestPostgres();
  guarded = await startGuardedPostgres(server, classifySqlText);
}, 120_000);

afterAll(async () => {
  await guarded?.proxy.close();
  await server?.stop();
});

beforeEach(async () => {
  await guarded.withDirect(async (direct) => {
    await direct.query('DROP TABLE IF EXISTS users, staged');
    await direct.query('CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, plan text)');
    await direct.query(
      `INSERT INTO users SELECT g, 'user ' || g, 'free' FROM generate_series(1, ${ROWS}) g`,
    );
    await direct.query('CREATE TABLE staged (id int PRIMARY KEY, name text)');
    await direct.query(
      `INSERT INTO staged SELECT g, 'staged ' || g FROM generate_series(1, ${ROWS}) g`,
    );
  });
});

async function usersState(): Promise<{ count: number; free: number }> {
  return guarded.withDirect(async (direct) => {
    const row = (
      await direct.query(
        "SELECT count(*)::int AS count, count(*) FILTER (WHERE plan = 'free')::int AS free FROM users",
      )
    ).rows[0] as { count: number; free: number };
    return row;
  });
}

async function pendingApprovals(): Promise<number> {
  return (await guarded.store.listApprovals({ state: 'pending' })).length;
}

// Each wipes or overwrites every row of users, though its text names a bound, a pattern or a key.
const TOTAL_BUT_SCOPED_LOOKING = [
  'DELETE FROM users WHERE id < 1000000000',
  "DELETE FROM users WHERE name <> ''",
  "DELETE FROM users WHERE name LIKE 'user%'",
  'DELETE FROM users USING staged WHERE users.id = staged.id',
  "UPDATE users SET plan = 'gone' WHERE id < 1000000000",
  "UPDATE users SET plan = 'gone' WHERE name LIKE 'u%'",
  'MERGE INTO users u USING staged s ON u.id = s.id WHEN MATCHED THEN DELETE',
  "INSERT INTO users SELECT id, name, 'gone' FROM staged ON CONFLICT (id) DO UPDATE SET plan = excluded.plan",
  'WITH gone AS (DELETE FROM users WHERE id < 1000000000 RETURNING id) SELECT count(*) FROM gone',
];

describe('blast radius by result', () => {
  it.each(TOTAL_BUT_SCOPED_LOOKING)(
    'holds %s, leaves every row, and says what it would change',
    async (sql) => {
      verifies('pg.blast-radius-by-result');
      const held = await guarded.withAgent(async (client) =>
        client.query(sql).catch((error: unknown) => error),
      );
      expect(held).toMatchObject({ code: SQLSTATE.held });
      expect(String((held as Error).message)).toMatch(/approval id apr_/);
      expect(await usersState()).toEqual({ count: ROWS, free: ROWS });
      const approval = (await guarded.store.listApprovals({ state: 'pending' })).at(-1);
      const measured = approval?.request?.details['measured'];
      expect(JSON.stringify(measured)).toMatch(
        new RegExp(`would (delete|overwrite|change) ${ROWS} of ${ROWS} rows in (public\\.)?users`),
      );
    },
  );

  it('runs the same statements when they are scoped for real, committed as autocommit would', async () => {
    const before = await pendingApprovals();
    await guarded.withAgent(async (client) => {
      expect((await client.query('DELETE FROM users WHERE id = 5')).rowCount).toBe(1);
      expect((await client.query("UPDATE users SET plan = 'pro' WHERE id < 4")).rowCount).toBe(3);
      expect(
        (await client.query('DELETE FROM users WHERE id <> $1 AND id > $2', [1, 55])).rowCount,
      ).toBe(5);
    });
    expect(await usersState()).toEqual({ count: ROWS - 6, free: ROWS - 6 - 3 });
    expect(await pendingApprovals()).toBe(before);
  });

  it('holds a prepared DELETE … WHERE id <> $1 at the Execute that would wipe the table, every time', async () => {
    await guarded.withAgent(async (client) => {
      const named = { name: 'wipe', text: 'DELETE FROM users WHERE id <> $1' };
      await expect(client.query({ ...named, values: [0] })).rejects.toMatchObject({
        code: SQLSTATE.held,
      });
      await expect(client.query({ ...named, values: [-1] })).rejects.toMatchObject({
        code: SQLSTATE.held,
      });
      // The session is still usable, and nothing was deleted.
      expect((await client.query('SELECT count(*)::int AS n FROM users')).rows).toEqual([
        { n: ROWS },
      ]);
    });
    expect(await usersState()).toEqual({ count: ROWS, free: ROWS });
  });

  it('inside a transaction block: the held statement aborts the block like any error, earlier work stays until the client decides', async () => {
    await guarded.withAgent(async (client) => {
      await client.query('BEGIN');
      await client.query("UPDATE users SET plan = 'pro' WHERE id = 1");
      await expect(client.query('DELETE FROM users WHERE id > 0')).rejects.toMatchObject({
        code: SQLSTATE.held,
      });
      await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await client.query("UPDATE users SET plan = 'pro' WHERE id = 1");
      await client.query('DELETE FROM users WHERE id = 2');
      await client.query('COMMIT');
    });
    expect(await usersState()).toEqual({ count: ROWS - 1, free: ROWS - 2 });
  });

  it('after approval, snapshots the table, then runs the statement once', async () => {
    const sql = 'DELETE FROM users WHERE id < 1000000000';
    const error = await guarded.withAgent(async (client) =>
      client.query(sql).then(
        () => ({ message: 'ran' }),
        (caught: unknown) => caught as { message: string },
      ),
    );
    const id = /approval id (apr_[A-Za-z0-9_]+)/.exec(error.message)?.[1] ?? '';
    await guarded.approveAll(id);
    const snapshotsBefore = guarded.snapshots.length;
    const result = await guarded.withAgent(async (client) => client.query(sql));
    expect(result.rowCount).toBe(ROWS);
    expect(await usersState()).toEqual({ count: 0, free: 0 });
    expect(guarded.snapshots.length).toBe(snapshotsBefore + 1);
    expect(JSON.stringify(guarded.snapshots.at(-1)?.scope)).toMatch(/users/);
    // The approval covered one run: the next wipe (of rows inserted again) is held anew.
    await guarded.withDirect(async (direct) =>
      direct.query(
        `INSERT INTO users SELECT g, 'user ' || g, 'free' FROM generate_series(1, ${ROWS}) g`,
      ),
    );
    await expect(guarded.withAgent(async (client) => client.query(sql))).rejects.toMatchObject({
      code: SQLSTATE.held,
    });
    expect(await usersState()).toEqual({ count: ROWS, free: ROWS });
  });

  it('postgres.js pipelines: a held write fails its query, the others in the pipeline keep PostgreSQL semantics', async () => {
    const sql = postgres({
      host: '127.0.0.1',
      port: guarded.proxy.port,
      user: 'agent',
      password: guarded.token,
      database: server.database,
      max: 1,
      onnotice: () => undefined,
    });
    try {
      const [scoped, count] = await Promise.all([
        sql`DELETE FROM users WHERE id = ${7}`,
        sql`SELECT count(*)::int AS n FROM users`,
      ]);
      expect(scoped.count).toBe(1);
      expect(count[0]).toEqual({ n: ROWS - 1 });
      await expect(sql`DELETE FROM users WHERE id <> ${0}`).rejects.toMatchObject({
        code: SQLSTATE.held,
      });
      const results = await Promise.allSettled([
        sql`UPDATE users SET plan = 'pro' WHERE id = ${8}`,
        sql`UPDATE users SET plan = 'gone' WHERE id > ${0}`,
        sql`SELECT 1 AS one`,
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      await sql.begin(async (tx) => {
        await tx`UPDATE users SET plan = 'pro' WHERE id = ${9}`;
        await tx`DELETE FROM users WHERE id = ${10}`;
      });
    } finally {
      await sql.end();
    }
    expect(await usersState()).toEqual({ count: ROWS - 2, free: ROWS - 2 - 2 });
  });

  it('psql: a wiping statement is held and the table stays; a scoped one runs', async () => {
    const env = {
      ...process.env,
      PGHOST: '127.0.0.1',
      PGPORT: String(guarded.proxy.port),
      PGUSER: 'agent',
      PGPASSWORD: guarded.token,
      PGDATABASE: server.database,
    };
    const run = (
      command: string,
    ): Promise<{ status: number | null; stderr: string; stdout: string }> =>
      new Promise((resolve) => {
        const child = spawn('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-c', command], { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (status) => resolve({ status, stderr, stdout }));
      });
    const wipe = await run("DELETE FROM users WHERE name LIKE '%'");
    expect(wipe.status).not.toBe(0);
    expect(wipe.stderr).toMatch(/held this statement/);
    const scoped = await run('DELETE FROM users WHERE id = 3');
    expect(scoped.stdout).toMatch(/DELETE 1/);
    expect(await usersState()).toEqual({ count: ROWS - 1, free: ROWS - 1 });
  });
});

describe('SQL-level PREPARE and EXECUTE', () => {
  it('judges EXECUTE name as what the session prepared under that name, once the server accepted it', async () => {
    await guarded.withAgent(async (client) => {
      await client.query('PREPARE by_id(int) AS SELECT name FROM users WHERE id = $1');
      expect((await client.query('EXECUTE by_id(4)')).rows).toEqual([{ name: 'user 4' }]);
      await client.query('PREPARE drop_one(int) AS DELETE FROM users WHERE id = $1');
      expect((await client.query('EXECUTE drop_one(4)')).rowCount).toBe(1);
      await client.query('PREPARE drop_others(int) AS DELETE FROM users WHERE id <> $1');
      await expect(client.query('EXECUTE drop_others(0)')).rejects.toMatchObject({
        code: SQLSTATE.held,
      });
      // A PREPARE the server refused names nothing: its EXECUTE cannot be judged, so it is held.
      await expect(
        client.query('PREPARE broken AS SELECT no_such_column FROM users'),
      ).rejects.toMatchObject({ code: '42703' });
      await expect(client.query('EXECUTE broken')).rejects.toMatchObject({ code: SQLSTATE.held });
      // After DEALLOCATE ALL every name is forgotten.
      await client.query('DEALLOCATE ALL');
      await expect(client.query('EXECUTE by_id(5)')).rejects.toMatchObject({ code: SQLSTATE.held });
    });
    expect(await usersState()).toEqual({ count: ROWS - 1, free: ROWS - 1 });
  });
});

describe('rows changed where the statement does not name them', () => {
  it('counts rows a foreign key cascade deletes, and holds the one-row DELETE that empties another table', async () => {
    await guarded.withDirect(async (direct) => {
      await direct.query('DROP TABLE IF EXISTS orders, accounts');
      await direct.query('CREATE TABLE accounts (id int PRIMARY KEY)');
      await direct.query(
        'CREATE TABLE orders (id int PRIMARY KEY, account int REFERENCES accounts ON DELETE CASCADE)',
      );
      await direct.query('INSERT INTO accounts VALUES (1), (2)');
      await direct.query(`INSERT INTO orders SELECT g, 1 FROM generate_series(1, ${ROWS}) g`);
    });
    await guarded.withAgent(async (client) => {
      // Asked twice: the first run of a table also learns whether it has triggers.
      for (let attempt = 0; attempt < 2; attempt++) {
        await expect(client.query('DELETE FROM accounts WHERE id = 1')).rejects.toMatchObject({
          code: SQLSTATE.held,
        });
      }
      expect((await client.query('DELETE FROM accounts WHERE id = 2')).rowCount).toBe(1);
    });
    const left = await guarded.withDirect(
      async (direct) =>
        (
          await direct.query(
            'SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM accounts)::int AS accounts',
          )
        ).rows[0],
    );
    expect(left).toEqual({ orders: ROWS, accounts: 1 });
    const approval = (await guarded.store.listApprovals({ state: 'pending' })).at(-1);
    expect(JSON.stringify(approval?.request?.details['measured'])).toMatch(
      new RegExp(`would delete ${ROWS} of ${ROWS} rows in orders`),
    );
  });
});

describe("Airlock's savepoint beside the client's own", () => {
  it("keeps the client's savepoints working around counted statements", async () => {
    await guarded.withAgent(async (client) => {
      await client.query('BEGIN');
      await client.query('SAVEPOINT mine');
      await client.query('DELETE FROM users WHERE id = 1');
      await client.query('SELECT 1');
      await client.query('DELETE FROM users WHERE id = 2');
      await client.query('ROLLBACK TO SAVEPOINT mine');
      await client.query('DELETE FROM users WHERE id = 3');
      await client.query('SAVEPOINT later');
      await client.query('DELETE FROM users WHERE id = 4');
      await client.query('RELEASE SAVEPOINT later');
      await client.query('DELETE FROM users WHERE id = 5');
      await client.query('RELEASE SAVEPOINT mine');
      await client.query('COMMIT');
    });
    const left = await guarded.withDirect(
      async (direct) =>
        (await direct.query('SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE id <= 6'))
          .rows[0].ids,
    );
    expect(left).toEqual([1, 2, 6]);
  });
});

describe('errors of counted statements', () => {
  it("come back as PostgreSQL gave them, positions counted in the client's own text", async () => {
    const sql = 'UPDATE users SET nope = 1 WHERE id = 1';
    const direct = await guarded.withDirect(async (client) =>
      client.query(sql).then(
        () => ({}) as { code?: string; position?: string },
        (error: unknown) => error as { code?: string; position?: string },
      ),
    );
    for (const inBlock of [false, true]) {
      const through = await guarded.withAgent(async (client) => {
        if (inBlock) await client.query('BEGIN');
        const error = await client
          .query(sql)
          .catch((caught: unknown) => caught as { code?: string; position?: string });
        if (inBlock) await client.query('ROLLBACK');
        return error;
      });
      expect(through).toMatchObject({ code: direct.code, position: direct.position });
    }
    expect(direct.position).toBe(String(sql.indexOf('nope') + 1));
  });
});

describe('statements bounded to one row by a unique key', () => {
  it('run uncounted once the session knows the key, and are counted again when the key goes', async () => {
    await guarded.withAgent(async (client) => {
      for (let id = 1; id <= 4; id++)
        expect((await client.query(`DELETE FROM users WHERE id = ${id}`)).rowCount).toBe(1);
      // The key dropped through Airlock: what sessions knew of the table is asked again.
      const drop = 'ALTER TABLE users DROP CONSTRAINT users_pkey';
      const held = await client.query(drop).then(
        () => ({ message: 'ran' }),
        (error: unknown) => error as { message: string },
      );
      await guarded.approveAll(/approval id (apr_[A-Za-z0-9_]+)/.exec(held.message)?.[1] ?? '');
      await client.query(drop);
      await guarded.withDirect((direct) =>
        direct.query(
          `INSERT INTO users SELECT 5, 'twin ' || g, 'free' FROM generate_series(1, ${ROWS}) g`,
        ),
      );
      await expect(client.query('DELETE FROM users WHERE id = 5')).rejects.toMatchObject({
        code: SQLSTATE.held,
      });
      await expect(client.query('DELETE FROM users WHERE id = 5')).rejects.toMatchObject({
        code: SQLSTATE.held,
      });
    });
    expect(await usersState()).toEqual({ count: 2 * ROWS - 4, free: 2 * ROWS - 4 });
  });
});
