import type { Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';
import type { HttpCatalog, HttpCatalogInput } from './catalog-schema.js';
import { CATALOG_METHODS, parseHttpCatalog } from './catalog-schema.js';
import { isRecord } from './request-view.js';

/** A drafted catalog and what the human reviewing it should know. */
export interface OpenApiDraft {
  readonly catalog: HttpCatalog;
  /** Operations left out, with the reason (an unsupported method, a path Airlock cannot template). */
  readonly skipped: readonly string[];
}

/**
 * Drafts a catalog from an OpenAPI 3 document: DELETE is destructive, GET, HEAD and OPTIONS
 * read, every other method a write; each entry is marked `review: true` for a human to check.
 * Targets are the path's last parameter, typed by the segment before it.
 */
export function draftCatalogFromOpenApi(
  document: unknown,
  platform: string,
): Result<OpenApiDraft, string[]> {
  if (!isRecord(document)) return err(['the document is not an object']);
  const version = document['openapi'];
  if (typeof version !== 'string' || !version.startsWith('3.'))
    return err(['`openapi` is not a 3.x version']);
  const paths = document['paths'];
  if (!isRecord(paths)) return err(['the document has no `paths` object']);
  const info = isRecord(document['info']) ? document['info'] : {};
  const endpoints: NonNullable<HttpCatalogInput['endpoints']> = [];
  const skipped: string[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const [key, operation] of Object.entries(item)) {
      const method = key.toUpperCase();
      if (
        !isRecord(operation) ||
        !['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'].includes(method)
      )
        continue;
      if (!(CATALOG_METHODS as readonly string[]).includes(method)) {
        skipped.push(`${method} ${path}: method not classified by Airlock`);
        continue;
      }
      const template = toTemplate(path);
      if (template === undefined) {
        skipped.push(`${method} ${path}: path is not a plain template`);
        continue;
      }
      const effect =
        method === 'DELETE'
          ? 'destructive'
          : ['GET', 'HEAD', 'OPTIONS'].includes(method)
            ? 'read'
            : 'write';
      const operationId =
        typeof operation['operationId'] === 'string'
          ? operation['operationId']
          : `${method} ${path}`;
      const summary = typeof operation['summary'] === 'string' ? operation['summary'] : undefined;
      endpoints.push({
        method: method as (typeof CATALOG_METHODS)[number],
        path: template,
        operation: operationId,
        effect,
        reversible: effect !== 'destructive',
        targets: targetOf(template),
        review: true,
        ...(summary === undefined ? {} : { summary }),
      });
    }
  }
  const servers = Array.isArray(document['servers']) ? document['servers'] : [];
  const hosts = servers.flatMap((server) => hostOf(isRecord(server) ? server['url'] : undefined));
  const parsed = parseHttpCatalog({
    version: 1,
    platform,
    title: `${typeof info['title'] === 'string' ? info['title'] : platform} (drafted from OpenAPI; review every entry)`,
    hosts: [...new Set(hosts)],
    endpoints,
  });
  return parsed.ok ? ok({ catalog: parsed.value, skipped }) : err(parsed.error);
}

// OpenAPI `{param}` segments map one to one; a segment mixing text and a parameter does not.
function toTemplate(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const segments = path
    .split('/')
    .slice(1)
    .map((segment) => {
      if (/^\{[^{}]+\}$/.test(segment))
        return `{${segment
          .slice(1, -1)
          .replace(/[^A-Za-z0-9_]/g, '_')
          .replace(/^(?=[0-9])/, '_')}}`;
      return /[{}]/.test(segment) ? undefined : segment;
    });
  return segments.every((segment) => segment !== undefined) ? `/${segments.join('/')}` : undefined;
}

function targetOf(template: string): { type: string; id: string }[] {
  const segments = template.split('/');
  for (let i = segments.length - 1; i > 0; i--) {
    const segment = segments[i] ?? '';
    if (!segment.startsWith('{')) continue;
    const before = (segments[i - 1] ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    return [{ type: before === '' || before.startsWith('{') ? 'resource' : before, id: segment }];
  }
  return [];
}

function hostOf(url: unknown): string[] {
  if (typeof url !== 'string') return [];
  try {
    const host = new URL(url).host.toLowerCase();
    return /^[a-z0-9.-]+(:\d+)?$/.test(host) ? [host] : [];
  } catch {
    return [];
  }
}
