import type { JsonValue, Result } from '../../core/index.js';
import { err, ok, sha256Hex } from '../../core/index.js';
import { parseStrictJson } from './strict-json.js';

/** One GraphQL operation request as a server reads it: the document and what selects and feeds it. */
export interface GraphqlParams {
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: Readonly<Record<string, JsonValue>>;
  readonly extensions: JsonValue | undefined;
}

/** Kinds of reasons Airlock cannot say, or will not allow, what the server would run. */
export type ProblemKind =
  | 'ambiguous-request'
  | 'invalid-request'
  | 'persisted-query'
  | 'subscription'
  | 'mutation-over-get';

/** Why a request (or one element of a batch) is classified `unknown`. */
export interface RequestProblem {
  readonly kind: ProblemKind;
  readonly reason: string;
}

/** A GraphQL-over-HTTP request taken apart: one element, or several for a batched array body. */
export interface GraphqlEnvelope {
  readonly method: 'GET' | 'POST';
  readonly batch: boolean;
  readonly elements: readonly Result<GraphqlParams, RequestProblem>[];
}

/** Builds a problem value. */
export function problem(kind: ProblemKind, reason: string): RequestProblem {
  return { kind, reason };
}

// Keys that name a stored document instead of sending one (GraphQL-over-HTTP, Relay, Meta).
const PERSISTED_KEYS = ['documentId', 'id', 'queryId', 'doc_id'] as const;
// URL parameters a server may read as part of the GraphQL request.
const REQUEST_KEYS = ['query', 'variables', 'operationName', 'extensions', ...PERSISTED_KEYS];

/**
 * Takes a corpus-shaped GraphQL request apart (`{ method, contentType, body, query? }`). A request
 * the server could read differently from Airlock is refused as a whole.
 */
export function parseGraphqlRequest(input: unknown): Result<GraphqlEnvelope, RequestProblem> {
  if (!isRecord(input)) return err(problem('invalid-request', 'the request is not an object'));
  const method = own(input, 'method');
  const url = own(input, 'query') ?? {};
  if (!isRecord(url)) return err(problem('invalid-request', 'url parameters are not an object'));
  const body = own(input, 'body');
  const hasBody = body !== undefined && body !== null && body !== '';
  if (method === 'GET') {
    // SECURITY: some servers read a GET body, others ignore it; both cannot be judged at once.
    if (hasBody) return err(problem('ambiguous-request', 'a GET request carries a body'));
    return single('GET', readParams(url, true));
  }
  if (method !== 'POST')
    return err(problem('invalid-request', `method \`${String(method)}\` is not GET or POST`));
  if (!hasBody) return single('POST', readParams(url, true));
  return parsePostBody(body, own(input, 'contentType'), url);
}

function parsePostBody(
  body: unknown,
  contentType: unknown,
  url: Record<string, unknown>,
): Result<GraphqlEnvelope, RequestProblem> {
  const type =
    typeof contentType === 'string' ? contentType.split(';')[0]?.trim().toLowerCase() : undefined;
  if (type === 'application/graphql') {
    if (typeof body !== 'string')
      return err(problem('invalid-request', 'an application/graphql body is not text'));
    // SECURITY: express-graphql and others let `?query=` override the body; refuse the conflict.
    if (own(url, 'query') !== undefined)
      return err(problem('ambiguous-request', 'both the url and the body carry a query'));
    return single('POST', readParams({ ...pick(url), query: body }, true));
  }
  // SECURITY: a server may sniff a body it was not told the type of; Airlock does not guess.
  if (type !== 'application/json') {
    return err(
      problem(
        'ambiguous-request',
        `content type \`${String(contentType)}\` is not application/json or application/graphql`,
      ),
    );
  }
  const competing = REQUEST_KEYS.filter((key) => own(url, key) !== undefined);
  // SECURITY: servers differ on whether url parameters or the body win; refuse when both speak.
  if (competing.length > 0) {
    return err(
      problem(
        'ambiguous-request',
        `both the url and the body carry request parameters: ${competing.join(', ')}`,
      ),
    );
  }
  let value: unknown = body;
  if (typeof body === 'string') {
    const parsed = parseStrictJson(body);
    if (!parsed.ok) {
      return err(
        parsed.error === 'duplicate-key'
          ? problem('ambiguous-request', 'the json body repeats a key')
          : problem('invalid-request', 'the body is not json'),
      );
    }
    value = parsed.value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return err(problem('invalid-request', 'the batch is empty'));
    const elements = value.map((item) =>
      isRecord(item)
        ? readParams(item, false)
        : err(problem('invalid-request', 'a batch element is not an object')),
    );
    return ok({ method: 'POST', batch: true, elements });
  }
  if (!isRecord(value)) return err(problem('invalid-request', 'the body is not a json object'));
  return single('POST', readParams(value, false));
}

function single(
  method: 'GET' | 'POST',
  element: Result<GraphqlParams, RequestProblem>,
): Result<GraphqlEnvelope, RequestProblem> {
  return ok({ method, batch: false, elements: [element] });
}

/** Reads the request parameters from a body object or from url parameters. */
function readParams(
  source: Record<string, unknown>,
  fromUrl: boolean,
): Result<GraphqlParams, RequestProblem> {
  if (fromUrl) {
    // SECURITY: `?query=a&query=b` is read as the first, the last or a list by different servers.
    const repeated = REQUEST_KEYS.find((key) => Array.isArray(own(source, key)));
    if (repeated !== undefined)
      return err(problem('ambiguous-request', `url parameter \`${repeated}\` is repeated`));
  }
  const query = own(source, 'query');
  const operationName = own(source, 'operationName');
  const variables = readJsonObject(own(source, 'variables'));
  const extensions = readJsonObject(own(source, 'extensions'));
  if (query !== undefined && typeof query !== 'string')
    return err(problem('invalid-request', 'the query is not text'));
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return err(problem('invalid-request', 'the operation name is not text'));
  }
  if (!variables.ok) return err(variables.error);
  if (!extensions.ok) return err(extensions.error);
  const persisted = persistedProblem(source, query, extensions.value);
  if (persisted !== undefined) return err(persisted);
  if (query === undefined) return err(problem('invalid-request', 'the request carries no query'));
  return ok({
    query,
    operationName: typeof operationName === 'string' ? operationName : undefined,
    variables: variables.value ?? {},
    extensions: extensions.value,
  });
}

// SECURITY: a stored document is invisible to Airlock, so a request naming one fails closed;
// with a document beside a hash, the server may run either unless the hash matches it.
function persistedProblem(
  source: Record<string, unknown>,
  query: string | undefined,
  extensions: Record<string, JsonValue> | undefined,
): RequestProblem | undefined {
  const key = PERSISTED_KEYS.find((name) => own(source, name) !== undefined);
  const apq = extensions === undefined ? undefined : own(extensions, 'persistedQuery');
  if (key === undefined && (apq === undefined || apq === null)) return undefined;
  if (query === undefined)
    return problem('persisted-query', 'a persisted query names a document Airlock cannot see');
  if (key !== undefined)
    return problem('ambiguous-request', `the request carries both a query and \`${key}\``);
  const hash = isRecord(apq) ? own(apq, 'sha256Hash') : undefined;
  if (typeof hash === 'string' && hash.toLowerCase() === sha256Hex(query)) return undefined;
  return problem('ambiguous-request', 'the persisted query hash does not match the query');
}

function readJsonObject(
  value: unknown,
): Result<Record<string, JsonValue> | undefined, RequestProblem> {
  if (value === undefined || value === null) return ok(undefined);
  let parsed: unknown = value;
  if (typeof value === 'string') {
    // express-graphql and others accept JSON text here (always so in url parameters).
    const result = parseStrictJson(value);
    if (!result.ok) {
      return err(
        result.error === 'duplicate-key'
          ? problem('ambiguous-request', 'variables or extensions repeat a key')
          : problem('invalid-request', 'variables or extensions are not json'),
      );
    }
    parsed = result.value;
  }
  if (!isRecord(parsed))
    return err(problem('invalid-request', 'variables or extensions are not an object'));
  return ok(parsed as Record<string, JsonValue>);
}

/** The url parameters that feed an application/graphql document. */
function pick(url: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of REQUEST_KEYS) {
    const value = own(url, key);
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

/** Whether a value is a plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property of an object; SECURITY: never one inherited from the prototype (`constructor`). */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
