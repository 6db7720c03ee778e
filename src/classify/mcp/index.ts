import type { Classifier } from '../classifier.js';
import { classifyMcpToolCall } from './mcp-classifier.js';

export type {
  ArgumentRole,
  McpCatalog,
  McpServerProfile,
  McpToolEntry,
  PathFact,
} from './mcp-catalog.js';
export type { McpClassifyOptions, McpToolAnnotations, McpToolCall } from './mcp-classifier.js';
export {
  classifyMcpCall,
  classifyMcpToolCall,
  digestToolCall,
  pathsToResolve,
} from './mcp-classifier.js';
export {
  classifyMcpListing,
  classifyMcpPromptGet,
  classifyMcpResourceRead,
} from './mcp-requests.js';
export { inspectPath } from './path-check.js';
export { MCP_CATALOGS, builtinProfileFor } from './server-profiles.js';
export {
  isPortableToolName,
  toCatalogKey,
  toolNameProblem,
  toolNameSkeleton,
} from './tool-name.js';

/**
 * The mcp surface's classifier (corpus input shape `{server, tool, arguments, annotations}`),
 * judged by the shipped catalog named like the server. Agent hooks use it for MCP calls too.
 */
export const MCP_CLASSIFIER: Classifier = (input) => classifyMcpToolCall(input);
