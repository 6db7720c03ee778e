import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SurfaceRoute, SurfaceUrls } from '../adapters/shared/index.js';
import type { ApprovalLookup } from './approval-status.js';
import { answerApprovalPoll } from './approval-status.js';
import { sendJson } from './json-answer.js';
import type { TlsIdentity } from './listener.js';
import { closeListener, createListener, listenOn } from './listener.js';

/** What `startGateway` needs: where to listen, and the routes it serves besides its own. */
export interface GatewayOptions {
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
   * Surfaces served under their own path prefixes (GraphQL and REST upstreams, MCP over HTTP,
   * the web inbox), built once the listening URL is known; more may be mounted later.
   */
  readonly routes?: (urls: GatewayUrls) => readonly GatewayRoute[];
}

/** Where the gateway listens and where held agents poll. */
export type GatewayUrls = SurfaceUrls;

/** A handler for every request whose path is `prefix` or starts with `prefix/`. */
export type GatewayRoute = SurfaceRoute;

/** A running gateway. */
export interface Gateway {
  /** e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Where held agents poll: `${publicUrl ?? url}/approvals`. */
  readonly approvalsUrl: string;
  /** Serves more routes from now on (surfaces started once the URL is known). */
  mount(routes: readonly GatewayRoute[]): void;
  /** Stops listening, then closes every route. */
  close(): Promise<void>;
}

/**
 * Starts the gateway: `GET /healthz`, `GET /approvals/:id` for held agents to poll, and every
 * route under its prefix. It knows no surface: each is a route (see `server/surfaces.ts`).
 * @example
 * const gateway = await startGateway({ approvals: store, routes: (urls) => [createGraphqlRoute({ firewall, upstreams, productionEnvironments, approvalsUrl: urls.approvalsUrl })] });
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  // Filled once listening, because poll URLs need the port; no request is handled before that.
  const routes: GatewayRoute[] = [];
  const server = createListener(options.tls, (req, res) => {
    route(req, res, routes, options.approvals, approvalsUrl).catch(() => {
      if (!res.headersSent) sendJson(res, 503, { error: 'unavailable' });
      else res.destroy();
    });
  });
  const url = await listenOn(
    server,
    options.port ?? 0,
    options.host ?? '127.0.0.1',
    options.tls !== undefined,
  );
  const approvalsUrl = `${(options.publicUrl ?? url).replace(/\/+$/, '')}/approvals`;
  routes.push(...(options.routes?.({ url, approvalsUrl }) ?? []));
  return {
    url,
    approvalsUrl,
    mount: (more) => void routes.push(...more),
    close: async () => {
      await closeListener(server);
      for (const extra of routes) await extra.close?.();
    },
  };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  routes: readonly GatewayRoute[],
  approvals: ApprovalLookup | undefined,
  approvalsUrl: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway');
  for (const extra of routes) {
    if (url.pathname === extra.prefix || url.pathname.startsWith(`${extra.prefix}/`))
      return extra.handle(req, res, url);
  }
  if (req.method === 'GET' && url.pathname === '/healthz')
    return sendJson(res, 200, { status: 'ok' });
  const poll = /^\/approvals\/([^/]+?)(\/result)?$/.exec(url.pathname);
  if (req.method === 'GET' && poll !== null && approvals !== undefined) {
    // Only the agent's own approvals, read with its own token.
    return answerApprovalPoll(
      approvals,
      req.headers.authorization,
      decodeURIComponent(poll[1] ?? ''),
      poll[2] !== undefined,
      approvalsUrl,
      res,
    );
  }
  sendJson(res, 404, { error: 'not found' });
}
