import { join } from 'node:path';
import { ADMIN_SOCKET_FILE } from '../api/index.js';
import { removeStaleSocket, startAdminSocket } from '../server/index.js';
import { adminOperationsOf } from './admin-operations-of.js';
import { verifyAuditLogOf } from './audit-verify.js';
import type { ServePartFactory } from './serve-part.js';

/** The channel admin changes made through the server are recorded with. */
export const ADMIN_API_CHANNEL = 'admin-api';

/**
 * `airlock serve`'s admin API on `HOME/admin.sock` (mode 0660: the service user and group
 * `airlock`). While the server runs, every CLI command is a client of it; it is the only process
 * that opens the store. Always on: even a home with no upstream has tokens and approvers.
 */
export const adminServePart: ServePartFactory = async ({ loaded, store, reloadPolicy, factorThrottle }) => {
  // The server reads its home: a human in group `airlock` gets the whole check through it.
  const verifyAudit = () => verifyAuditLogOf(loaded, { witnessFiles: [] });
  const operations = adminOperationsOf(loaded, store, { reloadPolicy, channel: ADMIN_API_CHANNEL, factorThrottle, verifyAudit });
  const path = join(loaded.home, ADMIN_SOCKET_FILE);
  // Before any listener starts: a second server on this home is refused, not half started.
  await removeStaleSocket(path);
  return {
    name: 'admin api',
    start: async () => {
      const socket = await startAdminSocket({ path, operations, log: (line) => process.stderr.write(`airlock: ${line}\n`) });
      return { lines: [`admin api: ${path}`], info: { surface: 'admin', socket: path }, close: () => socket.close() };
    },
  };
};
