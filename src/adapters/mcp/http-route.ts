import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isWellFormedToken } from '../../core/index.js';
import type { McpProxy } from './proxy.js';
import type { HandlerExtra } from './session-server.js';
import { createSessionServer } from './session-server.js';

/** A route the gateway mounts (structurally its `GatewayRoute`). */
export interface McpHttpRoute {
  readonly prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  close(): Promise<void>;
}

// SECURITY: bounds the memory idle agents can hold; the oldest session goes first.
const MAX_SESSIONS = 1_000;

/**
 * Serves the proxy over Streamable HTTP at `prefix` (e.g. `/mcp`). Every request must carry
 * `Authorization: Bearer alk_…`, and each is judged with its own token, so a session id alone
 * grants nothing.
 */
export function createMcpHttpRoute(
  proxy: McpProxy,
  options: {
    readonly prefix: string;
    readonly approvalsUrl: string;
    readonly approvalPagesUrl?: string;
  },
): McpHttpRoute {
  const { prefix, approvalsUrl, approvalPagesUrl } = options;
  const contextOf = (extra: HandlerExtra) => ({
    token: tokenOfRequest(extra),
    approvalsUrl,
    ...(approvalPagesUrl === undefined ? {} : { approvalPagesUrl }),
  });
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  return {
    prefix,
    async handle(req, res) {
      // Refused before any session exists: no token, no MCP at all (and nothing to audit).
      if (bearerOf(req.headers.authorization) === undefined)
        return sendJson(res, 401, 'send your Airlock token as `Authorization: Bearer alk_…`');
      const id = req.headers['mcp-session-id'];
      const existing = typeof id === 'string' ? sessions.get(id) : undefined;
      if (existing !== undefined) return existing.handleRequest(req, res);
      if (id !== undefined)
        return sendJson(res, 404, 'unknown or closed MCP session; initialize a new one');
      if (req.method !== 'POST')
        return sendJson(res, 405, 'start a session with an initialize POST');
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        // Answers are plain JSON: the proxy sends no progress or server requests mid-call.
        enableJsonResponse: true,
        onsessioninitialized: (sessionId) => {
          sessions.set(sessionId, transport);
          if (sessions.size > MAX_SESSIONS) void sessions.values().next().value?.close();
        },
      });
      transport.onclose = () => {
        if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
      };
      await createSessionServer(proxy, contextOf).connect(transport);
      await transport.handleRequest(req, res);
    },
    async close() {
      await Promise.allSettled([...sessions.values()].map((transport) => transport.close()));
      sessions.clear();
    },
  };
}

/** The token of the HTTP request a handler serves; '' (denied by the firewall) when absent. */
function tokenOfRequest(extra: HandlerExtra): string {
  const header = extra.requestInfo?.headers['authorization'];
  return bearerOf(Array.isArray(header) ? header[0] : header) ?? '';
}

function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const token = match?.[1];
  return token !== undefined && isWellFormedToken(token) ? token : undefined;
}

function sendJson(res: ServerResponse, status: number, message: string): void {
  const text = JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
