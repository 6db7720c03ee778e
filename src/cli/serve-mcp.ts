import type { ServePartFactory } from './serve-part.js';

/** `airlock serve`'s part for: MCP over Streamable HTTP (issue 8). Nothing yet. */
export const mcpServePart: ServePartFactory = async () => undefined;
