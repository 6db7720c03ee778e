import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLSTATE } from '../src/adapters/postgres/index.js';
import { DECISION_REUSE_LIFETIME_MS } from '../src/firewall/index.js';
import { classifySqlText } from '../src/classify/index.js';
import type { AuditRecord } from '../src/core/index.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import { startGuardedPostgres } from './pg-proxy-harness.js';
import { verifies } from './requirements.js';

let server: TestPostgres;
let guarded: Awaited<ReturnType<typeof startGuardedPostgres>>;

beforeAll(async () => {
  server = await startTestPostgres();
  guarded = await startGuardedPostgres(server, classifySqlText);
  await guarded.withDirect(async (direct) => {
    await direct.query(
      'DROP TABLE IF EXISTS accounts; CREATE TABLE accounts (id int PRIMARY KEY, balance int)',
    );
    await direct.query('INSERT INTO accounts SELECT g, g * 10 FROM generate_series(1, 100) g');
  });
}, 120_000);

afterAll(async () => {
  await guarded?.proxy.close();
  await server?.stop();
});

function withAgent<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  return guarded.withAgent(body);
}

/** Audit records written since `fromSeq`, of one kind. */
async function recordsSince(fromSeq: number, kind: string): Promise<AuditRecord[]> {
  return (await guarded.store.readAudit({ fromSeq })).filter((record) => record.kind === kind);
}

async function lastSeq(): Promise<number> {
  return (await guarded.store.tailAudit(1))[0]?.seq ?? 0;
}

/** Moves past every reuse entry's lifetime, so the next statement is judged in full. */
function forgetReuse(): void {
  guarded.clock.advance(DECISION_REUSE_LIFETIME_MS);
}

describe('reused decisions on the PostgreSQL hot path', () => {
  it('judges a read once, reuses that allow for its shape, and counts every reuse in the audit log', async () => {
    verifies('pg.reuse-on-the-record');
    forgetReuse();
    const from = (await lastSeq()) + 1;
    const balances = await withAgent(async (client) => {
      const seen: number[] = [];
      for (let id = 1; id <= 20; id++) {
        // Simple protocol, constants in the text: twenty texts, one shape.
        const result = await client.query(`SELECT balance FROM accounts WHERE id = ${id}`);
        seen.push(result.rows[0]?.balance as number);
      }
      return seen;
    });
    expect(balances).toEqual(Array.from({ length: 20 }, (_, index) => (index + 1) * 10));
    // Past the lifetime the shape is judged in full again, and the count so far is written first.
    forgetReuse();
    await withAgent((client) => client.query('SELECT balance FROM accounts WHERE id = 21'));
    const decisions = (await recordsSince(from, 'decision')).filter(
      (record) => record.data['surface'] === 'sql',
    );
    const reused = await recordsSince(from, 'decision.reused');
    expect(decisions).toHaveLength(2);
    expect(reused).toHaveLength(1);
    expect(reused[0]?.data).toMatchObject({
      decisionId: decisions[0]?.data['decisionId'],
      count: 19,
      shape: 'SELECT balance FROM accounts WHERE id = $1',
      surface: 'sql',
    });
    expect(JSON.stringify(reused)).not.toContain(guarded.token);
  });

  it('counts every execution of a prepared statement on the decision its Parse got', async () => {
    verifies('pg.reuse-on-the-record');
    forgetReuse();
    const from = (await lastSeq()) + 1;
    await withAgent(async (client) => {
      for (let id = 1; id <= 10; id++) {
        // Named: pg parses it once, then binds and executes it ten times.
        await client.query({
          name: 'touch',
          text: 'UPDATE accounts SET balance = balance WHERE id = $1',
          values: [id],
        });
      }
    });
    // Counts are written every DECISION_REUSE_LIFETIME_MS of real time.
    await new Promise((resolve) => setTimeout(resolve, DECISION_REUSE_LIFETIME_MS + 300));
    const updates = (await recordsSince(from, 'decision')).filter((record) =>
      JSON.stringify(record.data['actions']).includes('"operation":"UPDATE"'),
    );
    // The Parse was judged in full once; the ten executions ran on its decision.
    expect(updates).toHaveLength(1);
    const parse = updates[0];
    const counted = (await recordsSince(from, 'decision.reused')).filter(
      (record) => record.data['decisionId'] === parse?.data['decisionId'],
    );
    expect(counted.reduce((sum, record) => sum + Number(record.data['count']), 0)).toBe(10);
    expect(counted[0]?.data['shape']).toBe('UPDATE accounts SET balance = balance WHERE id = $1');
  });

  it('reuses a write bounded by = on a column for its shape, counted, and still counts the rows of every run', async () => {
    verifies('pg.reuse-only-plain-reads');
    verifies('pg.blast-radius-by-result');
    forgetReuse();
    const from = (await lastSeq()) + 1;
    await withAgent(async (client) => {
      for (let id = 1; id <= 5; id++)
        expect(
          (
            await client.query(
              `UPDATE accounts SET balance = ${id * 10} WHERE balance = ${id * 10}`,
            )
          ).rowCount,
        ).toBe(1);
      // The same shape, where every row now matches: its judgment is reused, its count is not.
      await guarded.withDirect((direct) => direct.query('UPDATE accounts SET balance = 5'));
      const held = await client
        .query('UPDATE accounts SET balance = 6 WHERE balance = 5')
        .catch((error: { code?: string }) => error);
      expect((held as { code?: string }).code).toBe(SQLSTATE.held);
      await guarded.withDirect((direct) => direct.query('UPDATE accounts SET balance = id * 10'));
      // Past the lifetime the shape is judged in full again, and the count so far is written first.
      forgetReuse();
      expect(
        (await client.query('UPDATE accounts SET balance = 10 WHERE balance = 10')).rowCount,
      ).toBe(1);
    });
    const judged = (await recordsSince(from, 'decision')).filter(
      (record) => record.data['surface'] === 'sql',
    );
    // The first text, the held one again as what it turned out to be, the one past the lifetime.
    expect(judged.length).toBe(3);
    const counted = await recordsSince(from, 'decision.reused');
    expect(counted.map((record) => record.data['shape'])).toContain(
      'UPDATE accounts SET balance = $1 WHERE balance = $2',
    );
  });

  it('never reuses a decision for writes whose constants decide, destruction, EXPLAIN or locking reads', async () => {
    verifies('pg.reuse-only-plain-reads');
    forgetReuse();
    const from = (await lastSeq()) + 1;
    const statements = [
      'UPDATE accounts SET balance = balance WHERE id > 98',
      'UPDATE accounts SET balance = balance WHERE id > 99',
      "UPDATE accounts SET balance = balance WHERE owner LIKE 'a%'",
      "UPDATE accounts SET balance = balance WHERE owner LIKE 'b%'",
      'SELECT balance FROM accounts WHERE id = 1 FOR UPDATE',
      'SELECT balance FROM accounts WHERE id = 2 FOR UPDATE',
      'EXPLAIN SELECT balance FROM accounts WHERE id = 1',
      'EXPLAIN SELECT balance FROM accounts WHERE id = 2',
      'SELECT nextval(pg_get_serial_sequence($$accounts$$, $$id$$)) WHERE 1 = 2',
    ];
    await withAgent(async (client) => {
      for (const sql of statements) await client.query(sql).catch(() => undefined);
    });
    const judged = (await recordsSince(from, 'decision')).filter(
      (record) => record.data['surface'] === 'sql',
    );
    expect(judged).toHaveLength(statements.length);
    expect(await recordsSince(from, 'decision.reused')).toHaveLength(0);
  });

  it('holds a destructive statement every time, even right after a read of the same table', async () => {
    verifies('pg.reuse-only-plain-reads');
    forgetReuse();
    await withAgent(async (client) => {
      await client.query('SELECT balance FROM accounts WHERE 1 = 1');
      await client.query('SELECT balance FROM accounts WHERE 1 = 2');
      // One text of the read's lexical kind, but destruction: a tautology deletes every row.
      const held = await client
        .query('DELETE FROM accounts WHERE 1 = 1')
        .catch((error: { code?: string }) => error);
      expect((held as { code?: string }).code).toBe(SQLSTATE.held);
      const again = await client
        .query('DELETE FROM accounts WHERE 2 = 2')
        .catch((error: { code?: string }) => error);
      expect((again as { code?: string }).code).toBe(SQLSTATE.held);
    });
    const rows = await guarded.withDirect((direct) =>
      direct.query('SELECT count(*)::int AS n FROM accounts'),
    );
    expect(rows.rows[0]?.n).toBe(100);
  });

  it('stops reusing for a revoked grant once the lifetime is over', async () => {
    verifies('pg.reuse-on-the-record');
    forgetReuse();
    const client = guarded.agentClient();
    await client.connect();
    try {
      await client.query('SELECT balance FROM accounts WHERE id = 7');
      await client.query('SELECT balance FROM accounts WHERE id = 8');
      const grant = (await guarded.store.listGrants()).find(
        (candidate) => candidate.agent === 'db-agent' && candidate.revokedAt === undefined,
      );
      expect(grant).toBeDefined();
      await guarded.grants.revoke(grant?.id ?? '', 'human:alice');
      forgetReuse();
      const refused = await client
        .query('SELECT balance FROM accounts WHERE id = 9')
        .catch((error: { code?: string }) => error);
      expect((refused as { code?: string }).code).toBe(SQLSTATE.denied);
    } finally {
      await client.end();
    }
  });
});
