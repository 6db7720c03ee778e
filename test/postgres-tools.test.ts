import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySqlText } from '../src/classify/sql/index.js';
import { CedarPolicyEngine, loadDefaultPolicyFiles } from '../src/policy/index.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import { startGuardedPostgres } from './pg-proxy-harness.js';
import { verifies } from './requirements.js';

// PostgreSQL's own tools through Airlock with the real classifier and the shipped policy: what
// they read passes, and what they print is what they print without Airlock in the way.

const TOOLS = ['pg_dump', 'pg_restore', 'psql'];
const missingTools = TOOLS.filter((tool) => spawnSync('which', [tool]).status !== 0);

type Guarded = Awaited<ReturnType<typeof startGuardedPostgres>>;
interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const engineResult = CedarPolicyEngine.create(loadDefaultPolicyFiles());
if (!engineResult.ok) throw new Error('the default policy does not load');
const engine = engineResult.value;

let server: TestPostgres;
let guarded: Guarded;
const work = mkdtempSync(join(tmpdir(), 'airlock-tools-'));

// A small shop: a table with a serial key, a trigram index, a unique constraint and a comment;
// one with an identity key, a foreign key, a check and a default; a view, a materialized view, a
// sequence that has been used, a SQL function, an extension, an enum, a composite type, a domain
// and a partitioned table (each kind of object pg_dump reads with its own prepared statement).
const SCHEMA = `
CREATE EXTENSION pg_trgm;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE pair AS (a int, b text);
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE TABLE events (id int, at date NOT NULL, kind mood, detail pair, weight positive) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, email text UNIQUE);
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  total numeric(10,2) CHECK (total >= 0), placed_at timestamptz DEFAULT now());
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX customers_name_trgm ON customers USING gin (name gin_trgm_ops);
CREATE SEQUENCE invoice_no START 1000;
CREATE VIEW big_orders AS SELECT o.id, c.name, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.total > 100;
CREATE FUNCTION order_total(cid int) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT coalesce(sum(total), 0) FROM orders WHERE customer_id = cid $$;
COMMENT ON TABLE customers IS 'people who buy';
INSERT INTO customers (name, email) SELECT 'customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 40) g;
INSERT INTO orders (customer_id, total, placed_at) SELECT 1 + g % 40, g * 7.5, '2026-01-01'::timestamptz + g * interval '1 hour' FROM generate_series(1, 120) g;
INSERT INTO events SELECT g, '2026-01-01'::date + g, 'ok', ROW(g, 'e' || g)::pair, g FROM generate_series(1, 30) g;
CREATE MATERIALIZED VIEW order_counts AS SELECT customer_id, count(*) AS orders FROM orders GROUP BY customer_id;
SELECT nextval('invoice_no'), nextval('invoice_no');
ANALYZE;
`;

beforeAll(async () => {
  if (missingTools.length > 0) return;
  server = await startTestPostgres();
  guarded = await startGuardedPostgres(server, classifySqlText, { engine });
  await guarded.withDirect((direct) => direct.query(SCHEMA));
}, 120_000);

afterAll(async () => {
  await guarded?.proxy.close();
  await server?.stop();
});

/** Runs a tool without blocking the event loop, which serves the proxy in this same process. */
function run(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The environment that points a tool at the server itself. */
function directEnv(database = server.database): Record<string, string> {
  return {
    PGHOST: server.host,
    PGPORT: String(server.port),
    PGUSER: server.user,
    PGPASSWORD: server.password,
    PGDATABASE: database,
    PGSSLMODE: 'prefer',
  };
}

/** The environment that points a tool at Airlock: the Airlock token is the password. */
function airlockEnv(through: Guarded, database = server.database): Record<string, string> {
  return {
    PGHOST: '127.0.0.1',
    PGPORT: String(through.proxy.port),
    PGUSER: 'agent',
    PGPASSWORD: through.token,
    PGDATABASE: database,
    PGSSLMODE: 'prefer',
  };
}

/** What Airlock holds for a human: each pending approval's actions, as `effect OPERATION targets`. */
async function heldStatements(through: Guarded): Promise<string[]> {
  const pending = await through.store.listApprovals({ state: 'pending' });
  return pending.map((approval) =>
    approval.actions
      .map(
        (a) => `${a.effect} ${a.operation} ${a.targets.map((t) => `${t.type}:${t.id}`).join(' ')}`,
      )
      .join('; '),
  );
}

/** Runs a tool through Airlock and expects it to succeed with nothing held. */
async function throughAirlock(
  through: Guarded,
  command: string,
  args: readonly string[],
  database?: string,
): Promise<ToolRun> {
  const result = await run(command, args, airlockEnv(through, database));
  const held = await heldStatements(through);
  expect(
    { status: result.status, stderr: result.stderr, held },
    `${command} ${args.join(' ')}`,
  ).toEqual({ status: 0, stderr: '', held: [] });
  return result;
}

/** A SQL script without what differs between two runs of pg_dump: the random `\restrict` key. */
function comparable(script: string): string {
  return script
    .split('\n')
    .filter((line) => !/^\\(un)?restrict /.test(line))
    .join('\n');
}

describe.skipIf(missingTools.length > 0)(
  `PostgreSQL tools through Airlock${missingTools.length > 0 ? ` (skipped: ${missingTools.join(', ')} not installed)` : ''}`,
  () => {
    it(
      'dumps in plain format, whole and schema only, exactly as pg_dump does without Airlock',
      { timeout: 120_000 },
      async () => {
        verifies('sql.opaque-code-unknown');
        verifies('pg.real-tools-pass');
        for (const extra of [[], ['--schema-only']]) {
          const args = ['--format=plain', '--no-password', ...extra];
          const direct = await run('pg_dump', args, directEnv());
          expect(direct.status).toBe(0);
          const airlock = await throughAirlock(guarded, 'pg_dump', args);
          expect(comparable(airlock.stdout)).toBe(comparable(direct.stdout));
          expect(airlock.stdout).toContain('CREATE TABLE public.orders');
        }
      },
    );

    it(
      'dumps in custom format, whole and schema only, to the same archive contents',
      { timeout: 120_000 },
      async () => {
        verifies('sql.opaque-code-unknown');
        for (const [index, extra] of [[], ['--schema-only']].entries()) {
          const directFile = join(work, `direct-${index}.dump`);
          const airlockFile = join(work, `airlock-${index}.dump`);
          expect(
            (
              await run(
                'pg_dump',
                ['--format=custom', `--file=${directFile}`, ...extra],
                directEnv(),
              )
            ).status,
          ).toBe(0);
          await throughAirlock(guarded, 'pg_dump', [
            '--format=custom',
            `--file=${airlockFile}`,
            ...extra,
          ]);
          // An archive records when it was made; its contents, as a script, must be equal.
          const script = async (file: string): Promise<string> =>
            comparable((await run('pg_restore', ['--file=-', file], {})).stdout);
          expect(await script(airlockFile)).toBe(await script(directFile));
          expect(readFileSync(airlockFile).subarray(0, 5).toString()).toBe('PGDMP');
        }
      },
    );

    it(
      'prints the same for psql meta-commands as psql without Airlock',
      { timeout: 120_000 },
      async () => {
        verifies('sql.opaque-code-unknown');
        for (const command of [
          '\\l',
          '\\d+',
          '\\d+ orders',
          '\\d+ events',
          '\\dT+',
          '\\dD',
          '\\dm+',
          '\\db',
          '\\df+',
          '\\dx',
          '\\dn',
          '\\dt',
          '\\dv',
          '\\ds',
          '\\di',
        ]) {
          const args = ['-X', '--no-password', '-c', command];
          const direct = await run('psql', args, directEnv());
          expect(direct.status, command).toBe(0);
          const airlock = await throughAirlock(guarded, 'psql', args);
          expect(airlock.stdout, command).toBe(direct.stdout);
        }
      },
    );

    it(
      'restores a custom dump into a scratch database, row for row',
      { timeout: 180_000 },
      async () => {
        verifies('sql.opaque-code-unknown');
        const dump = join(work, 'restore.dump');
        expect(
          (await run('pg_dump', ['--format=custom', `--file=${dump}`], directEnv())).status,
        ).toBe(0);
        const scratch = await createScratchDatabase('scratch_restore');
        const scratchGuarded = await startGuardedPostgres(
          { ...server, database: scratch },
          classifySqlText,
          { engine },
        );
        try {
          // --no-owner: restored as the connecting role, as when restoring into another server.
          await throughAirlock(
            scratchGuarded,
            'pg_restore',
            ['--no-owner', '--exit-on-error', `--dbname=${scratch}`, dump],
            scratch,
          );
        } finally {
          await scratchGuarded.proxy.close();
        }
        expect(await contents(scratch)).toEqual(await contents(server.database));
      },
    );

    it(
      'holds the ownership changes pg_restore sends without --no-owner, and only those',
      { timeout: 180_000 },
      async () => {
        verifies('sql.destruction-classified');
        const dump = join(work, 'owners.dump');
        expect(
          (await run('pg_dump', ['--format=custom', `--file=${dump}`], directEnv())).status,
        ).toBe(0);
        const scratch = await createScratchDatabase('scratch_owners');
        const scratchGuarded = await startGuardedPostgres(
          { ...server, database: scratch },
          classifySqlText,
          { engine },
        );
        try {
          const result = await run(
            'pg_restore',
            [`--dbname=${scratch}`, dump],
            airlockEnv(scratchGuarded, scratch),
          );
          expect(result.status).not.toBe(0);
          // One hold per OWNER TO the archive holds (tables, views and sequences, then functions).
          const script = (await run('pg_restore', ['--file=-', dump], {})).stdout;
          const ownerChanges = script.split('\n').filter((line) => / OWNER TO /.test(line));
          const held = await heldStatements(scratchGuarded);
          expect(held).toHaveLength(ownerChanges.length);
          for (const statement of held)
            expect(statement).toMatch(/^destructive ALTER (TABLE|OWNER) /);
          expect(result.stderr).toContain('airlock');
        } finally {
          await scratchGuarded.proxy.close();
        }
        // Everything but the owner changes ran: the rows are there.
        expect(await contents(scratch)).toEqual(await contents(server.database));
      },
    );
  },
);

/** Creates an empty database beside the test's, straight on the server. */
async function createScratchDatabase(name: string): Promise<string> {
  await guarded.withDirect((direct) => direct.query(`CREATE DATABASE ${name}`));
  return name;
}

/** Every row of the test's tables, and the sequences' positions, read straight from `database`. */
async function contents(database: string): Promise<unknown> {
  const client = new pg.Client({ ...guarded.target, database });
  await client.connect();
  try {
    const read = async (sql: string): Promise<unknown[]> => (await client.query(sql)).rows;
    return {
      customers: await read('SELECT * FROM customers ORDER BY id'),
      orders: await read('SELECT * FROM orders ORDER BY id'),
      bigOrders: await read('SELECT * FROM big_orders ORDER BY id'),
      events: await read('SELECT id, at, kind, detail::text, weight FROM events ORDER BY id'),
      orderCounts: await read('SELECT * FROM order_counts ORDER BY customer_id'),
      sequences: await read(
        'SELECT last_value, is_called FROM invoice_no UNION ALL SELECT last_value, is_called FROM customers_id_seq',
      ),
      totals: await read('SELECT order_total(1) AS one, order_total(2) AS two'),
    };
  } finally {
    await client.end();
  }
}
