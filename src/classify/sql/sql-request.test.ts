import { describe, expect, it } from 'vitest';
import { classifySqlRequest, digestSqlRequest, sqlReuseKey } from './index.js';

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
