import type { CatalogEndpoint } from './catalog-schema.js';

/** One segment of a path template. */
type TemplateSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string; readonly pattern: RegExp | undefined }
  | { readonly kind: 'rest'; readonly name: string };

/** An endpoint with its template compiled. */
export interface CompiledEndpoint {
  readonly endpoint: CatalogEndpoint;
  readonly segments: readonly TemplateSegment[];
}

/** A matched endpoint and the values of its path parameters. */
export interface EndpointMatch {
  readonly endpoint: CatalogEndpoint;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Compiles endpoints, most specific first: an entry that needs query parameters before one that
 * does not, then a literal segment before a constrained parameter before a free one before a
 * rest parameter, so that `/v1/customers/search` wins over `/v1/customers/{id}`.
 */
export function compileEndpoints(endpoints: readonly CatalogEndpoint[]): CompiledEndpoint[] {
  const compiled = endpoints.map((endpoint) => ({
    endpoint,
    segments: compileTemplate(endpoint.path),
  }));
  return compiled.sort(compareSpecificity);
}

function compileTemplate(path: string): TemplateSegment[] {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment): TemplateSegment => {
      const param = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+|:(.+))?\}$/.exec(segment);
      if (param === null) return { kind: 'literal', text: segment.toLowerCase() };
      if (param[2] === '+') return { kind: 'rest', name: param[1] ?? '' };
      const pattern = param[3] === undefined ? undefined : new RegExp(`^(?:${param[3]})$`, 'i');
      return { kind: 'param', name: param[1] ?? '', pattern };
    });
}

const RANK = { literal: 3, constrained: 2, param: 1, rest: 0 } as const;

function rankOf(segment: TemplateSegment | undefined): number {
  if (segment === undefined) return -1;
  if (segment.kind === 'param')
    return segment.pattern === undefined ? RANK.param : RANK.constrained;
  return RANK[segment.kind];
}

function compareSpecificity(a: CompiledEndpoint, b: CompiledEndpoint): number {
  const queries = (b.endpoint.query?.length ?? 0) - (a.endpoint.query?.length ?? 0);
  if (queries !== 0) return queries;
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const diff = rankOf(b.segments[i]) - rankOf(a.segments[i]);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * The most specific endpoint for a method and normalized path. Literal segments match without
 * regard to case: a match can only make Airlock see the operation a case-insensitive router
 * would run, never hide one.
 */
export function matchEndpoint(
  compiled: readonly CompiledEndpoint[],
  method: string,
  segments: readonly string[],
  queryNames: ReadonlySet<string>,
): EndpointMatch | undefined {
  for (const candidate of compiled) {
    if (candidate.endpoint.method !== method) continue;
    if (!(candidate.endpoint.query ?? []).every((name) => queryNames.has(name))) continue;
    const params = matchSegments(candidate.segments, segments);
    if (params !== undefined) return { endpoint: candidate.endpoint, params };
  }
  return undefined;
}

function matchSegments(
  template: readonly TemplateSegment[],
  segments: readonly string[],
): Record<string, string> | undefined {
  // No prototype: a parameter named `__proto__` stays data.
  const params = Object.create(null) as Record<string, string>;
  for (let i = 0; i < template.length; i++) {
    const part = template[i] as TemplateSegment;
    const segment = segments[i];
    if (part.kind === 'rest') {
      if (i >= segments.length) return undefined;
      params[part.name] = segments.slice(i).join('/');
      return params;
    }
    if (segment === undefined) return undefined;
    if (part.kind === 'literal') {
      if (segment.toLowerCase() !== part.text) return undefined;
      continue;
    }
    if (segment === '' || (part.pattern !== undefined && !part.pattern.test(segment)))
      return undefined;
    params[part.name] = segment;
  }
  return template.length === segments.length ? params : undefined;
}
