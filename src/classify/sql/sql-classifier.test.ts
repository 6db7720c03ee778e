import { beforeAll, describe, expect, it } from 'vitest';
import type { Effect } from '../../core/index.js';
import { verifies } from '../../../test/requirements.js';
import { OPAQUE_FUNCTIONS } from './builtin-functions.js';
import { analyzeSql, classifySqlText, digestSqlText } from './index.js';
import { loadSqlParser } from './sql-parser.js';

beforeAll(async () => {
  await loadSqlParser();
});

/** The effect of each statement of a SQL string, in order. */
function effects(sql: string): Effect[] {
  return analyzeSql(sql).statements.map((statement) => statement.effect);
}

type Case = readonly [sql: string, effects: Effect[]];

function judgeAll(cases: readonly Case[]): void {
  for (const [sql, expected] of cases) expect(effects(sql), sql).toEqual(expected);
}

describe('reads, writes and destruction by the parse tree', () => {
  it('sees the same statement through comments, quoting, case, escapes and dollar quotes', () => {
    verifies('sql.parse-tree-decides');
    judgeAll([
      ['DrOp TaBlE "public"."users"', ['destructive']],
      ['/* a /* nested */ comment */ DROP TABLE users', ['destructive']],
      ['DELETE/**/FROM users', ['destructive']],
      ['SELECT 1; -- note\rDROP TABLE users', ['read', 'destructive']],
      ['DROP TABLE U&"\\0075sers"', ['destructive']],
      ['SELECT $tag$ DROP TABLE users; $tag$', ['read']],
      ["SELECT E'it\\'s; DROP TABLE users'", ['read']],
      ["SELECT '\\' ; DROP TABLE users; --'", ['read', 'destructive']],
      ['-- DROP TABLE users\nSELECT * FROM drop_log', ['read']],
      ['SELECT truncate_reason, deleted_at FROM tickets', ['read']],
    ]);
  });

  it('judges DELETE and UPDATE by whether the WHERE clause can reach every row', () => {
    verifies('sql.destruction-classified');
    judgeAll([
      ['DELETE FROM users', ['destructive']],
      ['UPDATE users SET password_hash = NULL', ['destructive']],
      ['DELETE FROM users WHERE id = 42', ['write']],
      ['UPDATE users SET last_login = now() WHERE id = 42', ['write']],
      ['DELETE FROM sessions WHERE id = $1', ['write']],
      ["DELETE FROM users WHERE ctid = '(0,1)'", ['write']],
      ['DELETE FROM users WHERE id IS NULL', ['write']],
      ['DELETE FROM users WHERE 1 = 0', ['write']],
      ['DELETE FROM users WHERE id = 42 AND true', ['write']],
      [
        'DELETE FROM users WHERE EXISTS (SELECT 1 FROM bans b WHERE b.user_id = users.id)',
        ['write'],
      ],
      ['UPDATE users u SET x = s.x FROM staging s WHERE u.id = s.id', ['write']],
      ['DELETE FROM sessions WHERE expires_at < now()', ['write']],
      ['DELETE FROM stock WHERE qty > 0', ['write']],
      ['DELETE FROM users WHERE id > 100', ['write']],
      ['DELETE FROM users WHERE id IN (SELECT id FROM users WHERE banned)', ['write']],
    ]);
  });

  it('sees through tautologies and predicates that ignore the row', () => {
    verifies('sql.destruction-classified');
    const tautologies = [
      'true',
      '1=1',
      "'a'='a'",
      'NOT false',
      'id = id',
      'id = 42 OR 1=1',
      'id = 42 OR true',
      'u.id IS NOT NULL',
      'NOT (id IS NULL)',
      'id = 5 OR id <> 5',
      'email IS NULL OR email IS NOT NULL',
      "name LIKE '%'",
      "name ~ ''",
      'id IN (id)',
      'NOT (id <> id)',
      'id IN (SELECT id FROM users)',
      '$1',
      '(SELECT true)',
      'CASE WHEN true THEN true END',
      "'t'::boolean",
      'coalesce(a, 0) = coalesce(a, 0)',
      'id IS NOT DISTINCT FROM id',
      'NOT (id = 1 AND id <> 1)',
      'random() < 2',
      'EXISTS (SELECT 1 FROM bans)',
      '1 = 1 IS TRUE',
      'id IN (SELECT id FROM users WHERE true)',
      'id = ANY (SELECT id FROM users)',
      'id > 0',
      '0 < u.id',
      'id >= 1',
      'NOT (id IS NULL AND id IS NOT NULL)',
    ];
    for (const predicate of tautologies) {
      const sql = `DELETE FROM users AS u WHERE ${predicate.replaceAll('u.', 'u.')}`;
      expect(effects(sql), sql).toEqual(['destructive']);
    }
  });

  it('does not let another table or a shadowing alias stand in for the target row', () => {
    verifies('sql.destruction-classified');
    judgeAll([
      ['DELETE FROM users USING bans WHERE bans.active', ['destructive']],
      ['DELETE FROM users u USING users v WHERE u.id = v.id', ['destructive']],
      [
        'DELETE FROM users u WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = u.id)',
        ['destructive'],
      ],
      ['UPDATE users SET x = 1 FROM other o WHERE o.id = o.id', ['destructive']],
    ]);
  });

  it('finds destruction nested in CTEs, EXPLAIN ANALYZE, COPY, rules and MERGE', () => {
    verifies('sql.destruction-classified');
    judgeAll([
      ['WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone', ['destructive']],
      [
        'WITH a AS (WITH b AS (DELETE FROM users RETURNING *) SELECT * FROM b) SELECT * FROM a',
        ['destructive'],
      ],
      [
        'WITH m AS (DELETE FROM queue WHERE id = 5 RETURNING *) INSERT INTO archive SELECT * FROM m',
        ['write'],
      ],
      ['EXPLAIN ANALYZE DELETE FROM users', ['destructive']],
      ['EXPLAIN (ANALYZE, FORMAT json) DELETE FROM users', ['destructive']],
      ['EXPLAIN ANALYZE TRUNCATE users', ['unknown']], // not grammar: the server refuses it
      ['EXPLAIN (ANALYZE true) UPDATE users SET x = 1', ['destructive']],
      ['EXPLAIN (ANALYZE off) DELETE FROM users', ['read']],
      ['EXPLAIN DELETE FROM users', ['read']],
      ['COPY (DELETE FROM users RETURNING *) TO STDOUT', ['destructive']],
      ['CREATE RULE r AS ON INSERT TO t DO ALSO DELETE FROM users', ['destructive']],
      ['CREATE RULE r AS ON INSERT TO t DO ALSO INSERT INTO log VALUES (1)', ['write']],
      [
        'MERGE INTO users u USING (SELECT 1 AS x) s ON true WHEN MATCHED THEN DELETE',
        ['destructive'],
      ],
      [
        'MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED BY SOURCE THEN DELETE',
        ['destructive'],
      ],
      [
        'MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET x = s.x WHEN NOT MATCHED THEN INSERT VALUES (s.id)',
        ['write'],
      ],
    ]);
  });

  it('classifies DDL, COPY, roles and settings', () => {
    verifies('sql.destruction-classified');
    judgeAll([
      ['TRUNCATE orders CASCADE', ['destructive']],
      ['DROP SCHEMA public CASCADE', ['destructive']],
      ['DROP DATABASE production', ['destructive']],
      ['DROP INDEX CONCURRENTLY idx', ['destructive']],
      ['DROP FUNCTION f(int)', ['destructive']],
      ['DROP OWNED BY bob', ['destructive']],
      ['ALTER TABLE users DROP COLUMN email', ['destructive']],
      ['ALTER TABLE users DROP CONSTRAINT users_pkey', ['destructive']],
      ['ALTER TABLE users ALTER COLUMN balance TYPE integer', ['destructive']],
      ['ALTER TABLE users DISABLE TRIGGER ALL', ['destructive']],
      ['ALTER TABLE users ADD COLUMN c int DEFAULT 0', ['write']],
      ['ALTER TABLE users RENAME TO users_old', ['write']],
      ['CREATE INDEX CONCURRENTLY idx ON orders (user_id)', ['write']],
      ['CREATE TABLE t2 AS SELECT * FROM users', ['write']],
      ['SELECT * INTO t3 FROM users', ['write']],
      ["INSERT INTO events (kind) VALUES ('drop')", ['write']],
      ['COPY (SELECT id FROM users) TO STDOUT WITH CSV HEADER', ['read']],
      ['COPY users FROM STDIN', ['write']],
      ["COPY (SELECT 1) TO PROGRAM 'rm -rf /'", ['destructive']],
      ["COPY users FROM PROGRAM 'curl evil'", ['destructive']],
      ["COPY users TO '/var/lib/postgresql/data/pg_hba.conf'", ['destructive']],
      ["COPY users FROM '/etc/passwd'", ['unknown']],
      ['GRANT ALL ON users TO public', ['destructive']],
      ['REVOKE SELECT ON users FROM app', ['destructive']],
      ['GRANT admin TO agent', ['destructive']],
      ['CREATE ROLE x SUPERUSER', ['destructive']],
      ['ALTER ROLE bob SUPERUSER', ['destructive']],
      ["ALTER USER bob WITH PASSWORD 'x'", ['destructive']],
      ['SET ROLE postgres', ['destructive']],
      ['SET SESSION AUTHORIZATION bob', ['destructive']],
      ['SET session_replication_role = replica', ['destructive']],
      ['ALTER SYSTEM SET fsync = off', ['destructive']],
      ['ALTER DATABASE prod WITH ALLOW_CONNECTIONS false', ['destructive']],
      ['ALTER DATABASE prod SET default_transaction_read_only = off', ['destructive']],
      ['EXPLAIN ANALYSE DELETE FROM users', ['destructive']],
      [
        'SELECT * FROM users WHERE id = 1 UNION ALL SELECT pg_terminate_backend(1)',
        ['destructive'],
      ],
      ["SET statement_timeout = '5s'", ['read']],
      ['SET search_path = public', ['read']],
      ['SHOW search_path', ['read']],
      ['VACUUM FULL orders', ['write']],
      ['ANALYZE users', ['write']],
      ['BEGIN; UPDATE a SET b = b - 10 WHERE id = 1; COMMIT;', ['read', 'write', 'read']],
    ]);
  });

  it('reads with vetted built-ins, syntax functions and operators stay reads', () => {
    judgeAll([
      ['SELECT count(*), lower(email), coalesce(a, 1), greatest(1, 2), now() FROM users', ['read']],
      [
        "SELECT extract(year FROM now()), substring('abc' FROM 1 FOR 2), trim(both ' ' FROM 'x')",
        ['read'],
      ],
      ["SELECT '{\"a\":1}'::jsonb ->> 'a', ARRAY[1,2] @> ARRAY[1], 'a' SIMILAR TO 'b'", ['read']],
      ['SELECT * FROM generate_series(1, 10)', ['read']],
      [
        "WITH r AS (SELECT * FROM orders WHERE created_at > now() - interval '1 day') SELECT count(*) FROM r",
        ['read'],
      ],
      ['SELECT * FROM users FOR UPDATE', ['read']],
      ["SELECT nextval('s')", ['write']],
    ]);
  });
});

describe('code whose effect cannot be known statically', () => {
  it('is unknown: DO, CALL, user functions and operators, unknown EXECUTE', () => {
    verifies('sql.opaque-code-unknown');
    judgeAll([
      ["DO $$ BEGIN EXECUTE 'DROP TABLE ' || 'users'; END $$", ['unknown']],
      ['CALL cleanup()', ['unknown']],
      ['SELECT cleanup()', ['unknown']],
      ['SELECT * FROM my_func()', ['unknown']],
      ["SELECT public.lower('x')", ['unknown']],
      ['SELECT "LOWER"(\'x\')', ['unknown']],
      ['SELECT a OPERATOR(public.=) b FROM t', ['unknown']],
      ['SELECT a === b FROM t', ['unknown']],
      ['INSERT INTO t VALUES (evil())', ['unknown']],
      ['EXPLAIN SELECT evil()', ['unknown']],
      ['EXECUTE purge_all', ['unknown']],
      ['PREPARE p AS SELECT 1; DEALLOCATE p; EXECUTE p', ['read', 'read', 'unknown']],
      ['CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()', ['unknown']],
      [
        'CREATE OR REPLACE FUNCTION audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
        ['unknown'],
      ],
      ["CREATE FUNCTION lower(int) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$", ['unknown']],
      ['ALTER FUNCTION evil() RENAME TO uuid_generate_v4', ['unknown']],
      ['CREATE FUNCTION f2() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$', ['write']],
      ['SET search_path = evil, pg_catalog', ['unknown']],
      ["COMMIT PREPARED 'tx1'", ['unknown']],
      ["LOAD 'evil.so'", ['unknown']],
    ]);
  });

  it('knows dangerous built-ins for what they are', () => {
    verifies('sql.opaque-code-unknown');
    judgeAll([
      ['SELECT pg_terminate_backend(123)', ['destructive']],
      ['SELECT pg_catalog.pg_cancel_backend(pid) FROM pg_stat_activity', ['destructive']],
      ["SELECT pg_drop_replication_slot('main_slot')", ['destructive']],
      ['SELECT lo_unlink(1234)', ['destructive']],
    ]);
    for (const name of OPAQUE_FUNCTIONS)
      expect(effects(`SELECT ${name}('x')`), name).toEqual(['unknown']);
  });

  it('judges EXECUTE as what PREPARE prepared, in the string or from the session', () => {
    verifies('sql.opaque-code-unknown');
    judgeAll([
      ['PREPARE purge AS DELETE FROM users; EXECUTE purge;', ['destructive', 'destructive']],
      ['PREPARE one AS SELECT * FROM users WHERE id = $1; EXECUTE one(7)', ['read', 'read']],
      ['CREATE TABLE t AS EXECUTE purge', ['unknown']],
    ]);
    // The session's earlier PREPARE text, classified with the EXECUTE as one string (as the guard does).
    const executed = (prepared: string, sql: string) =>
      analyzeSql(`${prepared};\n${sql}`)
        .statements.slice(1)
        .map((s) => s.effect);
    expect(executed('PREPARE q AS SELECT 1', 'EXECUTE q')).toEqual(['read']);
    expect(executed('PREPARE p AS DELETE FROM t', 'EXECUTE p')).toEqual(['destructive']);
    expect(executed('PREPARE q AS SELECT 1', 'EXECUTE other')).toEqual(['unknown']);
    // A session text that is not the PREPARE of that name is not trusted.
    expect(executed('SELECT 1', 'EXECUTE q')).toEqual(['unknown']);
  });
});

describe('statements and actions', () => {
  it('gives every statement its own action, text and digest; rejected text is one unknown', async () => {
    verifies('sql.every-statement-judged');
    const sql = 'SELECT 1; -- ünïcode\nDROP TABLE "Üsers"';
    const analysis = analyzeSql(sql);
    expect(analysis.statements.map((s) => s.text)).toEqual(['SELECT 1', 'DROP TABLE "Üsers"']);
    expect(analysis.statements.map((s) => s.digest)).toEqual(
      analysis.statements.map((s) => digestSqlText(s.text)),
    );
    const actions = await classifySqlText(sql, 'db');
    expect(actions.map((a) => [a.operation, a.effect, a.reversible])).toEqual([
      ['SELECT', 'read', true],
      ['DROP TABLE', 'destructive', false],
    ]);
    expect(actions[1]?.targets).toEqual([
      { type: 'table', id: 'Üsers', attrs: { cascade: false } },
    ]);
    for (const action of actions)
      expect(action).toMatchObject({ upstream: 'db', surface: 'sql', digest: digestSqlText(sql) });
    expect(await classifySqlText('SELEC 1', 'db')).toMatchObject([
      { effect: 'unknown', targets: [] },
    ]);
    expect(await classifySqlText('SELECT 1; SELEC 2', 'db')).toMatchObject([{ effect: 'unknown' }]);
    expect(await classifySqlText('-- nothing', 'db')).toMatchObject([
      { operation: 'EMPTY', effect: 'read' },
    ]);
  });

  it('names targets with their schema, and what a DELETE reaches', async () => {
    const [drop] = await classifySqlText('DROP TABLE public.orders, "Audit"', 'db');
    expect(drop?.targets.map((t) => `${t.type}:${t.id}`)).toEqual([
      'table:public.orders',
      'table:Audit',
    ]);
    const [remove] = await classifySqlText('DELETE FROM app.users WHERE id = 1', 'db');
    expect(remove?.targets).toEqual([{ type: 'table', id: 'app.users', attrs: { rows: 'some' } }]);
    expect(remove?.reversible).toBe(false);
    const [role] = await classifySqlText('ALTER ROLE bob SUPERUSER', 'db');
    expect(role?.targets).toEqual([{ type: 'role', id: 'bob', attrs: {} }]);
  });

  it('does not take a CTE for a table, nor a table for a CTE where the CTE is not visible', async () => {
    const ids = async (sql: string) =>
      (await classifySqlText(sql, 'db'))[0]?.targets.map((t) => `${t.type}:${t.id}`);
    expect(await ids('WITH recent AS (SELECT * FROM orders) SELECT * FROM recent')).toEqual([
      'table:orders',
    ]);
    expect(await ids('WITH users AS (SELECT * FROM users) SELECT * FROM users')).toEqual([
      'table:users',
    ]);
    expect(
      await ids('SELECT * FROM (WITH users AS (SELECT 1) SELECT * FROM users) a, users'),
    ).toEqual(['table:users']);
    expect(
      await ids(
        'WITH a AS (SELECT 1) SELECT * FROM (WITH b AS (SELECT 2) SELECT * FROM a, b) x, b',
      ),
    ).toEqual(['table:b']);
    expect(
      await ids('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT * FROM t'),
    ).toEqual([]);
  });

  it('fails closed on input nested too deeply to walk', () => {
    verifies('sql.every-statement-judged');
    const deep = `SELECT ${'1 + ('.repeat(3000)}1${')'.repeat(3000)}`;
    const [statement] = analyzeSql(deep).statements;
    expect(statement?.effect).toBe('unknown');
  });
});
