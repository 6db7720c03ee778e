export type {
  AdminOperationsOptions,
  AdminSocket,
  AdminSocketOptions,
  PolicyReload,
} from './admin/index.js';
export {
  ADMIN_SOCKET_MODE,
  AdminOperations,
  removeStaleSocket,
  startAdminSocket,
} from './admin/index.js';
export type { ApprovalLookup, ApprovalStatusV1 } from './approval-status.js';
export type { Gateway, GatewayOptions, GatewayRoute, GatewayUrls } from './gateway.js';
export { startGateway } from './gateway.js';
export { sendJson } from './json-answer.js';
export type { InboxOptions, PasskeyCredentialV1, PasskeyStore } from './inbox/index.js';
export { FilePasskeyStore, MemoryPasskeyStore, createInboxRoute } from './inbox/index.js';
export type { TlsIdentity } from './listener.js';
export type { RouteListener, RouteListenerOptions } from './route-listener.js';
export { startRouteListener } from './route-listener.js';
export type { BoundaryFlags } from './boundary.js';
export {
  DEV_MODE_BANNER,
  boundaryProblemsOf,
  credentialFilesOf,
  enforceBoundary,
  statePathsOf,
  vaultDirsOf,
} from './boundary.js';
export { AUDIT_CHECKPOINTS_FILE } from './parts/checkpoints-part.js';
export { webhookEndpointsOf } from './parts/approvals-part.js';
export { PASSKEYS_FILE_NAME } from './parts/inbox-part.js';
export {
  approvalRulesOf,
  approvalServiceOf,
  createFirewall,
  createGrantService,
  decideOptionsOf,
} from './services.js';
export type { RunningServer, ServerOptions } from './start-server.js';
export { startServer, surfaceSettingsOf, validateSurfaces } from './start-server.js';
export type { ServedSurface, ValidatedSurface } from './surfaces.js';
export type { TlsFlags } from './tls-identity.js';
export { tlsIdentityOf } from './tls-identity.js';
