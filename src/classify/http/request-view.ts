import type { JsonValue, Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';
import { parseStrictJson } from '../graphql/strict-json.js';

/** Why a request is `unknown` before any catalog is consulted. */
export type RequestProblemKind =
  | 'invalid-request'
  | 'ambiguous-framing'
  | 'ambiguous-host'
  | 'ambiguous-header'
  | 'path-override'
  | 'method-override'
  | 'unknown-method'
  | 'ambiguous-path'
  | 'unreadable-body'
  | 'ambiguous-parameter'
  | 'unknown-host'
  | 'unknown-operation';

/** A reason a request is classified `unknown`. */
export interface HttpProblem {
  readonly kind: RequestProblemKind;
  readonly reason: string;
}

/** Builds a problem value. */
export function httpProblem(kind: RequestProblemKind, reason: string): HttpProblem {
  return { kind, reason };
}

/** A request body as Airlock holds it. */
export type RequestBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'json'; readonly value: JsonValue };

/** A REST request taken apart the way the upstream will read it. */
export interface HttpRequestView {
  /** Upper-cased: servers differ on method case, and the dangerous reading must win. */
  readonly method: string;
  /** Lower-case host name without port or trailing dot. */
  readonly hostname: string;
  readonly port: string | undefined;
  /** The path before `?`, exactly as sent. */
  readonly rawPath: string;
  /** Query parameters, decoded, in order; a name may repeat. */
  readonly query: readonly (readonly [string, string])[];
  /** Headers by lower-case name; a header sent with different values is refused earlier. */
  readonly headers: ReadonlyMap<string, string>;
  /** The media type of the body, lower case, without parameters. */
  readonly contentType: string | undefined;
  readonly body: RequestBody;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);

// Headers whose repetition with different values means two servers may read two requests.
const SINGLETON_HEADERS = [
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'x-amz-target',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  'x-forwarded-host',
  'x-host',
  'x-original-host',
  'forwarded',
];
// Headers through which a proxy or framework takes the host from somewhere else.
const ALTERNATE_HOST_HEADERS = [
  'x-forwarded-host',
  'x-host',
  'x-original-host',
  'x-forwarded-server',
];
// IIS, Symfony and some gateways route by these instead of the request line.
const PATH_OVERRIDE_HEADERS = ['x-original-url', 'x-rewrite-url', 'x-override-url'];
/** Headers and parameters through which frameworks let a request claim another method. */
export const METHOD_OVERRIDE_HEADERS = [
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
];

/**
 * Takes a corpus-shaped request (`{ method, path, headers, body }`) apart. Anything two servers
 * could read differently (framing, host, method or path overrides) is refused with its reason.
 */
export function parseHttpRequest(input: unknown): Result<HttpRequestView, HttpProblem> {
  if (!isRecord(input)) return err(httpProblem('invalid-request', 'the request is not an object'));
  const method = input['method'];
  const path = input['path'];
  if (typeof method !== 'string' || !/^[A-Za-z]{1,20}$/.test(method))
    return err(httpProblem('invalid-request', 'the method is not an HTTP method token'));
  if (typeof path !== 'string' || path.length === 0)
    return err(httpProblem('invalid-request', 'the path is not a string'));
  const headers = readHeaders(input['headers']);
  if (!headers.ok) return headers;
  const upper = method.toUpperCase();
  if (!KNOWN_METHODS.has(upper))
    return err(httpProblem('unknown-method', `method \`${method}\` is not one Airlock classifies`));
  const target = splitTarget(path, headers.value);
  if (!target.ok) return target;
  const framing = checkFraming(headers.value, input['body']);
  if (!framing.ok) return framing;
  for (const name of PATH_OVERRIDE_HEADERS) {
    if (headers.value.has(name))
      return err(
        httpProblem('path-override', `\`${name}\` would route the request to another path`),
      );
  }
  const body = readBody(input['body'], headers.value);
  if (!body.ok) return body;
  const view: HttpRequestView = {
    method: upper,
    ...target.value,
    headers: headers.value,
    contentType: mediaType(headers.value.get('content-type')),
    body: body.value,
  };
  const override = findMethodOverride(view);
  if (override !== undefined) return err(override);
  return ok(view);
}

function readHeaders(value: unknown): Result<Map<string, string>, HttpProblem> {
  const headers = new Map<string, string[]>();
  if (value !== undefined && value !== null) {
    if (!isRecord(value)) return err(httpProblem('invalid-request', 'headers are not an object'));
    for (const [name, raw] of Object.entries(value)) {
      const values = Array.isArray(raw) ? raw : [raw];
      if (!values.every((item) => typeof item === 'string' || typeof item === 'number')) {
        return err(httpProblem('invalid-request', `header \`${name}\` is not text`));
      }
      const key = name.toLowerCase();
      headers.set(key, [...(headers.get(key) ?? []), ...values.map(String)]);
    }
  }
  const single = new Map<string, string>();
  for (const [name, values] of headers) {
    const distinct = new Set(values.map((item) => item.trim()));
    // SECURITY: `Host: a` and `host: b` in one request: which one a server takes is its choice.
    if (distinct.size > 1 && SINGLETON_HEADERS.includes(name)) {
      return err(
        httpProblem(
          name === 'host' ? 'ambiguous-host' : 'ambiguous-header',
          `\`${name}\` is sent more than once with different values`,
        ),
      );
    }
    single.set(name, values.map((item) => item.trim()).join(', '));
  }
  return ok(single);
}

interface RequestTarget {
  readonly hostname: string;
  readonly port: string | undefined;
  readonly rawPath: string;
  readonly query: readonly (readonly [string, string])[];
}

function splitTarget(
  path: string,
  headers: ReadonlyMap<string, string>,
): Result<RequestTarget, HttpProblem> {
  let host = headers.get('host');
  let rest = path;
  const absolute = /^https?:\/\/([^/?#]*)(.*)$/i.exec(path);
  if (absolute !== null) {
    // An absolute-form target names its own host; a server takes it over the Host header.
    const named = (absolute[1] ?? '').toLowerCase();
    if (host !== undefined && normalHost(host) !== normalHost(named)) {
      return err(
        httpProblem('ambiguous-host', 'the request line and the Host header name different hosts'),
      );
    }
    host = named;
    rest = absolute[2] === '' ? '/' : (absolute[2] ?? '/');
  }
  if (host === undefined || host === '')
    return err(httpProblem('ambiguous-host', 'the request names no host'));
  const hostValue = normalHost(host);
  for (const name of ALTERNATE_HOST_HEADERS) {
    const other = headers.get(name);
    if (other !== undefined && normalHost(other.split(',')[0] ?? '') !== hostValue) {
      return err(httpProblem('ambiguous-host', `\`${name}\` names another host than \`Host\``));
    }
  }
  const forwarded = /(?:^|[;,\s])host="?([^";,\s]+)/i.exec(headers.get('forwarded') ?? '');
  if (forwarded !== null && normalHost(forwarded[1] ?? '') !== hostValue) {
    return err(httpProblem('ambiguous-host', '`Forwarded` names another host than `Host`'));
  }
  const parsedHost = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::(\d{1,5}))?$/.exec(hostValue);
  if (parsedHost === null)
    return err(httpProblem('ambiguous-host', `host \`${hostValue}\` is not a host name`));
  if (!rest.startsWith('/'))
    return err(httpProblem('ambiguous-path', 'the path does not start with `/`'));
  if (rest.includes('#')) return err(httpProblem('ambiguous-path', 'the path carries a fragment'));
  const mark = rest.indexOf('?');
  const rawPath = mark === -1 ? rest : rest.slice(0, mark);
  const rawQuery = mark === -1 ? '' : rest.slice(mark + 1);
  const query = parseQuery(rawQuery);
  if (query === undefined)
    return err(httpProblem('ambiguous-path', 'the query string has an invalid percent escape'));
  return ok({
    hostname: (parsedHost[1] ?? '').replace(/\.$/, ''),
    port: parsedHost[2],
    rawPath,
    query,
  });
}

function normalHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/\.(?=:\d+$)|\.$/, '');
}

/** Decoded `name=value` pairs in order; undefined when an escape is invalid. */
export function parseQuery(raw: string): [string, string][] | undefined {
  if (raw === '') return [];
  const pairs: [string, string][] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = decodeComponent(equals === -1 ? part : part.slice(0, equals));
    const value = decodeComponent(equals === -1 ? '' : part.slice(equals + 1));
    if (name === undefined || value === undefined) return undefined;
    pairs.push([name, value]);
  }
  return pairs;
}

function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function checkFraming(
  headers: ReadonlyMap<string, string>,
  body: unknown,
): Result<true, HttpProblem> {
  const length = headers.get('content-length');
  const encoding = headers.get('transfer-encoding');
  // SECURITY: with both, a front end and a back end may cut the stream in different places
  // (request smuggling); a second request hidden in the body would never be judged.
  if (length !== undefined && encoding !== undefined) {
    return err(
      httpProblem('ambiguous-framing', 'both Content-Length and Transfer-Encoding are sent'),
    );
  }
  if (encoding !== undefined && encoding.toLowerCase() !== 'chunked') {
    return err(
      httpProblem('ambiguous-framing', `Transfer-Encoding \`${encoding}\` is not plain chunked`),
    );
  }
  if (length !== undefined) {
    if (!/^\d{1,15}$/.test(length))
      return err(httpProblem('ambiguous-framing', 'Content-Length is not one decimal number'));
    if (typeof body === 'string' && Buffer.byteLength(body, 'utf8') !== Number(length)) {
      return err(httpProblem('ambiguous-framing', 'Content-Length does not match the body'));
    }
  }
  return ok(true);
}

/** The lower-case media type of a Content-Type value, without parameters. */
export function mediaType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const type = (value.split(';')[0] ?? '').trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** Whether a media type is JSON (`application/json`, `…+json`, AWS's `x-amz-json-1.0`). */
export function isJsonType(type: string | undefined): boolean {
  return (
    type !== undefined &&
    (type === 'application/json' ||
      type.endsWith('+json') ||
      /^application\/x-amz-json-1\.[01]$/.test(type))
  );
}

/** Whether a media type is an HTML form. */
export function isFormType(type: string | undefined): boolean {
  return type === 'application/x-www-form-urlencoded';
}

function readBody(
  body: unknown,
  headers: ReadonlyMap<string, string>,
): Result<RequestBody, HttpProblem> {
  if (body === undefined || body === null || body === '') return ok({ kind: 'none' });
  const type = mediaType(headers.get('content-type'));
  if (typeof body === 'string') {
    if (!isJsonType(type)) return ok({ kind: 'text', text: body });
    const parsed = parseStrictJson(body);
    // SECURITY: parsers disagree on which duplicate key wins; such a body means two requests.
    if (!parsed.ok)
      return err(
        httpProblem(
          'unreadable-body',
          parsed.error === 'duplicate-key'
            ? 'the JSON body repeats a key'
            : 'the body is not valid JSON',
        ),
      );
    return ok({ kind: 'json', value: parsed.value });
  }
  // The corpus gives a JSON body as a value; it is JSON only if the request says so (or nothing).
  if (type !== undefined && !isJsonType(type)) {
    return err(httpProblem('unreadable-body', `a JSON body is sent as \`${type}\``));
  }
  return ok({ kind: 'json', value: body as JsonValue });
}

/** A method override the upstream's framework may honour, if the request carries one. */
function findMethodOverride(view: HttpRequestView): HttpProblem | undefined {
  const claims: string[] = [];
  for (const name of METHOD_OVERRIDE_HEADERS) {
    const value = view.headers.get(name);
    if (value !== undefined) claims.push(value);
  }
  for (const [name, value] of view.query) if (name.toLowerCase() === '_method') claims.push(value);
  if (view.body.kind === 'text' && isFormType(view.contentType)) {
    for (const [name, value] of parseQuery(view.body.text) ?? [['_method', '?']])
      if (name.toLowerCase() === '_method') claims.push(value);
  }
  if (view.body.kind === 'text' && /name\s*=\s*"?_method/i.test(view.body.text)) claims.push('?');
  // Laravel reads `_method` from any input, JSON bodies included.
  if (
    view.body.kind === 'json' &&
    isRecord(view.body.value) &&
    Object.hasOwn(view.body.value, '_method')
  )
    claims.push(String(view.body.value['_method']));
  const other = claims.find((claim) => claim.trim().toUpperCase() !== view.method);
  // SECURITY: a framework that honours the override runs another method than the request line
  // says; whether the upstream does is unknowable here, so the request is not judged as sent.
  return other === undefined
    ? undefined
    : httpProblem(
        'method-override',
        `the request asks to be run as \`${other.trim()}\` instead of ${view.method}`,
      );
}

/** Whether a value is a plain object (not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
