import { LruCache } from '../../core/index.js';

// Agents repeat the same few requests. Bounded in entries and in body length, so that a flood of
// large distinct bodies costs at most a few MiB; least recently used goes first.
const CACHE_ENTRIES = 256;
const CACHE_MAX_BODY_TEXT = 16 * 1024;

/**
 * Classifications of recent requests, keyed by the whole classifier input (method, content type,
 * body text, query parameters). The classifier is a pure function of that input and of the
 * upstream's fixed catalog and name, so a hit is exactly what classifying again would give.
 * Entries are deeply frozen: every request that hits one shares it.
 */
export class ClassificationCache<T> {
  readonly #entries = new LruCache<string, T>(CACHE_ENTRIES);

  /** The cached classification of `input`, or the one `classify` gives for it (kept for next time). */
  async classify(
    input: Readonly<Record<string, unknown>>,
    classify: (input: Readonly<Record<string, unknown>>) => Promise<T>,
  ): Promise<T> {
    const key = cacheKey(input);
    const cached = key === undefined ? undefined : this.#entries.get(key);
    if (cached !== undefined) return cached;
    const classified = deepFreeze(await classify(input));
    if (key !== undefined) this.#entries.set(key, classified);
    return classified;
  }
}

// INVARIANT: the key is the whole input as JSON (its values are strings and lists of strings),
// so two inputs share a key only when the classifier would see the same thing.
function cacheKey(input: Readonly<Record<string, unknown>>): string | undefined {
  const body = input['body'];
  if (typeof body === 'string' && body.length > CACHE_MAX_BODY_TEXT) return undefined;
  try {
    return JSON.stringify(input);
  } catch {
    return undefined;
  }
}

// SECURITY: a shared entry must not be changed by one request for the next; frozen, any attempt
// throws (modules are strict), which the proxy turns into "nothing forwarded".
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}
