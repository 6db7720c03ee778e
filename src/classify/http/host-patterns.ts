import type { HttpCatalog } from './catalog-schema.js';

/**
 * Whether a catalog host pattern names a host: `api.github.com` (any port), `*.supabase.co`
 * (one or more labels in front), `es.*` (anything after), `*:9200` (any host on that port).
 */
export function hostMatches(pattern: string, hostname: string, port: string | undefined): boolean {
  const colon = pattern.lastIndexOf(':');
  const hostPart = colon === -1 ? pattern : pattern.slice(0, colon);
  const portPart = colon === -1 ? undefined : pattern.slice(colon + 1);
  if (portPart !== undefined && portPart !== port) return false;
  const source = hostPart
    .split('*')
    .map((piece) => piece.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
    .join('[a-z0-9_.-]+');
  return new RegExp(`^${source}$`).test(hostname);
}

/** The first catalog that names the host; earlier catalogs (a user's) win over later ones. */
export function catalogForHost(
  catalogs: readonly HttpCatalog[],
  hostname: string,
  port: string | undefined,
): HttpCatalog | undefined {
  return catalogs.find((catalog) =>
    catalog.hosts.some((pattern) => hostMatches(pattern, hostname, port)),
  );
}
