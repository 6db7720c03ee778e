export type { GraphqlCatalog, OperationEntry, TargetLocator } from './graphql-catalog.js';
export { classifyGraphql, classifyGraphqlRequest } from './graphql-classifier.js';
export { parseStrictJson } from './strict-json.js';
