import { Kind, parse } from 'graphql';
import type { Action, JsonValue, Target } from '../../core/index.js';
import { RAILWAY_CATALOG } from '../catalogs/railway-catalog.js';
import { classifyGraphqlRequest } from '../graphql/index.js';
import { classifySqlText } from '../sql/index.js';
import type { RefinerName } from './catalog-schema.js';
import type { FieldSource } from './request-fields.js';
import type { HttpRequestView } from './request-view.js';
import { isRecord } from './request-view.js';

/** An action before the request digest and upstream are set. */
export type ActionDraft = Pick<Action, 'operation' | 'effect' | 'reversible' | 'targets'>;

/** What a refiner sees: the request, its fields, and the entry's own classification. */
export interface RefineContext {
  readonly view: HttpRequestView;
  readonly source: FieldSource;
  readonly upstream: string;
  readonly base: ActionDraft;
}

/** Finishes the classification of an entry whose meaning lives where data rules cannot reach. */
export async function refine(name: RefinerName, context: RefineContext): Promise<ActionDraft[]> {
  switch (name) {
    case 'postgrest-filter':
      return [postgrestFilter(context)];
    case 's3-delete-objects':
      return [s3DeleteObjects(context)];
    case 'graphql-railway':
      return graphqlRailway(context);
    case 'graphql-queries':
      return [graphqlQueries(context)];
    case 'sql-query':
      return sqlQuery(context);
  }
}

/** Unknown, with the reason in the target. */
export function unknownDraft(
  operation: string,
  reason: string,
  targets: readonly Target[] = [],
): ActionDraft {
  return {
    operation,
    effect: 'unknown',
    reversible: false,
    targets: [...targets, { type: 'http-request', id: operation, attrs: { reason } }],
  };
}

// PostgREST parameters that shape the answer rather than choose rows.
const POSTGREST_RESERVED = new Set([
  'select',
  'order',
  'limit',
  'offset',
  'on_conflict',
  'columns',
  'count',
]);

/**
 * PostgREST: a DELETE or PATCH with no row filter touches every row of the table; one bounded
 * by equality filters (`id=eq.42`, `id=in.(1,2)`) is an ordinary write. Ranges, negations and
 * `or`/`and` trees can match anything, so they stay destructive.
 */
function postgrestFilter({ view, base }: RefineContext): ActionDraft {
  if (view.method !== 'DELETE' && view.method !== 'PATCH') return base;
  const filters = view.query.filter(([name]) => !POSTGREST_RESERVED.has(name));
  if (filters.length === 0) {
    return {
      ...base,
      operation: `${base.operation}-all-rows`,
      effect: 'destructive',
      reversible: false,
    };
  }
  const bounded = filters.every(
    ([name, value]) => !/^(or|and|not\.or|not\.and)$/.test(name) && /^(eq\.|in\.\()/.test(value),
  );
  return bounded
    ? { ...base, effect: 'write' }
    : { ...base, effect: 'destructive', reversible: false };
}

const MAX_KEYS = 1000;

/** S3 DeleteObjects: one target per `<Key>` of the XML body; an unreadable body leaves `?`. */
function s3DeleteObjects({ view, base, source }: RefineContext): ActionDraft {
  const bucket = source.params['bucket'] ?? '?';
  const text = view.body.kind === 'text' ? view.body.text : '';
  const keys = [
    ...text.matchAll(/<(?:[A-Za-z0-9]+:)?Key>([\s\S]*?)<\/(?:[A-Za-z0-9]+:)?Key>/g),
  ].map((m) => decodeXml(m[1] ?? ''));
  const objects: Target[] = keys
    .slice(0, MAX_KEYS)
    .map((key) => ({ type: 's3-object', id: `${bucket}/${key}`, attrs: {} }));
  if (objects.length === 0)
    objects.push({ type: 's3-object', id: `${bucket}/?`, attrs: { unresolved: true } });
  return { ...base, targets: [...base.targets, ...objects] };
}

function decodeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_all, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return named[entity.toLowerCase()] ?? '';
  });
}

/** GraphQL over HTTP to Railway: judged by the GraphQL classifier and the Railway catalog. */
function graphqlRailway({ view }: RefineContext): ActionDraft[] {
  if (view.method !== 'GET' && view.method !== 'POST')
    return [unknownDraft('graphql', 'GraphQL is served over GET and POST only')];
  const body =
    view.body.kind === 'json'
      ? view.body.value
      : view.body.kind === 'text'
        ? view.body.text
        : undefined;
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of view.query) {
    const seen = Object.hasOwn(query, name) ? query[name] : undefined;
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const input = {
    method: view.method,
    contentType: view.headers.get('content-type') ?? null,
    ...(body === undefined ? {} : { body }),
    query,
  };
  return classifyGraphqlRequest(input, RAILWAY_CATALOG).map(
    ({ operation, effect, reversible, targets }) => ({ operation, effect, reversible, targets }),
  );
}

/**
 * GraphQL to an API without a GraphQL catalog (GitHub): a document that only queries is a read;
 * a mutation, a subscription or anything that does not parse is unknown.
 */
function graphqlQueries({ view, base }: RefineContext): ActionDraft {
  const bodies =
    view.body.kind === 'json'
      ? Array.isArray(view.body.value)
        ? view.body.value
        : [view.body.value]
      : [];
  if (bodies.length === 0) return unknownDraft('graphql', 'the GraphQL request has no JSON body');
  for (const item of bodies) {
    const query = isRecord(item) ? item['query'] : undefined;
    if (typeof query !== 'string')
      return unknownDraft('graphql', 'the GraphQL request has no query text');
    try {
      const document = parse(query, { noLocation: true, maxTokens: 50_000 });
      const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      if (
        operations.length === 0 ||
        operations.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation !== 'query')
      ) {
        return unknownDraft('graphql', 'the document is not only queries');
      }
    } catch {
      return unknownDraft('graphql', 'the GraphQL document does not parse');
    }
  }
  return { ...base, operation: 'graphql.query', effect: 'read', reversible: true };
}

/** SQL sent in a JSON body's `query` (Supabase's database/query): judged by the SQL classifier. */
async function sqlQuery({ view, base, upstream }: RefineContext): Promise<ActionDraft[]> {
  const body: JsonValue | undefined = view.body.kind === 'json' ? view.body.value : undefined;
  const sql = isRecord(body) ? body['query'] : undefined;
  if (typeof sql !== 'string')
    return [unknownDraft(base.operation, 'the body has no SQL `query` text', base.targets)];
  const actions = await classifySqlText(sql, upstream);
  if (actions.length === 0)
    return [unknownDraft(base.operation, 'the SQL classifier found no statement', base.targets)];
  return actions.map((action) => ({
    operation: `${base.operation}:${action.operation}`,
    effect: action.effect,
    reversible: action.reversible,
    targets: [...base.targets, ...action.targets],
  }));
}
