export type {
  CredentialHeader,
  GraphqlPlatformName,
  GraphqlUpstream,
  GraphqlUpstreamConfig,
} from './config.js';
export {
  DEFAULT_RESOLVE_CACHE_MS,
  DEFAULT_RESOLVE_TIMEOUT_MS,
  MAX_REQUEST_BODY_BYTES,
  graphqlUpstreamsOf,
} from './config.js';
export { MAX_KEPT_RESULT_BYTES, runHeldGraphqlRequest, toHeldRequest } from './held-request.js';
export type { GraphqlPlatform, GraphqlResolverOptions } from './platforms.js';
export { GRAPHQL_PLATFORMS } from './platforms.js';
export type { GraphqlProxy, GraphqlProxyOptions } from './proxy.js';
export { createGraphqlProxy, sendAnswer } from './proxy.js';
export type { RailwayResolverOptions } from './railway-resolver.js';
export { RailwayResolver } from './railway-resolver.js';
export type { Placement, TargetResolver, Topology } from './resolver.js';
export type { AgentAnswer, AirlockCode, GraphqlError } from './respond.js';
export { HELD_MESSAGE, badRequestAnswer } from './respond.js';
export type { GraphqlRouteOptions } from './surface.js';
export { GRAPHQL_PREFIX, createGraphqlRoute, graphqlSurface } from './surface.js';
