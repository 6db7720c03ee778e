export type { AdminOperationsOptions, PolicyReload } from './admin-operations.js';
export { AdminOperations } from './admin-operations.js';
export type { AdminSocket, AdminSocketOptions } from './admin-socket.js';
export { ADMIN_SOCKET_MODE, removeStaleSocket, startAdminSocket } from './admin-socket.js';
