import type { ServePartFactory } from './serve-part.js';

/** `airlock serve`'s part for: web inbox, webhooks and the undo window (issue 5). Nothing yet. */
export const inboxServePart: ServePartFactory = async () => undefined;
