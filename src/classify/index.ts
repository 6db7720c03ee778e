export type { Classifier } from './classifier.js';
export { CLASSIFIERS, classifierFor } from './classifier.js';
export type {
  HttpCatalog,
  HttpClassifierOptions,
  HttpClassify,
  OpenApiDraft,
} from './http/index.js';
export {
  BUILTIN_CATALOGS,
  createHttpClassifier,
  draftCatalogFromOpenApi,
  parseHttpCatalog,
} from './http/index.js';
export type {
  McpClassifyOptions,
  McpServerProfile,
  McpToolCall,
  McpToolEntry,
  PathFact,
} from './mcp/index.js';
export {
  MCP_CATALOGS,
  classifyMcpCall,
  classifyMcpListing,
  classifyMcpPromptGet,
  classifyMcpResourceRead,
  classifyMcpToolCall,
  digestToolCall,
  pathsToResolve,
  toolNameProblem,
  toolNameSkeleton,
} from './mcp/index.js';
export {
  classifySqlRequest,
  classifySqlText,
  createSqlReuseKeys,
  digestSqlRequest,
  pinnedColumns,
  sqlReuseKey,
  sqlShapeFacts,
} from './sql/index.js';
// The inbox shows a stored body decoded only when it reads one way (no repeated key).
export type { GraphqlCatalog } from './graphql/index.js';
export { classifyGraphql, classifyGraphqlRequest, parseStrictJson } from './graphql/index.js';
export { RAILWAY_CATALOG } from './catalogs/railway-catalog.js';
export type { FileRead, FileReader, GuardSettings, ShellContext } from './shell/index.js';
export {
  classifyShellCommand,
  digestShellCommand,
  shellClassifier,
  SHELL_UPSTREAM,
} from './shell/index.js';
export type { FileToolCall } from './files/index.js';
export { classifyFileTool, digestFileTool } from './files/index.js';
export type { CredentialMatch, CredentialProbe, ProbedCredential } from './secrets/index.js';
export { detectCredentials, withCredentialReads } from './secrets/index.js';
