import { describe, expect, it } from 'vitest';
import {
  classifySqlRequest,
  createSqlReuseKeys,
  digestSqlRequest,
  sqlReuseKey,
  sqlShapeFacts,
} from './index.js';

describe('classifySqlRequest', () => {
  it('gives every action the digest an approval binds to, which names the upstream', async () => {
    const request = await classifySqlRequest('DROP TABLE t; SELECT 1', 'db');
    expect(request.digest).toBe(digestSqlRequest('db', 'DROP TABLE t; SELECT 1'));
    expect(request.digest).not.toBe(digestSqlRequest('other', 'DROP TABLE t; SELECT 1'));
    expect(request.actions.map((action) => action.digest)).toEqual([
      request.digest,
      request.digest,
    ]);
    expect(request.reuseKey).toBeUndefined();
  });

  it('keys a plain read and a reusable write by shape, so their constants share one key', async () => {
    const first = await classifySqlRequest('SELECT a FROM t WHERE id = 1', 'db');
    const second = await classifySqlRequest('SELECT a FROM t WHERE id = 2', 'db');
    expect(first.reuseKey).toBeDefined();
    expect(second.reuseKey).toBe(first.reuseKey);
    expect(sqlReuseKey('SELECT a FROM t WHERE id = 2')).toBe(first.reuseKey);
    expect(
      (await classifySqlRequest('UPDATE t SET a = 1 WHERE id = 2', 'db')).reuseKey,
    ).toBeDefined();
    expect((await classifySqlRequest('DELETE FROM t', 'db')).reuseKey).toBeUndefined();
  });
});

describe('sqlShapeFacts and createSqlReuseKeys', () => {
  it('says which shapes may reuse an allow: plain reads, and countable reusable writes', async () => {
    const read = await classifySqlRequest('SELECT a FROM t WHERE id = 1', 'db');
    expect(sqlShapeFacts('SELECT a FROM t WHERE id = 1', read.actions)).toEqual({
      shape: expect.stringContaining('$1'),
      reusable: true,
    });
    const write = await classifySqlRequest('UPDATE t SET a = 1 WHERE id = 2', 'db');
    expect(sqlShapeFacts('UPDATE t SET a = 1 WHERE id = 2', write.actions)?.reusable).toBe(true);
    // Rows the caller cannot count make a write unreusable; reads do not depend on counting.
    expect(sqlShapeFacts('UPDATE t SET a = 1 WHERE id = 2', write.actions, false)?.reusable).toBe(
      false,
    );
    expect(sqlShapeFacts('SELECT a FROM t WHERE id = 1', read.actions, false)?.reusable).toBe(true);
    // A range predicate's constant can change how many rows it reaches: never reused.
    const range = await classifySqlRequest('DELETE FROM t WHERE id > 5', 'db');
    expect(sqlShapeFacts('DELETE FROM t WHERE id > 5', range.actions)?.reusable).toBe(false);
    expect(sqlShapeFacts('SELECT (', [])).toBeUndefined();
  });

  it('gives the keys sqlReuseKey gives, remembered or not', () => {
    const keyOf = createSqlReuseKeys();
    const texts = [
      'SELECT a FROM t WHERE id = 1',
      'SELECT a FROM t WHERE id = 1',
      "UPDATE t SET a = 'x' WHERE id = $1",
      'SELECT (',
      `SELECT ${'1, '.repeat(5000)}1`,
    ];
    for (const text of texts) expect(keyOf(text)).toBe(sqlReuseKey(text));
  });
});
