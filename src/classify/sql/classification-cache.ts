import type { Action } from '../../core/index.js';
import { classifySqlTextSync } from './sql-classifier.js';

/** How many distinct (upstream, text) classifications the hot-path cache keeps. */
export const SQL_CACHE_MAX_ENTRIES = 4096;
/** Longer texts are classified every time: a few huge texts must not fill memory. */
export const SQL_CACHE_MAX_TEXT_CHARS = 8192;

/**
 * A small least-recently-used map: a Map keeps insertion order, so re-inserting on every hit
 * makes the first key the least recently used.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

function freezeActions(actions: Action[]): readonly Action[] {
  for (const action of actions) {
    for (const target of action.targets) Object.freeze(target.attrs);
    Object.freeze(action.targets);
    for (const target of action.targets) Object.freeze(target);
    Object.freeze(action);
  }
  return Object.freeze(actions);
}

const cache = new LruMap<string, readonly Action[]>(SQL_CACHE_MAX_ENTRIES);

/**
 * `classifySqlText` for the wire proxy's hot path: synchronous (the parser must be loaded)
 * and cached by exact text. Keyed by text, not by libpg-query's fingerprint: the fingerprint
 * ignores constants, and constants decide (`WHERE 1 = 1` deletes every row, `WHERE 1 = 2`
 * none). The session is not consulted, so `EXECUTE name` is always unknown here; use
 * `classifySqlTextSync` with `SessionKnowledge` to resolve it. The returned actions are frozen
 * and shared between callers.
 */
export function classifySqlCached(sql: string, upstream: string): readonly Action[] {
  if (sql.length > SQL_CACHE_MAX_TEXT_CHARS) return classifySqlTextSync(sql, upstream);
  const key = `${upstream}\u0000${sql}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const actions = freezeActions(classifySqlTextSync(sql, upstream));
  cache.set(key, actions);
  return actions;
}
