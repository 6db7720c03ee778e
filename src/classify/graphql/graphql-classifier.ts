import { parse, print } from 'graphql';
import type { DocumentNode, FieldNode, OperationTypeNode } from 'graphql';
import type { Action, ClassifiedRequest, Effect, JsonValue, Target } from '../../core/index.js';
import { LruCache, digestRequest, sha256Hex } from '../../core/index.js';
import { createVariableLookup, locateIds } from './argument-values.js';
import type { VariableLookup } from './argument-values.js';
import type { GraphqlCatalog, OperationEntry } from './graphql-catalog.js';
import type { GraphqlParams, RequestProblem } from './graphql-request.js';
import { own, parseGraphqlRequest, problem } from './graphql-request.js';
import { collectRootFields, selectOperation } from './root-fields.js';

/** An action before the request digest is known. */
type ActionDraft = Pick<Action, 'operation' | 'effect' | 'reversible' | 'targets'>;

/** What one element of a request would do, and its canonical form for the digest. */
interface ElementAnalysis {
  readonly canonical: JsonValue;
  readonly drafts: readonly ActionDraft[];
}

// SECURITY: bounds parser work on hostile documents; far above any real Railway query.
const MAX_DOCUMENT_TOKENS = 50_000;

/**
 * Classifies a GraphQL-over-HTTP request (`{ method, contentType, body, query? }`) into one
 * action per root field that would execute, judged by the upstream's catalog. A request the
 * server could read differently from Airlock becomes one `unknown` action. Never throws.
 *
 * @example
 * classifyGraphqlRequest(
 *   { method: 'POST', contentType: 'application/json', body: { query: 'mutation { volumeDelete(volumeId: "v1") }' } },
 *   RAILWAY_CATALOG,
 * ); // [{ operation: 'volumeDelete', effect: 'destructive', targets: [{ type: 'volume', id: 'v1', … }], … }]
 */
export function classifyGraphqlRequest(request: unknown, catalog: GraphqlCatalog): Action[] {
  return [...classifyGraphql(request, catalog).actions];
}

/**
 * The request as `classifyGraphqlRequest` classifies it, with its digest (the canonical
 * documents, or the raw request when one does not parse) and, when every action reads, a reuse
 * key: the digest, since a read's judgment depends on nothing else but where its targets are.
 */
export function classifyGraphql(request: unknown, catalog: GraphqlCatalog): ClassifiedRequest {
  let classified: ClassifiedRequest;
  try {
    classified = classify(request, catalog);
  } catch {
    // SECURITY: a classifier bug on hostile input must still produce a judgeable, blocked action.
    classified = problemRequest(
      catalog,
      problem('invalid-request', 'the request could not be classified'),
      rawDigest(request),
    );
  }
  const { digest, actions } = classified;
  const reads = actions.length > 0 && actions.every((action) => action.effect === 'read');
  return reads ? { digest, actions, reuseKey: digest } : classified;
}

function classify(request: unknown, catalog: GraphqlCatalog): ClassifiedRequest {
  const envelope = parseGraphqlRequest(request);
  if (!envelope.ok) return problemRequest(catalog, envelope.error, rawDigest(request));
  const { method, batch, elements } = envelope.value;
  const analyses = elements.map((element) =>
    element.ok ? analyze(element.value, method, catalog) : undefined,
  );
  const complete = analyses.every(
    (analysis): analysis is ElementAnalysis => analysis !== undefined,
  );
  const digest = complete
    ? digestRequest({
        surface: 'graphql',
        method,
        batch,
        elements: analyses.map((a) => a?.canonical ?? null),
      })
    : rawDigest(request);
  const actions = elements.flatMap((element, index) => {
    const drafts = element.ok ? (analyses[index]?.drafts ?? []) : [problemDraft(element.error)];
    return drafts.map((draft) => toAction(catalog, draft, digest));
  });
  return { digest, actions };
}

function problemRequest(
  catalog: GraphqlCatalog,
  why: RequestProblem,
  digest: string,
): ClassifiedRequest {
  return { digest, actions: [toAction(catalog, problemDraft(why), digest)] };
}

/** Parses and classifies one operation request. */
function analyze(
  params: GraphqlParams,
  method: 'GET' | 'POST',
  catalog: GraphqlCatalog,
): ElementAnalysis {
  const { operationName, variables, extensions } = params;
  let parsed: ParsedDocument;
  try {
    parsed = parseDocument(params.query);
  } catch {
    const canonical = { unparsed: params.query, operationName, variables, extensions } as JsonValue;
    return {
      canonical,
      drafts: [problemDraft(problem('invalid-request', 'the document does not parse'))],
    };
  }
  const canonical = { document: parsed.printed, operationName, variables, extensions } as JsonValue;
  return { canonical, drafts: draftsOf(parsed.document, params, method, catalog) };
}

/** A parsed document and its printed form. Never mutated: cached entries are shared. */
interface ParsedDocument {
  readonly document: DocumentNode;
  /** Printing drops whitespace, commas and comments: they change nothing. */
  readonly printed: string;
}

// Agents repeat the same few documents, and parse + print is most of the classifier's cost. The
// same text always parses to the same tree, so a cache keyed by the exact text changes no
// result. Bounded in entries and in text length; least recently used goes first.
const DOCUMENT_CACHE_ENTRIES = 256;
const DOCUMENT_CACHE_MAX_TEXT = 16 * 1024;
const documentCache = new LruCache<string, ParsedDocument>(DOCUMENT_CACHE_ENTRIES);

/** Parses (or finds) a document; throws if it does not parse. */
function parseDocument(query: string): ParsedDocument {
  const cached = documentCache.get(query);
  if (cached !== undefined) return cached;
  const document = parse(query, { noLocation: true, maxTokens: MAX_DOCUMENT_TOKENS });
  const parsed: ParsedDocument = { document, printed: print(document) };
  if (query.length <= DOCUMENT_CACHE_MAX_TEXT) documentCache.set(query, parsed);
  return parsed;
}

function draftsOf(
  document: DocumentNode,
  params: GraphqlParams,
  method: 'GET' | 'POST',
  catalog: GraphqlCatalog,
): ActionDraft[] {
  const selected = selectOperation(document, params.operationName);
  if (!selected.ok) return [problemDraft(selected.error)];
  const operation = selected.value;
  if (operation.operation === 'subscription') {
    return [problemDraft(problem('subscription', 'subscriptions are refused until proxied'))];
  }
  // SECURITY: GraphQL over HTTP forbids mutations over GET; one arriving so is an evasion attempt.
  if (operation.operation === 'mutation' && method === 'GET') {
    return [problemDraft(problem('mutation-over-get', 'a mutation arrived over GET'))];
  }
  const lookup = createVariableLookup(operation, params.variables);
  const fields = collectRootFields(document, operation, lookup);
  if (!fields.ok) return [problemDraft(fields.error)];
  const drafts = fields.value.flatMap((field) =>
    fieldDraft(field, operation.operation, catalog, lookup),
  );
  if (drafts.length > 0) return drafts;
  // Nothing but `__typename`, or every field skipped: the request reads nothing of note, but an
  // empty action list would be denied as unjudgeable.
  return [{ operation: '__typename', effect: 'read', reversible: true, targets: [] }];
}

/** The action one root field stands for; none for `__typename`. */
function fieldDraft(
  field: FieldNode,
  type: OperationTypeNode,
  catalog: GraphqlCatalog,
  lookup: VariableLookup,
): ActionDraft[] {
  // INVARIANT: the operation is the field's name, never its alias (the alias is caller-chosen).
  const name = field.name.value;
  if (name === '__typename') return [];
  if (type === 'query' && (name === '__schema' || name === '__type')) {
    return [{ operation: name, effect: 'read', reversible: true, targets: [] }];
  }
  // SECURITY: own properties only, so `constructor` or `__proto__` never find a catalog entry.
  const entry = own(catalog[type], name) as OperationEntry | undefined;
  if (entry === undefined) return [unknownField(name, `\`${name}\` is not in the ${type} catalog`)];
  const targets: Target[] = [];
  for (const locator of entry.targets) {
    // A read's optional argument that is not written at all selects nothing: the server reads
    // without it. Writes keep it as an unseen target, since an absent id may mean a default.
    if (entry.effect === 'read' && !writesArgument(field, locator.arg)) continue;
    const located = locateIds(field, locator.arg, lookup);
    if (located.ambiguous)
      return [unknownField(name, `\`${locator.arg}\` is given more than once`)];
    // An id Airlock cannot see (missing or not text) is still a target: it may be anything.
    const ids = located.ids.length > 0 ? located.ids : ['?'];
    for (const id of ids) {
      const attrs =
        located.ids.length > 0 ? { arg: locator.arg } : { arg: locator.arg, unresolved: true };
      targets.push({ type: locator.type, id, attrs });
    }
  }
  return [{ operation: name, effect: entry.effect, reversible: entry.reversible, targets }];
}

function writesArgument(field: FieldNode, path: string): boolean {
  const [first] = path.split('.');
  return (field.arguments ?? []).some((argument) => argument.name.value === first);
}

function unknownField(name: string, reason: string): ActionDraft {
  return {
    operation: name,
    effect: 'unknown',
    reversible: false,
    targets: [{ type: 'graphql-field', id: name, attrs: { reason } }],
  };
}

function problemDraft(found: RequestProblem): ActionDraft {
  const effect: Effect = 'unknown';
  return {
    operation: `graphql:${found.kind}`,
    effect,
    reversible: false,
    targets: [{ type: 'graphql-request', id: found.kind, attrs: { reason: found.reason } }],
  };
}

function toAction(catalog: GraphqlCatalog, draft: ActionDraft, digest: string): Action {
  return { upstream: catalog.upstream, surface: 'graphql', ...draft, digest };
}

// The digest of a request Airlock could not take apart: its raw form, so an approval still
// binds to exactly these bytes. Values with no JSON form fall back to a plain serialization.
function rawDigest(request: unknown): string {
  try {
    return digestRequest({ surface: 'graphql', raw: request });
  } catch {
    let text: string;
    try {
      text = JSON.stringify(request) ?? typeof request;
    } catch {
      text = typeof request;
    }
    return sha256Hex(`graphql:undigestable:${text}`);
  }
}
