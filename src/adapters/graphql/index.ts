export type { CredentialHeader, GraphqlUpstream } from './config.js';
export { DEFAULT_RESOLVE_CACHE_MS, DEFAULT_RESOLVE_TIMEOUT_MS, MAX_REQUEST_BODY_BYTES } from './config.js';
export type { GraphqlProxy, GraphqlProxyOptions } from './proxy.js';
export { createGraphqlProxy, sendAnswer } from './proxy.js';
export type { RailwayResolverOptions } from './railway-resolver.js';
export { RailwayResolver } from './railway-resolver.js';
export type { Placement, TargetResolver, Topology } from './resolver.js';
export type { AgentAnswer, AirlockCode, GraphqlError } from './respond.js';
export { HELD_MESSAGE, badRequestAnswer } from './respond.js';
