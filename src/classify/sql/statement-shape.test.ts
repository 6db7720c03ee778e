import { beforeAll, describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { loadSqlParser } from './sql-parser.js';
import { isPlainQueryShape, sqlShape } from './statement-shape.js';

beforeAll(async () => {
  await loadSqlParser();
});

describe('sqlShape', () => {
  it('writes constants as parameters, with PostgreSQL\'s own normalizer', () => {
    expect(sqlShape("SELECT a FROM t WHERE id = 5 AND name = 'x'")).toBe('SELECT a FROM t WHERE id = $1 AND name = $2');
    expect(sqlShape('SELECT a FROM t WHERE id = 6 AND name = $$y$$')).toBe('SELECT a FROM t WHERE id = $1 AND name = $2');
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
