import { beforeAll, describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { loadSqlParser } from './sql-parser.js';
import { isPlainQueryShape, isReusableWriteShape, sqlShape } from './statement-shape.js';

beforeAll(async () => {
  await loadSqlParser();
});

describe('sqlShape', () => {
  it("writes constants as parameters, with PostgreSQL's own normalizer", () => {
    expect(sqlShape("SELECT a FROM t WHERE id = 5 AND name = 'x'")).toBe(
      'SELECT a FROM t WHERE id = $1 AND name = $2',
    );
    expect(sqlShape('SELECT a FROM t WHERE id = 6 AND name = $$y$$')).toBe(
      'SELECT a FROM t WHERE id = $1 AND name = $2',
    );
    expect(sqlShape('SELEC 1')).toBeUndefined();
  });
});

describe('isPlainQueryShape', () => {
  it('accepts queries made only of selecting, joining, filtering, grouping and sorting', () => {
    verifies('pg.reuse-only-plain-reads');
    for (const sql of [
      'SELECT abalance FROM pgbench_accounts WHERE aid = 1',
      "select a.id, count(*) from a join b on a.id = b.aid where a.x in (1, 2) and b.name like 'x%' group by a.id order by 2 desc limit 10 offset 5",
      'SELECT CASE WHEN x IS NULL THEN 0 ELSE x END, coalesce(a, b) FROM t WHERE x = (SELECT max(id) FROM u)',
      'SELECT 1; SELECT 2',
    ]) {
      expect(isPlainQueryShape(sql), sql).toBe(true);
    }
  });

  it('refuses anything a constant could change the meaning of, or that is not a plain query', () => {
    for (const sql of [
      'EXPLAIN (ANALYZE 0) DELETE FROM t',
      'EXPLAIN SELECT 1',
      'SELECT 1 INTO x',
      'SELECT * FROM t FOR UPDATE',
      'WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x',
      'DELETE FROM t WHERE id = 1',
      'UPDATE t SET a = 1 WHERE id = 1',
      'INSERT INTO t VALUES (1)',
      'SET search_path = x',
      'SELECT row_number() OVER (ORDER BY id) FROM t',
      'SELECT * FROM t TABLESAMPLE SYSTEM (10)',
      'SELECT 1; DROP TABLE t',
      'SELEC 1',
      '',
    ]) {
      expect(isPlainQueryShape(sql), sql).toBe(false);
    }
  });
});

describe('isReusableWriteShape', () => {
  const shapeOf = (sql: string): string => sqlShape(sql) ?? '';

  it('accepts writes whose constants are data or compared with = to a column, and transaction control', () => {
    verifies('pg.reuse-only-plain-reads');
    for (const sql of [
      'UPDATE pgbench_accounts SET abalance = abalance + -4213 WHERE aid = 77',
      "UPDATE t SET name = 'x', n = lower('Y') WHERE id = 5 AND tenant = 'acme'::text",
      'UPDATE t SET n = 1 WHERE id IN (1, 2, 3) RETURNING id, 7',
      "DELETE FROM t WHERE 5 = id AND kind = 'old'",
      'INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 2, 3, 4, CURRENT_TIMESTAMP)',
      'INSERT INTO t SELECT * FROM s WHERE s.id > 10',
      'BEGIN',
      'END',
      'ROLLBACK',
    ])
      expect(isReusableWriteShape(shapeOf(sql)), sql).toBe(true);
  });

  it('refuses shapes whose judgment a constant decides, and everything else', () => {
    for (const sql of [
      'UPDATE t SET n = 1 WHERE id > 0',
      'DELETE FROM t WHERE id <> 0',
      "DELETE FROM t WHERE name LIKE '%'",
      "DELETE FROM t WHERE name ~ '.*'",
      'DELETE FROM t WHERE 1 = 1',
      'DELETE FROM t WHERE id = 1 OR true',
      'DELETE FROM t WHERE id = coalesce(1, id)',
      'DELETE FROM t USING (SELECT 1 AS id WHERE 1 = 1) s WHERE t.id = s.id',
      'WITH d AS (DELETE FROM u WHERE id = 1 RETURNING id) UPDATE t SET n = 1 WHERE id = 2',
      'INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET n = 2',
      "UPDATE t SET n = set_config('standard_conforming_strings', 'off', false)::int WHERE id = 1",
      "PREPARE TRANSACTION 'x'",
      'SELECT 1',
      'DROP TABLE t',
      'UPDATE t SET n = 1; DELETE FROM t WHERE id = 1',
    ])
      expect(isReusableWriteShape(shapeOf(sql)), sql).toBe(false);
  });
});
