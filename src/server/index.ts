export type { AdminOperationsOptions, AdminSocket, AdminSocketOptions, PolicyReload } from './admin/index.js';
export { ADMIN_SOCKET_MODE, AdminOperations, removeStaleSocket, startAdminSocket } from './admin/index.js';
export type { TargetResolver } from '../adapters/graphql/index.js';
export type { ApprovalLookup, ApprovalStatusV1 } from './approval-status.js';
export type { Gateway, GatewayOptions, GatewayRoute, GatewayUrls } from './gateway.js';
export { startGateway } from './gateway.js';
export type { InboxOptions } from './inbox/index.js';
export { createInboxRoute } from './inbox/index.js';
