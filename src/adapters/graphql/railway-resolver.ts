import type { Dispatcher } from 'undici';
import type { Action } from '../../core/index.js';
import type { GraphqlUpstream } from './config.js';
import { DEFAULT_RESOLVE_CACHE_MS, DEFAULT_RESOLVE_TIMEOUT_MS } from './config.js';
import { fetchRailwayTopology } from './railway-topology.js';
import type { TargetResolver, Topology } from './resolver.js';
import { needsResolution, placeTargets } from './resolver.js';

/** What a `RailwayResolver` needs. */
export interface RailwayResolverOptions {
  /** Upstreams by name; each is asked with its own credential. */
  readonly upstreams: Readonly<Record<string, GraphqlUpstream>>;
  /** Environment names that count as production; a project's primary environment always does. */
  readonly productionEnvironments: readonly string[];
  readonly dispatcher: Dispatcher;
  readonly timeoutMs?: number;
  readonly cacheMs?: number;
  /** Milliseconds since the epoch; injected so tests can move time. */
  readonly now?: () => number;
}

interface CacheEntry {
  /** When the question this answer came from was asked. */
  readonly at: number;
  readonly topology: Promise<Topology | undefined>;
  /** The answer is in (a failed one removes its entry instead). */
  answered: boolean;
  /** A question to replace this answer before it expires has been asked. */
  refreshing: boolean;
}

// Past this share of the cache period, the next request asks again in the background while the
// cached answer keeps serving, so that steady traffic never waits on the upstream's round trip.
const REFRESH_AHEAD_SHARE = 0.8;

/**
 * Places targets on Railway: asks each upstream where its projects, environments, services and
 * volumes live, caches the answer briefly, and forgets it when a write may have moved things.
 * A failed or slow answer places nothing, so every target stays unknown: production.
 */
export class RailwayResolver implements TargetResolver {
  readonly #options: RailwayResolverOptions;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(options: RailwayResolverOptions) {
    this.#options = options;
  }

  async resolve(upstream: string, actions: readonly Action[]): Promise<Action[]> {
    if (!actions.some(needsResolution)) return [...actions];
    const topology = await this.#topology(upstream);
    return placeTargets(actions, topology, this.#options.productionEnvironments);
  }

  invalidate(upstream: string): void {
    this.#cache.delete(upstream);
  }

  #topology(name: string): Promise<Topology | undefined> {
    const upstream = this.#options.upstreams[name];
    if (upstream === undefined) return Promise.resolve(undefined);
    const now = (this.#options.now ?? Date.now)();
    const cacheMs = this.#options.cacheMs ?? DEFAULT_RESOLVE_CACHE_MS;
    const cached = this.#cache.get(name);
    // INVARIANT: no answer is used once it is `cacheMs` old, counted from when it was asked.
    if (cached !== undefined && now - cached.at < cacheMs) {
      if (
        cached.answered &&
        !cached.refreshing &&
        now - cached.at >= cacheMs * REFRESH_AHEAD_SHARE
      ) {
        this.#refresh(name, upstream, cached, now);
      }
      return cached.topology;
    }
    const asked = this.#ask(upstream);
    const entry: CacheEntry = {
      at: now,
      topology: asked.then(
        (topology) => {
          entry.answered = true;
          return topology;
        },
        () => {
          // SECURITY: a failure is never cached as an answer, and places nothing: unknown is production.
          if (this.#cache.get(name) === entry) this.#cache.delete(name);
          return undefined;
        },
      ),
      answered: false,
      refreshing: false,
    };
    // Concurrent requests share one question to the upstream.
    this.#cache.set(name, entry);
    return entry.topology;
  }

  // The new answer replaces the cached one only if nothing forgot or replaced that meanwhile: an
  // answer to a question asked before a write's invalidation may predate the write's effect.
  #refresh(name: string, upstream: GraphqlUpstream, cached: CacheEntry, now: number): void {
    cached.refreshing = true;
    this.#ask(upstream).then(
      (topology) => {
        if (this.#cache.get(name) !== cached) return;
        this.#cache.set(name, {
          at: now,
          topology: Promise.resolve(topology),
          answered: true,
          refreshing: false,
        });
      },
      // A failed refresh changes nothing: the cached answer serves until it expires, then the
      // next request asks (and waits) as if there had been no refresh.
      () => undefined,
    );
  }

  #ask(upstream: GraphqlUpstream): Promise<Topology> {
    return fetchRailwayTopology(upstream, {
      timeoutMs: this.#options.timeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS,
      dispatcher: this.#options.dispatcher,
    });
  }
}
