import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('evicts the least recently used entry and reports it', () => {
    const evicted: number[] = [];
    const cache = new LruCache<string, number>(2, (value) => evicted.push(value));
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    expect(evicted).toEqual([2]);
  });

  it('reports replaced and cleared values, and keeps nothing at capacity 0', () => {
    const evicted: number[] = [];
    const cache = new LruCache<string, number>(2, (value) => evicted.push(value));
    cache.set('a', 1);
    cache.set('a', 2);
    cache.clear();
    expect(evicted).toEqual([1, 2]);
    const none = new LruCache<string, number>(0);
    none.set('a', 1);
    expect(none.size).toBe(0);
  });
});
