import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayRoute } from './gateway.js';
import type { TlsIdentity } from './listener.js';
import { closeListener, createListener, listenOn } from './listener.js';

/** Where a listener of its own serves some routes (the web inbox on its own origin). */
export interface RouteListenerOptions {
  /** The routes, built once the listening URL is known. */
  readonly routes: (url: string) => readonly GatewayRoute[];
  readonly host: string;
  /** 0: a free port. */
  readonly port: number;
  readonly tls?: TlsIdentity;
}

/** A running route listener. */
export interface RouteListener {
  /** e.g. `https://127.0.0.1:8443`. */
  readonly url: string;
  /** Stops listening, then closes the routes. */
  close(): Promise<void>;
}

/**
 * Serves only `routes` (and `/healthz`) on a listener of their own, so they get an origin of
 * their own: the web inbox apart from the port agents send requests to. `/` leads to the first route.
 */
export async function startRouteListener(options: RouteListenerOptions): Promise<RouteListener> {
  // Filled once listening, because the routes need the URL; no request is handled before that.
  const routes: GatewayRoute[] = [];
  const server = createListener(options.tls, (req, res) => {
    handle(routes, req, res).catch(() => {
      if (!res.headersSent) answer(res, 503, 'unavailable');
      else res.destroy();
    });
  });
  const url = await listenOn(server, options.port, options.host, options.tls !== undefined);
  routes.push(...options.routes(url));
  return {
    url,
    close: async () => {
      await closeListener(server);
      for (const route of routes) await route.close?.();
    },
  };
}

async function handle(
  routes: readonly GatewayRoute[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://listener');
  for (const route of routes) {
    if (url.pathname === route.prefix || url.pathname.startsWith(`${route.prefix}/`))
      return route.handle(req, res, url);
  }
  if (req.method === 'GET' && url.pathname === '/healthz') return answer(res, 200, 'ok');
  const first = routes[0];
  if (req.method === 'GET' && url.pathname === '/' && first !== undefined) {
    res.writeHead(303, { location: first.prefix, 'content-length': 0 });
    return void res.end();
  }
  answer(res, 404, 'not found');
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
