import type { ServerResponse } from 'node:http';
import { Agent } from 'undici';
import { ok } from '../../core/index.js';
import type { Firewall } from '../../firewall/index.js';
import type { Surface, SurfaceRoute } from '../shared/index.js';
import type { GraphqlUpstream, GraphqlUpstreamConfig } from './config.js';
import { graphqlUpstreamsOf } from './config.js';
import { runHeldGraphqlRequest } from './held-request.js';
import { GRAPHQL_PLATFORMS } from './platforms.js';
import type { GraphqlProxy } from './proxy.js';
import { createGraphqlProxy, sendAnswer } from './proxy.js';
import type { TargetResolver } from './resolver.js';
import { badRequestAnswer } from './respond.js';

/** Where GraphQL upstreams are served: `/graphql/NAME`. */
export const GRAPHQL_PREFIX = '/graphql';

/** What the GraphQL route serves. */
export interface GraphqlRouteOptions {
  readonly firewall: Firewall;
  /** Upstreams by name; each is served at `/graphql/NAME`. */
  readonly upstreams: Readonly<Record<string, GraphqlUpstream>>;
  /** Environment names that count as production when placing targets. */
  readonly productionEnvironments: readonly string[];
  /** Base of the URLs a held agent polls, e.g. `http://127.0.0.1:8080/approvals`. */
  readonly approvalsUrl: string;
  /** Default: each platform's own resolver over its upstreams (Railway's asks Railway). */
  readonly resolver?: TargetResolver;
}

/**
 * One route for every GraphQL upstream, at `/graphql/NAME`, each behind the firewall and judged
 * by its platform's catalog. Closing it closes the proxies and the connections upstream.
 * @example
 * startGateway({ routes: (urls) => [createGraphqlRoute({ firewall, upstreams: { railway: { kind: 'graphql', url, credential } }, productionEnvironments: ['production'], approvalsUrl: urls.approvalsUrl })] });
 * // agents POST GraphQL to `${gateway.url}/graphql/railway` with `Authorization: Bearer alk_…`
 */
export function createGraphqlRoute(options: GraphqlRouteOptions): SurfaceRoute {
  // An upstream that stops answering must not hold agents (and sockets) for undici's 300 s defaults.
  const dispatcher = new Agent({
    keepAliveTimeout: 10_000,
    headersTimeout: 30_000,
    bodyTimeout: 120_000,
  });
  const resolvers = new Map<string, TargetResolver>();
  const proxies = new Map<string, GraphqlProxy>();
  for (const [name, upstream] of Object.entries(options.upstreams)) {
    const platformName = upstream.platform ?? 'railway';
    const platform = GRAPHQL_PLATFORMS[platformName];
    let resolver = options.resolver ?? resolvers.get(platformName);
    if (resolver === undefined) {
      const own = Object.fromEntries(
        Object.entries(options.upstreams).filter(
          ([, other]) => (other.platform ?? 'railway') === platformName,
        ),
      );
      resolver = platform.createResolver({
        upstreams: own,
        productionEnvironments: options.productionEnvironments,
        dispatcher,
      });
      resolvers.set(platformName, resolver);
    }
    const { firewall, approvalsUrl } = options;
    proxies.set(
      name,
      createGraphqlProxy({
        name,
        upstream,
        firewall,
        catalog: platform.catalog,
        resolver,
        dispatcher,
        approvalsUrl,
      }),
    );
  }
  return {
    prefix: GRAPHQL_PREFIX,
    async handle(req, res, url) {
      const named = /^\/graphql\/([a-z0-9][a-z0-9-]*)\/?$/.exec(url.pathname);
      if (named === null) return notFound(res);
      const proxy = proxies.get(named[1] ?? '');
      if (proxy !== undefined) return proxy.handle(req, res, url);
      return sendAnswer(res, badRequestAnswer(404, 'No upstream is configured at this path.'));
    },
    async close() {
      await dispatcher.close();
      for (const proxy of proxies.values()) await proxy.close();
    },
  };
}

// The gateway's own answer to a path nothing serves, for paths under /graphql that name no upstream.
function notFound(res: ServerResponse): void {
  const text = JSON.stringify({ error: 'not found' });
  res.writeHead(404, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** GraphQL upstreams (`kind: graphql`), each at `/graphql/NAME` on the gateway. */
export const graphqlSurface: Surface<GraphqlUpstreamConfig, Record<string, GraphqlUpstream>> = {
  name: 'graphql',
  async validate(sections, settings) {
    const upstreams = graphqlUpstreamsOf(sections, settings);
    if (!upstreams.ok)
      return { ok: false, error: { title: 'cannot start the gateway', problems: upstreams.error } };
    // Mounted even with no upstream: `/graphql/NAME` answers that none is configured there.
    return ok(upstreams.value);
  },
  async start(upstreams, deps) {
    const { firewall, urls } = deps;
    const route = createGraphqlRoute({
      firewall,
      upstreams,
      productionEnvironments: deps.decide.productionEnvironments,
      approvalsUrl: urls.approvalsUrl,
    });
    // A delayed action's own dispatcher: it runs off the request path, after the undo window.
    const held = new Agent({
      keepAliveTimeout: 10_000,
      headersTimeout: 30_000,
      bodyTimeout: 120_000,
    });
    return {
      routes: [route],
      upstreamUrls: Object.keys(upstreams).map((name) => `${urls.url}${GRAPHQL_PREFIX}/${name}`),
      lines: [],
      runHeld(request) {
        const upstream = request.surface === 'graphql' ? upstreams[request.upstream] : undefined;
        return upstream === undefined
          ? undefined
          : (again) => runHeldGraphqlRequest(upstream, again, held);
      },
      // The route is the gateway's to close, once it stops listening.
      close: () => held.close(),
    };
  },
};
