import type { ServePartFactory } from './serve-part.js';

/** `airlock serve`'s part for: REST upstreams (issue 9). Nothing yet. */
export const restServePart: ServePartFactory = async () => undefined;
