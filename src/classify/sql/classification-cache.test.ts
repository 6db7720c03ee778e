import { beforeAll, describe, expect, it } from 'vitest';
import { LruMap, classifySqlCached } from './classification-cache.js';
import { classifySqlTextSync } from './sql-classifier.js';
import { loadSqlParser } from './sql-parser.js';

beforeAll(async () => {
  await loadSqlParser();
});

describe('classifySqlCached', () => {
  it('answers exactly what the uncached classifier answers, and the same object on a hit', () => {
    for (const sql of ['SELECT 1', 'DELETE FROM users WHERE 1 = 1', 'DELETE FROM users WHERE 1 = 2', 'SELEC 1']) {
      const first = classifySqlCached(sql, 'db');
      expect(first).toEqual(classifySqlTextSync(sql, 'db'));
      expect(classifySqlCached(sql, 'db')).toBe(first);
    }
  });

  it('keys by exact text and upstream, so constants that change the verdict are never shared', () => {
    // Same libpg-query fingerprint, different verdicts: a fingerprint key would be unsound.
    expect(classifySqlCached("DELETE FROM t WHERE 'a' = 'a'", 'db')[0]?.effect).toBe('destructive');
    expect(classifySqlCached("DELETE FROM t WHERE 'a' = 'b'", 'db')[0]?.effect).toBe('write');
    expect(classifySqlCached('SELECT 1', 'other')[0]?.upstream).toBe('other');
  });

  it('hands out frozen actions that callers cannot alter for each other', () => {
    const [action] = classifySqlCached('DROP TABLE users', 'db');
    expect(Object.isFrozen(action)).toBe(true);
    expect(Object.isFrozen(action?.targets[0])).toBe(true);
  });
});

describe('LruMap', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
  });
});
