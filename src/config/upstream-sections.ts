import type { Config } from './schema.js';

/** One section of the config's `upstreams`. */
export type UpstreamConfig = Config['upstreams'][string];

/** The kinds of upstream the config knows: `graphql`, `http`, `postgres`, `mcp`. */
export type UpstreamKind = UpstreamConfig['kind'];

/** The section of an upstream of one kind. */
export type UpstreamOf<K extends UpstreamKind> = Extract<UpstreamConfig, { kind: K }>;

/** The config's upstreams of one kind, by name: the section a surface validates. */
export function upstreamSections<K extends UpstreamKind>(
  config: Config,
  kind: K,
): Record<string, UpstreamOf<K>> {
  const sections: Record<string, UpstreamOf<K>> = {};
  for (const [name, upstream] of Object.entries(config.upstreams)) {
    if (isOfKind(upstream, kind)) sections[name] = upstream;
  }
  return sections;
}

function isOfKind<K extends UpstreamKind>(
  upstream: UpstreamConfig,
  kind: K,
): upstream is UpstreamOf<K> {
  return upstream.kind === kind;
}
