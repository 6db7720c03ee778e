import { z } from 'zod';
import type { Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';

// A catalog is data a user can write or extend: every shape here is strict, so a misspelt key
// is refused instead of silently meaning nothing.

const effect = z.enum(['read', 'write', 'execute', 'destructive', 'unknown']);

/** The methods a catalog may name; anything else an agent sends is `unknown`. */
export const CATALOG_METHODS = [
  'GET',
  'HEAD',
  'OPTIONS',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
] as const;

// `{name}` one segment, `{name+}` the rest of the path, `{name:regex}` one segment matching regex.
const PATH_TEMPLATE = /^(\/([^{}/]+|\{[A-Za-z_][A-Za-z0-9_]*(\+|:[^/]+)?\}))*\/?$/;

// A field reference: a path parameter, `query.NAME`, or `body.a.b` (a JSON path, or a form name).
const FIELD = /^([A-Za-z_][A-Za-z0-9_]*|query\.[^{}\s]+|body\.[^{}\s]+)$/;

const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Who or what an action touches: `id` is a template over fields, e.g. `{owner}/{repo}`. */
const targetSpec = z.strictObject({
  type: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'target types are lowercase words joined by dashes'),
  id: z
    .string()
    .min(1)
    .refine(
      (id) => [...id.matchAll(/\{([^}]*)\}/g)].every((m) => FIELD.test(m[1] ?? '')),
      'every `{…}` in an id names a path parameter, `query.NAME` or `body.PATH`',
    ),
});

/** A condition on one field of the request. Exactly one of `equals`, `oneOf`, `present`. */
const condition = z
  .strictObject({
    field: z.string().regex(FIELD, 'a field is a path parameter, `query.NAME` or `body.PATH`'),
    equals: jsonScalar.optional(),
    oneOf: z.array(jsonScalar).min(1).optional(),
    present: z.boolean().optional(),
  })
  .refine(
    (c) =>
      [
        c.equals !== undefined || 'equals' in c,
        c.oneOf !== undefined,
        c.present !== undefined,
      ].filter(Boolean).length === 1,
    {
      message: 'a condition has exactly one of `equals`, `oneOf`, `present`',
    },
  );

/** Overrides an endpoint's classification when its condition holds; the first that holds wins. */
const rule = z.strictObject({
  when: condition,
  effect,
  reversible: z.boolean().optional(),
  operation: z.string().min(1).optional(),
});

/** Code that finishes the classification of an endpoint whose meaning data cannot express. */
export const REFINERS = [
  'postgrest-filter',
  's3-delete-objects',
  'graphql-railway',
  'graphql-queries',
  'sql-query',
] as const;

const classification = {
  operation: z.string().min(1),
  effect,
  reversible: z.boolean(),
  targets: z.array(targetSpec).default([]),
  rules: z.array(rule).default([]),
  refine: z.enum(REFINERS).optional(),
  /** Set on drafts (`airlock catalog import openapi`): a human has not checked this entry yet. */
  review: z.boolean().optional(),
  summary: z.string().optional(),
};

/** One REST endpoint: method, path template, optional required query parameters, meaning. */
const endpoint = z.strictObject({
  method: z.enum(CATALOG_METHODS),
  path: z.string().regex(PATH_TEMPLATE, 'a path template is `/literal/{param}/{rest+}`'),
  /** Query parameters that must be present for this entry to match (S3's `?delete`, …). */
  query: z.array(z.string().min(1)).optional(),
  ...classification,
});

/** One operation of an AWS RPC service (Query protocol `Action`, JSON protocol `X-Amz-Target`). */
const rpcOperation = z.strictObject({ ...classification, operation: z.string().min(1).optional() });

/** How one AWS service is reached: its wire protocol and what it offers. */
const awsService = z.strictObject({
  protocol: z.enum(['query', 'json', 'rest']),
  /** How this service reads paths, when it differs from the catalog's (S3 keys are literal). */
  pathStyle: z.enum(['router', 'literal']).optional(),
  operations: z.record(z.string().regex(/^[A-Z][A-Za-z0-9]*$/), rpcOperation).default({}),
  endpoints: z.array(endpoint).default([]),
});

/** How the upstream reads paths. */
const pathRules = z.strictObject({
  /**
   * `router`: a web framework routes the path (percent-decoding, dot segments, duplicate
   * slashes collapsed, trailing slash ignored). `literal`: segments are names kept byte for byte
   * (S3 keys).
   */
  style: z.enum(['router', 'literal']).default('router'),
  /** Ids are case-insensitive (GitHub owners and repositories): targets are lowercased. */
  caseInsensitiveIds: z.boolean().default(false),
});

// `api.github.com`, `*.supabase.co`, `*:9200` (any host on that port).
const hostPattern = z
  .string()
  .regex(
    /^(\*\.)?[a-z0-9_*][a-z0-9_.*-]*(:\d+)?$|^\*:\d+$/,
    'a host pattern is `host`, `*.domain` or `*:port`',
  );

/** A catalog of one platform's REST API, as users write it. */
export const httpCatalogSchema = z.strictObject({
  version: z.literal(1),
  /** Short name: the upstream actions name in `airlock check`, e.g. `github`. */
  platform: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: z.string().min(1),
  hosts: z.array(hostPattern).default([]),
  paths: pathRules.prefault({}),
  /** How request bodies are encoded when they carry the operation. */
  bodyFormat: z.enum(['json', 'form']).default('json'),
  endpoints: z.array(endpoint).default([]),
  /** AWS only: services by endpoint prefix (`rds`, `s3`, `dynamodb`, …). */
  aws: z.record(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/), awsService).optional(),
});

/** A validated catalog. */
export type HttpCatalog = z.output<typeof httpCatalogSchema>;
/** A catalog as written (defaults not filled in). */
export type HttpCatalogInput = z.input<typeof httpCatalogSchema>;
/** One endpoint of a catalog. */
export type CatalogEndpoint = HttpCatalog['endpoints'][number];
/** What an endpoint or RPC operation means. */
export type CatalogClassification = Omit<
  CatalogEndpoint,
  'method' | 'path' | 'query' | 'operation'
> & { readonly operation?: string | undefined };
/** A rule of an entry. */
export type CatalogRule = CatalogEndpoint['rules'][number];
/** A target template of an entry. */
export type CatalogTarget = CatalogEndpoint['targets'][number];
/** One AWS service's entry. */
export type AwsServiceCatalog = NonNullable<HttpCatalog['aws']>[string];
/** The name of a refiner. */
export type RefinerName = (typeof REFINERS)[number];

/**
 * Checks untrusted catalog data (a parsed JSON or YAML file). Errors name the field:
 * `endpoints.3.path: a path template is …`.
 */
export function parseHttpCatalog(data: unknown): Result<HttpCatalog, string[]> {
  const parsed = httpCatalogSchema.safeParse(data);
  if (!parsed.success) {
    return err(
      parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(catalog)'}: ${issue.message}`,
      ),
    );
  }
  const problems = [...templateProblems(parsed.data)];
  return problems.length > 0 ? err(problems) : ok(parsed.data);
}

// Checks zod cannot express: a `{name:regex}` must compile, a greedy parameter must come last,
// and a target or rule must name only parameters its path has.
function* templateProblems(catalog: HttpCatalog): Generator<string> {
  const lists: [string, readonly CatalogEndpoint[]][] = [['endpoints', catalog.endpoints]];
  for (const [name, service] of Object.entries(catalog.aws ?? {}))
    lists.push([`aws.${name}.endpoints`, service.endpoints]);
  for (const [where, endpoints] of lists) {
    for (const [index, entry] of endpoints.entries()) {
      const params = new Set<string>();
      const segments = entry.path.split('/').slice(1);
      for (const [position, segment] of segments.entries()) {
        const param = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+|:(.+))?\}$/.exec(segment);
        if (param === null) continue;
        params.add(param[1] ?? '');
        if (param[2] === '+' && position !== segments.length - 1)
          yield `${where}.${index}.path: \`{${param[1]}+}\` must be the last segment`;
        if (param[3] !== undefined && !compiles(param[3]))
          yield `${where}.${index}.path: \`${param[3]}\` is not a regular expression`;
      }
      const fields = [
        ...entry.targets.flatMap((t) => [...t.id.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '')),
        ...entry.rules.map((r) => r.when.field),
      ];
      for (const field of fields) {
        if (!field.includes('.') && !params.has(field))
          yield `${where}.${index}: \`${field}\` is not a parameter of \`${entry.path}\``;
      }
    }
  }
}

function compiles(source: string): boolean {
  try {
    new RegExp(`^(?:${source})$`);
    return true;
  } catch {
    return false;
  }
}
