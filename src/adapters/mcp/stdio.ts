import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpProxy, McpRequestContext } from './proxy.js';
import { createSessionServer } from './session-server.js';

/**
 * Serves the proxy to one agent over this process's stdin/stdout, judging every request with
 * the context's token. Resolves when the agent closes the session.
 */
export async function serveMcpStdio(proxy: McpProxy, context: McpRequestContext): Promise<void> {
  const server = createSessionServer(proxy, () => context);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport());
  await closed;
}
