import type { ServePartFactory } from './serve-part.js';

/** `airlock serve`'s part for: PostgreSQL wire-protocol listeners (issue 6). Nothing yet. */
export const postgresServePart: ServePartFactory = async () => undefined;
