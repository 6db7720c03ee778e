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
 */
export type Classifier = (input: unknown) => Action[] | Promise<Action[]>;

/**
 * The classifiers that exist so far, by surface. A surface without one is judged `deny` with
 * reason "no adapter": what Airlock cannot understand is never allowed.
 */
export const CLASSIFIERS: Partial<Record<SurfaceKind, Classifier>> = {
  graphql: (input) => classifyGraphqlRequest(input, RAILWAY_CATALOG),
  ...(SHELL_CLASSIFIER === undefined ? {} : { shell: SHELL_CLASSIFIER }),
  ...(SQL_CLASSIFIER === undefined ? {} : { sql: SQL_CLASSIFIER }),
  ...(HTTP_CLASSIFIER === undefined ? {} : { http: HTTP_CLASSIFIER }),
  ...(MCP_CLASSIFIER === undefined ? {} : { mcp: MCP_CLASSIFIER }),
};

/** The classifier for a surface, if one exists. */
export function classifierFor(surface: SurfaceKind): Classifier | undefined {
  return CLASSIFIERS[surface];
}
