import type { McpUpstreamOptions, McpUpstreamTransport } from '../adapters/mcp/index.js';
import { McpProxy, createMcpHttpRoute } from '../adapters/mcp/index.js';
import type { McpServerProfile, McpToolEntry } from '../classify/index.js';
import { MCP_CATALOGS } from '../classify/index.js';
import type { LoadedConfig } from '../config/index.js';
import { readSecretField, resolveSecret } from '../config/index.js';
import type { Store } from '../core/index.js';
import { describeError } from '../core/index.js';
import type { Firewall } from '../firewall/index.js';
import { authenticate } from '../firewall/index.js';
import { systemClock } from '../platform/index.js';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './output.js';
import type { ServePartFactory } from './serve-part.js';

/** Where `airlock serve` serves MCP over Streamable HTTP. */
export const MCP_HTTP_PREFIX = '/mcp';

/**
 * `airlock serve`'s part for MCP: every `kind: mcp` upstream behind one MCP endpoint at `/mcp`
 * (Streamable HTTP), tools as `NAME__tool`. Agents send `Authorization: Bearer alk_…`.
 */
export const mcpServePart: ServePartFactory = async ({ loaded, firewall, store, env }) => {
  const upstreams = mcpUpstreamsOf(loaded, env);
  if (upstreams.length === 0) return undefined;
  const proxy = await startProxy(upstreams, firewall, store);
  const names = upstreams.map((upstream) => upstream.name);
  return {
    name: 'mcp',
    // The web inbox (always served with upstreams) shows each approval at /inbox/approvals/ID.
    routes: (urls) => [createMcpHttpRoute(proxy, { prefix: MCP_HTTP_PREFIX, approvalsUrl: urls.approvalsUrl, approvalPagesUrl: `${urls.url}/inbox/approvals` })],
    start: async (urls) => ({
      lines: [`mcp ${names.join(', ')}: ${urls.url}${MCP_HTTP_PREFIX}`, ...refusedLines(proxy)],
      info: { surface: 'mcp', url: `${urls.url}${MCP_HTTP_PREFIX}`, upstreams: names },
      close: () => proxy.close(),
    }),
  };
};

/** Connects to every upstream; a server that cannot be started or reached refuses the start. */
export async function startProxy(upstreams: readonly McpUpstreamOptions[], firewall: Firewall, store: Store): Promise<McpProxy> {
  const principalOf = async (token: string) => {
    const found = await authenticate(store, token, systemClock.now());
    return found.ok ? found.principal : undefined;
  };
  try {
    return await McpProxy.start({ upstreams, firewall, principalOf });
  } catch (error) {
    throw new CliFailure('cannot connect to the mcp upstreams', EXIT.internal, [describeError(error)]);
  }
}

/** Lines naming the tools refused for their names, for the operator. */
export function refusedLines(proxy: McpProxy): string[] {
  return proxy.refusedTools.map((tool) => `refused tool \`${tool.name}\` of ${tool.server}: ${tool.reason}`);
}

/** The MCP upstreams of the config (all, or those named), secrets read; refuses listing every problem. */
export function mcpUpstreamsOf(loaded: LoadedConfig, env: NodeJS.ProcessEnv, only?: readonly string[]): McpUpstreamOptions[] {
  const problems: string[] = [];
  const upstreams: McpUpstreamOptions[] = [];
  const configured = Object.entries(loaded.config.upstreams).filter(([, upstream]) => upstream.kind === 'mcp');
  for (const name of only ?? []) {
    if (!configured.some(([known]) => known === name)) problems.push(`upstreams.${name}: no mcp upstream of that name`);
  }
  for (const [name, upstream] of configured) {
    if (upstream.kind !== 'mcp' || (only !== undefined && !only.includes(name))) continue;
    const where = `upstreams.${name}`;
    const secrets = { env, home: loaded.home };
    // A variable named in envFiles comes from its file; any other from Airlock's environment.
    const variable = (variableName: string, field: string): string | undefined => {
      const file = Object.hasOwn(upstream.envFiles, variableName) ? upstream.envFiles[variableName] : undefined;
      const value = resolveSecret(file === undefined ? { env: variableName } : { file }, secrets);
      if (!value.ok) problems.push(`${where}.${file === undefined ? field : `envFiles.${variableName}`}: ${value.error}`);
      return value.ok ? value.value : undefined;
    };
    let transport: McpUpstreamTransport;
    if (upstream.url !== undefined) {
      const credential = readSecretField(upstream, 'credential', where, secrets, problems, false);
      transport = { kind: 'http', url: upstream.url, ...(credential === undefined ? {} : { credential }) };
    } else {
      const args = upstream.args.map((arg) => arg.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_, named: string) => variable(named, 'args') ?? ''));
      const childEnv = Object.fromEntries([...upstream.env, ...Object.keys(upstream.envFiles)].map((named) => [named, variable(named, 'env') ?? '']));
      transport = { kind: 'stdio', command: upstream.command ?? '', args, env: childEnv, ...(upstream.cwd === undefined ? {} : { cwd: upstream.cwd }) };
    }
    upstreams.push({ name, transport, profile: profileOf(name, upstream) });
  }
  if (problems.length > 0) throw new CliFailure('cannot start the mcp upstreams', EXIT.invalidInput, problems);
  return upstreams;
}

type McpUpstreamConfig = Extract<LoadedConfig['config']['upstreams'][string], { kind: 'mcp' }>;

/** What the upstream's tools are judged by: its catalog (named, or named like it), overrides, roots. */
function profileOf(name: string, upstream: McpUpstreamConfig): McpServerProfile {
  const catalogName = upstream.catalog ?? name;
  const catalog = catalogName !== 'none' && Object.hasOwn(MCP_CATALOGS, catalogName) ? MCP_CATALOGS[catalogName] : undefined;
  const tools: Record<string, McpToolEntry> = {};
  for (const [tool, entry] of Object.entries(upstream.tools)) {
    tools[tool] = {
      effect: entry.effect,
      reversible: entry.reversible,
      ...(entry.args === undefined ? {} : { args: entry.args }),
      ...(entry.decidedBy === undefined ? {} : { decidedBy: entry.decidedBy }),
    };
  }
  return {
    ...(catalog === undefined ? {} : { catalog }),
    tools,
    ...(upstream.roots === undefined ? {} : { roots: upstream.roots }),
    ...(upstream.cwd === undefined ? {} : { cwd: upstream.cwd }),
  };
}
