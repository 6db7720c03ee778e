import { describeError, ok } from '../../core/index.js';
import type { Firewall } from '../../firewall/index.js';
import type { Surface } from '../shared/index.js';
import { SurfaceRefusal } from '../shared/index.js';
import type { McpUpstreamConfig, McpUpstreamOptions } from './config.js';
import { mcpUpstreamsOf } from './config.js';
import { createMcpHttpRoute } from './http-route.js';
import { McpProxy } from './proxy.js';

/** Where `airlock serve` serves MCP over Streamable HTTP. */
export const MCP_HTTP_PREFIX = '/mcp';

/**
 * Connects to every upstream; a server that cannot be started or reached refuses the start
 * (a `SurfaceRefusal` whose fault is the upstream's).
 */
export async function startMcpProxy(
  upstreams: readonly McpUpstreamOptions[],
  firewall: Firewall,
): Promise<McpProxy> {
  try {
    return await McpProxy.start({ upstreams, firewall });
  } catch (error) {
    throw new SurfaceRefusal(
      { title: 'cannot connect to the mcp upstreams', problems: [describeError(error)] },
      'upstream',
    );
  }
}

/** Lines naming the tools refused for their names, for the operator. */
export function refusedLines(proxy: McpProxy): string[] {
  return proxy.refusedTools.map(
    (tool) => `refused tool \`${tool.name}\` of ${tool.server}: ${tool.reason}`,
  );
}

/**
 * MCP upstreams (`kind: mcp`), all behind one MCP endpoint at `/mcp` (Streamable HTTP), tools as
 * `NAME__tool`. Agents send `Authorization: Bearer alk_…`.
 */
export const mcpSurface: Surface<McpUpstreamConfig, McpUpstreamOptions[]> = {
  name: 'mcp',
  async validate(sections, settings) {
    const upstreams = mcpUpstreamsOf(sections, settings);
    if (!upstreams.ok)
      return {
        ok: false,
        error: { title: 'cannot start the mcp upstreams', problems: upstreams.error },
      };
    return ok(upstreams.value.length === 0 ? undefined : upstreams.value);
  },
  async start(upstreams, deps) {
    const proxy = await startMcpProxy(upstreams, deps.firewall);
    const { url, approvalsUrl } = deps.urls;
    const names = upstreams.map((upstream) => upstream.name);
    return {
      // The web inbox (always served with upstreams) shows each approval at /inbox/approvals/ID.
      routes: [
        createMcpHttpRoute(proxy, {
          prefix: MCP_HTTP_PREFIX,
          approvalsUrl,
          approvalPagesUrl: `${url}/inbox/approvals`,
        }),
      ],
      lines: [`mcp ${names.join(', ')}: ${url}${MCP_HTTP_PREFIX}`, ...refusedLines(proxy)],
      info: { surface: 'mcp', url: `${url}${MCP_HTTP_PREFIX}`, upstreams: names },
      close: () => proxy.close(),
    };
  },
};
