import { join } from 'node:path';
import { ADMIN_SOCKET_FILE } from '../../api/index.js';
import { removeStaleSocket, startAdminSocket } from '../admin/index.js';
import type { ServePartFactory } from './serve-part.js';

/**
 * `airlock serve`'s admin API on `HOME/admin.sock` (mode 0660: the service user and group
 * `airlock`). While the server runs, every CLI command is a client of it; it is the only process
 * that opens the store. Always on: even a home with no upstream has tokens and approvers.
 */
export const adminServePart: ServePartFactory = async ({
  loaded,
  adminOperations: operations,
  warn,
}) => {
  const path = join(loaded.home, ADMIN_SOCKET_FILE);
  // Before any listener starts: a second server on this home is refused, not half started.
  await removeStaleSocket(path);
  return {
    name: 'admin api',
    start: async () => {
      const socket = await startAdminSocket({ path, operations, log: warn });
      return {
        lines: [`admin api: ${path}`],
        info: { surface: 'admin', socket: path },
        close: () => socket.close(),
      };
    },
  };
};
