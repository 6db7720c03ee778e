import type { Classifier } from '../classifier.js';

/** The mcp surface's classifier (corpus input shape); undefined until it is built. */
export const MCP_CLASSIFIER: Classifier | undefined = undefined;
