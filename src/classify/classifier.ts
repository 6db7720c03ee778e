import type { Action, SurfaceKind } from '../core/index.js';
import { RAILWAY_CATALOG } from './catalogs/railway-catalog.js';
import { classifyGraphqlRequest } from './graphql/index.js';
import { HTTP_CLASSIFIER } from './http/index.js';
import { MCP_CLASSIFIER } from './mcp/index.js';
import { SHELL_CLASSIFIER } from './shell/index.js';
import { SQL_CLASSIFIER } from './sql/index.js';

/**
 * Turns one request of a surface (corpus input shape, `corpus/README.md`) into normalized
 * actions; never throws for bad input. Parsers that load WebAssembly answer asynchronously.
 * (Adapters call their surface's `ClassifiedRequest` function, which also gives the digest.)
 */
export type Classifier = (input: unknown) => Action[] | Promise<Action[]>;

/** The classifier of every surface (GraphQL judged by the Railway catalog, as in the corpus). */
export const CLASSIFIERS: Readonly<Record<SurfaceKind, Classifier>> = {
  graphql: (input) => classifyGraphqlRequest(input, RAILWAY_CATALOG),
  shell: SHELL_CLASSIFIER,
  sql: SQL_CLASSIFIER,
  http: async (input) => [...(await HTTP_CLASSIFIER(input)).actions],
  mcp: MCP_CLASSIFIER,
};

/** The classifier for a surface. */
export function classifierFor(surface: SurfaceKind): Classifier {
  return CLASSIFIERS[surface];
}
