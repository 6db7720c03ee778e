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
  readonly at: number;
  readonly topology: Promise<Topology | undefined>;
}

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
    const cached = this.#cache.get(name);
    if (cached !== undefined && now - cached.at < (this.#options.cacheMs ?? DEFAULT_RESOLVE_CACHE_MS)) {
      return cached.topology;
    }
    const topology = fetchRailwayTopology(upstream, {
      timeoutMs: this.#options.timeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS,
      dispatcher: this.#options.dispatcher,
    }).catch(() => {
      // SECURITY: a failure is never cached as an answer, and places nothing: unknown is production.
      if (this.#cache.get(name)?.topology === topology) this.#cache.delete(name);
      return undefined;
    });
    // Concurrent requests share one question to the upstream.
    this.#cache.set(name, { at: now, topology });
    return topology;
  }
}
