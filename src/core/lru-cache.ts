/**
 * A map bounded to `capacity` entries that forgets the least recently used one first. Relies on
 * Map keeping insertion order: a hit moves its key to the end, eviction takes from the front.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;
  readonly #onEvict: ((value: V) => void) | undefined;

  /** A capacity of 0 keeps nothing; `onEvict` runs for every value dropped or cleared. */
  constructor(capacity: number, onEvict?: (value: V) => void) {
    this.#capacity = Math.max(0, Math.floor(capacity));
    this.#onEvict = onEvict;
  }

  /** The value for a key, marking it as most recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Stores a value, evicting the least recently used entries beyond capacity. */
  set(key: K, value: V): void {
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      if (previous !== value) this.#onEvict?.(previous);
    }
    this.#entries.set(key, value);
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.entries().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value[0]);
      this.#onEvict?.(oldest.value[1]);
    }
  }

  /** Forgets a key without reporting it to `onEvict`; true when it was kept. */
  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  /** Drops every entry. */
  clear(): void {
    const values = [...this.#entries.values()];
    this.#entries.clear();
    for (const value of values) this.#onEvict?.(value);
  }

  /** How many entries are kept. */
  get size(): number {
    return this.#entries.size;
  }
}
