export type { AwsSigningKeys, CredentialHeader, RestUpstream } from './config.js';
export { MAX_REST_BODY_BYTES } from './config.js';
export type { RestProxy, RestProxyOptions } from './proxy.js';
export { createRestProxy } from './proxy.js';
export { agentToken } from './read-request.js';
export type { RestAnswer, RestAnswerCode } from './respond.js';
export { REST_HELD_MESSAGE } from './respond.js';
export { NodeSha256 } from './sigv4.js';
