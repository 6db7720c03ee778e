import type { Dispatcher } from 'undici';
import type { GraphqlCatalog } from '../../classify/index.js';
import { RAILWAY_CATALOG } from '../../classify/index.js';
import type { GraphqlPlatformName, GraphqlUpstream } from './config.js';
import { RailwayResolver } from './railway-resolver.js';
import type { TargetResolver } from './resolver.js';

/** What a platform's resolver is built from: its upstreams, and what counts as production. */
export interface GraphqlResolverOptions {
  readonly upstreams: Readonly<Record<string, GraphqlUpstream>>;
  readonly productionEnvironments: readonly string[];
  readonly dispatcher: Dispatcher;
}

/**
 * What a GraphQL platform brings, like REST's `platform`: the catalog its operations are judged
 * by, and the resolver that asks its upstreams where targets live.
 */
export interface GraphqlPlatform {
  readonly catalog: GraphqlCatalog;
  createResolver(options: GraphqlResolverOptions): TargetResolver;
}

/** The GraphQL platforms by their config name (`upstreams.NAME.platform`). */
export const GRAPHQL_PLATFORMS: Readonly<Record<GraphqlPlatformName, GraphqlPlatform>> = {
  railway: { catalog: RAILWAY_CATALOG, createResolver: (options) => new RailwayResolver(options) },
};
