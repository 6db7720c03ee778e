import type { Action, ClassifiedRequest, JsonValue } from '../../core/index.js';
import { digestRequest, sha256Hex } from '../../core/index.js';
import { findRpcOperation, parseAwsHost, rpcEntry } from './aws-request.js';
import type { CatalogEndpoint, HttpCatalog } from './catalog-schema.js';
import type { CompiledEndpoint } from './endpoint-match.js';
import { compileEndpoints, matchEndpoint } from './endpoint-match.js';
import { catalogForHost } from './host-patterns.js';
import { normalizeLiteralPath, normalizeRouterPath } from './normalize-path.js';
import type { ActionDraft } from './refiners.js';
import { refine, unknownDraft } from './refiners.js';
import type { BodyFields, FieldSource } from './request-fields.js';
import { buildTargets, resolveRules, toBodyFields } from './request-fields.js';
import type { HttpRequestView } from './request-view.js';
import { isFormType, isRecord, parseHttpRequest, parseQuery } from './request-view.js';

/** What an HTTP classifier judges with. */
export interface HttpClassifierOptions {
  /** Catalogs chosen by the request's host; earlier ones win. */
  readonly catalogs: readonly HttpCatalog[];
  /** A configured upstream's catalog: it judges a request whose host no catalog names. */
  readonly fallback?: HttpCatalog;
  /** The name actions carry (a configured upstream's name); default the catalog's platform. */
  readonly upstream?: string;
}

/** Classifies one REST request (`{ method, path, headers, body }`); never throws. */
export type HttpClassify = (input: unknown) => Promise<ClassifiedRequest>;

/**
 * Builds the REST classifier: the request is read as the upstream would read it (host, framing,
 * method overrides, path normalization), matched against the catalog of its platform by method
 * and path template, and its body inspected where it carries the operation. What Airlock cannot
 * read the way the upstream would is one `unknown` action; an endpoint the catalog does not list
 * is a read for GET, HEAD and OPTIONS and held otherwise.
 *
 * @example
 * const classify = createHttpClassifier({ catalogs: BUILTIN_CATALOGS });
 * await classify({ method: 'DELETE', path: '/repos/acme/api', headers: { Host: 'api.github.com' }, body: null });
 * // { digest, actions: [{ operation: 'repos/delete', effect: 'destructive', targets: [{ type: 'github-repo', id: 'acme/api' }], … }] }
 */
export function createHttpClassifier(options: HttpClassifierOptions): HttpClassify {
  return async (input) => {
    const digest = requestDigest(input);
    return { digest, actions: await classifyRequest(input, options, digest) };
  };
}

async function classifyRequest(
  input: unknown,
  options: HttpClassifierOptions,
  digest: string,
): Promise<Action[]> {
  let upstream = options.upstream ?? 'http';
  try {
    const parsed = parseHttpRequest(input);
    if (!parsed.ok)
      return [
        toAction(upstream, unknownDraft(`http:${parsed.error.kind}`, parsed.error.reason), digest),
      ];
    const view = parsed.value;
    const catalog = catalogForHost(options.catalogs, view.hostname, view.port) ?? options.fallback;
    if (catalog === undefined) {
      const host = view.port === undefined ? view.hostname : `${view.hostname}:${view.port}`;
      const draft = unknownDraft('http:unknown-host', `no catalog describes \`${host}\``, [
        { type: 'http-host', id: host, attrs: {} },
      ]);
      return [toAction(options.upstream ?? host, draft, digest)];
    }
    upstream = options.upstream ?? catalog.platform;
    const drafts =
      catalog.aws === undefined
        ? await classifyRest(view, catalog, upstream)
        : await classifyAws(view, catalog, upstream);
    return drafts.map((draft) => toAction(upstream, draft, digest));
  } catch {
    // SECURITY: a classifier bug on hostile input must still produce a judgeable, held action.
    return [
      toAction(
        upstream,
        unknownDraft('http:invalid-request', 'the request could not be classified'),
        digest,
      ),
    ];
  }
}

function toAction(upstream: string, draft: ActionDraft, digest: string): Action {
  return { upstream, surface: 'http', ...draft, digest };
}

/** How one set of endpoints reads requests. */
interface EndpointScope {
  readonly endpoints: readonly CatalogEndpoint[];
  readonly style: 'router' | 'literal';
  readonly caseInsensitiveIds: boolean;
  readonly bodyFormat: 'json' | 'form';
  /** Segments the host contributes (an S3 virtual-hosted bucket). */
  readonly leading: readonly string[];
  readonly operationPrefix: string;
  readonly attrs: Readonly<Record<string, JsonValue>>;
  readonly upstream: string;
}

function classifyRest(
  view: HttpRequestView,
  catalog: HttpCatalog,
  upstream: string,
): Promise<ActionDraft[]> {
  return classifyByEndpoints(view, {
    endpoints: catalog.endpoints,
    style: catalog.paths.style,
    caseInsensitiveIds: catalog.paths.caseInsensitiveIds,
    bodyFormat: catalog.bodyFormat,
    leading: [],
    operationPrefix: '',
    attrs: {},
    upstream,
  });
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function classifyByEndpoints(
  view: HttpRequestView,
  scope: EndpointScope,
): Promise<ActionDraft[]> {
  const path =
    scope.style === 'literal'
      ? normalizeLiteralPath(view.rawPath)
      : normalizeRouterPath(view.rawPath);
  if (!path.ok) return [unknownDraft('http:ambiguous-path', path.error)];
  const segments = [...scope.leading, ...path.value.segments];
  const normalized = `/${segments.join('/')}`;
  const match = matchEndpoint(
    compiled(scope.endpoints),
    view.method,
    segments,
    new Set(view.query.map(([name]) => name)),
  );
  if (match === undefined) return [unlistedDraft(view.method, normalized, scope.attrs)];
  const { endpoint, params } = match;
  const source: FieldSource = {
    params,
    query: view.query,
    body: toBodyFields(view, scope.bodyFormat),
  };
  const resolved = resolveRules(endpoint, scope.operationPrefix + endpoint.operation, source);
  if (!resolved.ok)
    return [unknownDraft(scope.operationPrefix + endpoint.operation, resolved.error.reason)];
  const draft: ActionDraft = {
    ...resolved.value,
    targets: buildTargets(endpoint.targets, source, scope.caseInsensitiveIds, scope.attrs),
  };
  // SECURITY: servers differ on resolving `..` (and `%2e%2e`); a write whose path needed it is
  // not trusted to be the endpoint it resolves to. Reads stay reads; destructive stays held.
  if (
    path.value.hadDotSegments &&
    !READ_METHODS.has(view.method) &&
    (draft.effect === 'read' || draft.effect === 'write')
  ) {
    return [
      unknownDraft(
        draft.operation,
        'a write whose path has dot segments may reach another endpoint',
        draft.targets,
      ),
    ];
  }
  if (endpoint.refine === undefined) return [draft];
  return refine(endpoint.refine, { view, source, upstream: scope.upstream, base: draft });
}

/** An endpoint the catalog does not list: reads may pass; every other method is held. */
function unlistedDraft(
  method: string,
  path: string,
  attrs: Readonly<Record<string, JsonValue>>,
): ActionDraft {
  const targets = [{ type: 'http-path', id: path, attrs: { ...attrs, unlisted: true } }];
  if (READ_METHODS.has(method))
    return { operation: `${method} (unlisted)`, effect: 'read', reversible: true, targets };
  if (method === 'DELETE')
    return { operation: 'DELETE (unlisted)', effect: 'destructive', reversible: false, targets };
  return { operation: `${method} (unlisted)`, effect: 'unknown', reversible: false, targets };
}

// Compiled once per endpoint list; catalogs are immutable once loaded.
const COMPILED = new WeakMap<readonly CatalogEndpoint[], CompiledEndpoint[]>();

function compiled(endpoints: readonly CatalogEndpoint[]): CompiledEndpoint[] {
  let found = COMPILED.get(endpoints);
  if (found === undefined) {
    found = compileEndpoints(endpoints);
    COMPILED.set(endpoints, found);
  }
  return found;
}

/**
 * AWS: the service comes from the host; Query (`Action`) and JSON (`X-Amz-Target`) protocol
 * requests are judged by operation, REST services (S3, Lambda) by method and path.
 */
async function classifyAws(
  view: HttpRequestView,
  catalog: HttpCatalog,
  upstream: string,
): Promise<ActionDraft[]> {
  const endpoint = parseAwsHost(view.hostname);
  if (endpoint === undefined)
    return [
      unknownDraft(
        'aws:unknown-endpoint',
        `\`${view.hostname}\` is not an AWS endpoint Airlock knows`,
      ),
    ];
  const services = catalog.aws ?? {};
  const service = Object.hasOwn(services, endpoint.service)
    ? services[endpoint.service]
    : undefined;
  const attrs: Record<string, JsonValue> =
    endpoint.region === undefined ? {} : { region: endpoint.region };
  const prefix = `${endpoint.service}:`;
  if (service?.protocol !== 'rest') {
    const rpc = classifyAwsRpc(view, service, prefix, attrs);
    if (rpc !== undefined) return [rpc];
  }
  return classifyByEndpoints(view, {
    endpoints: service?.endpoints ?? [],
    style: service?.pathStyle ?? catalog.paths.style,
    caseInsensitiveIds: false,
    bodyFormat: 'json',
    leading: endpoint.bucket === undefined ? [] : [endpoint.bucket],
    operationPrefix: prefix,
    attrs,
    upstream,
  });
}

/** An RPC request's action, or undefined when it names no operation (judged as REST then). */
function classifyAwsRpc(
  view: HttpRequestView,
  service: Parameters<typeof rpcEntry>[0],
  prefix: string,
  attrs: Readonly<Record<string, JsonValue>>,
): ActionDraft | undefined {
  const text = view.body.kind === 'text' ? view.body.text : undefined;
  const form = text !== undefined && isFormType(view.contentType) ? parseQuery(text) : [];
  if (form === undefined) return unknownDraft(`${prefix}?`, 'the form body has an invalid escape');
  // SECURITY: an `Action=` body sent as another type: AWS may read it, Airlock cannot.
  if (text !== undefined && !isFormType(view.contentType) && /(^|&)Action=/i.test(text)) {
    return unknownDraft(
      `${prefix}?`,
      `an Action body is sent as \`${view.contentType ?? 'untyped'}\``,
    );
  }
  const params = [...view.query, ...form];
  const operation = findRpcOperation(
    view.headers.get('x-amz-target'),
    params.filter(([name]) => name === 'Action').map(([, value]) => value),
  );
  if (!operation.ok) return unknownDraft(`${prefix}?`, operation.error);
  if (operation.value === undefined) {
    if (service === undefined || READ_METHODS.has(view.method)) return undefined;
    return unknownDraft(`${prefix}?`, 'the request names no operation');
  }
  const { name, protocol } = operation.value;
  const body: BodyFields =
    protocol === 'query' ? { kind: 'form', pairs: params } : toBodyFields(view, 'json');
  if (protocol === 'json' && body.kind === 'unreadable')
    return unknownDraft(prefix + name, body.reason);
  const entry = rpcEntry(service, name);
  const source: FieldSource = { params: {}, query: view.query, body };
  const resolved = resolveRules(entry, prefix + (entry.operation ?? name), source);
  if (!resolved.ok) return unknownDraft(prefix + name, resolved.error.reason);
  const operationName = resolved.value.operation.includes(':')
    ? resolved.value.operation
    : prefix + resolved.value.operation;
  const targets = buildTargets(entry.targets, source, false, attrs);
  if (entry.guessed)
    targets.push({
      type: 'aws-operation',
      id: prefix + name,
      attrs: { ...attrs, uncatalogued: true },
    });
  return { ...resolved.value, operation: operationName, targets };
}

// Headers that differ between two sends of the same request, or carry the agent's credential:
// they stay out of the digest so that an approval binds to what the request does.
const UNDIGESTED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'apikey',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'x-amzn-trace-id',
  'user-agent',
  'x-amz-user-agent',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
  'accept-encoding',
]);

/** SHA-256 of the canonical request: method, host and path as sent, headers that matter, body. */
export function requestDigest(input: unknown): string {
  try {
    if (!isRecord(input))
      return digestRequest({ surface: 'http', raw: (input ?? null) as JsonValue });
    const headers = isRecord(input['headers'])
      ? Object.entries(input['headers'])
          .filter(([name]) => !UNDIGESTED_HEADERS.has(name.toLowerCase()))
          .map(([name, value]) => [name.toLowerCase(), value] as [string, unknown])
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      : [];
    return digestRequest({
      surface: 'http',
      method: input['method'] ?? null,
      path: input['path'] ?? null,
      headers,
      body: input['body'] ?? null,
    });
  } catch {
    let text: string;
    try {
      text = JSON.stringify(input) ?? typeof input;
    } catch {
      text = typeof input;
    }
    return sha256Hex(`http:undigestable:${text}`);
  }
}
