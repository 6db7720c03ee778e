import { readFileSync } from 'node:fs';
import type { GraphQLSchema, IntrospectionQuery } from 'graphql';
import { buildClientSchema } from 'graphql';

/**
 * Railway's real public schema (an introspection result copied byte for byte from Railway's CLI
 * repository; see `test/upstreams/railway/SOURCE.md`). The stand-in validates every request
 * against it, so an unknown field fails exactly as it would on Railway.
 */
export const RAILWAY_SCHEMA_URL = new URL(
  '../../../test/upstreams/railway/schema.json',
  import.meta.url,
);

let cached: GraphQLSchema | undefined;

/** Loads and builds Railway's schema once per process; building it takes a noticeable moment. */
export function loadRailwaySchema(): GraphQLSchema {
  if (cached === undefined) {
    const json = JSON.parse(readFileSync(RAILWAY_SCHEMA_URL, 'utf8')) as {
      data: IntrospectionQuery;
    };
    cached = buildClientSchema(json.data);
  }
  return cached;
}
