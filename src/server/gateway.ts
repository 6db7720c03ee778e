import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent } from 'undici';
import type { GraphqlProxy, GraphqlUpstream, TargetResolver } from '../adapters/graphql/index.js';
import { RailwayResolver, badRequestAnswer, createGraphqlProxy, sendAnswer } from '../adapters/graphql/index.js';
import type { Firewall } from '../firewall/index.js';
import type { ApprovalLookup } from './approval-status.js';
import { answerApprovalPoll } from './approval-status.js';
import { sendJson } from './json-answer.js';
import type { TlsIdentity } from './listener.js';
import { closeListener, createListener, listenOn } from './listener.js';

/** What `startGateway` needs: the firewall, the upstreams and where to listen. */
export interface GatewayOptions {
  readonly firewall: Firewall;
  /** Upstreams by name; each GraphQL one is served at `${url}/graphql/${name}`. */
  readonly upstreams: Readonly<Record<string, GraphqlUpstream>>;
  /** Default: a `RailwayResolver` over the upstreams. */
  readonly resolver?: TargetResolver;
  /** Environment names that count as production when placing targets. */
  readonly productionEnvironments: readonly string[];
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Serve HTTPS with this certificate and key instead of plain HTTP. */
  readonly tls?: TlsIdentity;
  /** The URL agents reach the gateway at, for approval poll URLs; default the listening URL. */
  readonly publicUrl?: string;
  /** Where `GET /approvals/:id` reads approvals from; without it polling answers 404. */
  readonly approvals?: ApprovalLookup;
  /**
   * Further surfaces served under their own path prefixes (the web inbox, REST upstreams, MCP
   * over HTTP), built once the listening URL is known.
   */
  readonly routes?: (urls: GatewayUrls) => readonly GatewayRoute[];
}

/** Where the gateway listens and where held agents poll. */
export interface GatewayUrls {
  readonly url: string;
  readonly approvalsUrl: string;
}

/** A handler for every request whose path is `prefix` or starts with `prefix/`. */
export interface GatewayRoute {
  readonly prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  close?(): Promise<void>;
}

/** A running gateway. */
export interface Gateway {
  /** e.g. `http://127.0.0.1:8080`; upstreams are under `/graphql/NAME`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the gateway: every configured upstream behind the firewall, plus `GET /healthz` and
 * `GET /approvals/:id` for held agents to poll.
 * @example
 * const gateway = await startGateway({ firewall, upstreams: { railway: { kind: 'graphql', url, credential } }, productionEnvironments: ['production'] });
 * // agents POST GraphQL to `${gateway.url}/graphql/railway` with `Authorization: Bearer alk_…`
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  // An upstream that stops answering must not hold agents (and sockets) for undici's 300 s defaults.
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, headersTimeout: 30_000, bodyTimeout: 120_000 });
  const resolver =
    options.resolver ??
    new RailwayResolver({ upstreams: options.upstreams, productionEnvironments: options.productionEnvironments, dispatcher });
  // Filled once listening, because poll URLs need the port; no request is handled before that.
  const proxies = new Map<string, GraphqlProxy>();
  const routes: GatewayRoute[] = [];
  const server = createListener(options.tls, (req, res) => {
    route(req, res, proxies, routes, options.approvals, approvalsUrl).catch(() => {
      if (!res.headersSent) sendJson(res, 503, { error: 'unavailable' });
      else res.destroy();
    });
  });
  const url = await listenOn(server, options.port ?? 0, options.host ?? '127.0.0.1', options.tls !== undefined);
  const approvalsUrl = `${(options.publicUrl ?? url).replace(/\/+$/, '')}/approvals`;
  for (const [name, upstream] of Object.entries(options.upstreams)) {
    proxies.set(name, createGraphqlProxy({ name, upstream, firewall: options.firewall, resolver, dispatcher, approvalsUrl }));
  }
  routes.push(...(options.routes?.({ url, approvalsUrl }) ?? []));
  return {
    url,
    close: async () => {
      await closeListener(server);
      await dispatcher.close();
      for (const proxy of proxies.values()) await proxy.close();
      for (const extra of routes) await extra.close?.();
    },
  };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  proxies: ReadonlyMap<string, GraphqlProxy>,
  routes: readonly GatewayRoute[],
  approvals: ApprovalLookup | undefined,
  approvalsUrl: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway');
  for (const extra of routes) {
    if (url.pathname === extra.prefix || url.pathname.startsWith(`${extra.prefix}/`)) return extra.handle(req, res, url);
  }
  const graphql = /^\/graphql\/([a-z0-9][a-z0-9-]*)\/?$/.exec(url.pathname);
  if (graphql !== null) {
    const proxy = proxies.get(graphql[1] ?? '');
    if (proxy !== undefined) return proxy.handle(req, res, url);
    return sendAnswer(res, badRequestAnswer(404, 'No upstream is configured at this path.'));
  }
  if (req.method === 'GET' && url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
  const poll = /^\/approvals\/([^/]+?)(\/result)?$/.exec(url.pathname);
  if (req.method === 'GET' && poll !== null && approvals !== undefined) {
    // Only the agent's own approvals, read with its own token.
    return answerApprovalPoll(approvals, req.headers.authorization, decodeURIComponent(poll[1] ?? ''), poll[2] !== undefined, approvalsUrl, res);
  }
  sendJson(res, 404, { error: 'not found' });
}

