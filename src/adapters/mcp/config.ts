import type { McpServerProfile, McpToolEntry } from '../../classify/index.js';
import { MCP_CATALOGS } from '../../classify/index.js';
import type { Config, SecretContext } from '../../config/index.js';
import { readSecretField, resolveSecret } from '../../config/index.js';
import type { Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';

/** How Airlock reaches one upstream MCP server. */
export type McpUpstreamTransport =
  | {
      readonly kind: 'stdio';
      readonly command: string;
      readonly args: readonly string[];
      /** The child's whole environment besides the SDK's safe defaults (PATH, HOME, …). */
      readonly env: Readonly<Record<string, string>>;
      readonly cwd?: string;
      /** Where the child's stderr goes; default inherit (Airlock's stderr). */
      readonly stderr?: 'inherit' | 'ignore';
    }
  | {
      readonly kind: 'http';
      readonly url: string;
      /** Sent as `Authorization: Bearer`; Airlock's own credential for the server, never the agent's. */
      readonly credential?: string;
    };

/** One upstream MCP server as the proxy runs it. */
export interface McpUpstreamOptions {
  /** Lowercase letters, digits and dashes: its tools are served as `NAME__tool`. */
  readonly name: string;
  readonly transport: McpUpstreamTransport;
  /** What its tools are judged by: catalog, overrides, roots. */
  readonly profile: McpServerProfile;
}

/** The MCP upstreams of the config (all, or those named), secrets read, or every problem. */
export function mcpUpstreamsOf(
  sections: Readonly<Record<string, McpUpstreamConfig>>,
  secrets: SecretContext,
  only?: readonly string[],
): Result<McpUpstreamOptions[], string[]> {
  const problems: string[] = [];
  const upstreams: McpUpstreamOptions[] = [];
  const configured = Object.entries(sections);
  for (const name of only ?? []) {
    if (!configured.some(([known]) => known === name))
      problems.push(`upstreams.${name}: no mcp upstream of that name`);
  }
  for (const [name, upstream] of configured) {
    if (only !== undefined && !only.includes(name)) continue;
    const where = `upstreams.${name}`;
    // A variable named in envFiles comes from its file; any other from Airlock's environment.
    const variable = (variableName: string, field: string): string | undefined => {
      const file = Object.hasOwn(upstream.envFiles, variableName)
        ? upstream.envFiles[variableName]
        : undefined;
      const value = resolveSecret(file === undefined ? { env: variableName } : { file }, secrets);
      if (!value.ok)
        problems.push(
          `${where}.${file === undefined ? field : `envFiles.${variableName}`}: ${value.error}`,
        );
      return value.ok ? value.value : undefined;
    };
    let transport: McpUpstreamTransport;
    if (upstream.url !== undefined) {
      const credential = readSecretField(upstream, 'credential', where, secrets, problems, false);
      transport = {
        kind: 'http',
        url: upstream.url,
        ...(credential === undefined ? {} : { credential }),
      };
    } else {
      const args = upstream.args.map((arg) =>
        arg.replace(
          /\$\{([A-Z_][A-Z0-9_]*)\}/g,
          (_, named: string) => variable(named, 'args') ?? '',
        ),
      );
      const childEnv = Object.fromEntries(
        [...upstream.env, ...Object.keys(upstream.envFiles)].map((named) => [
          named,
          variable(named, 'env') ?? '',
        ]),
      );
      transport = {
        kind: 'stdio',
        command: upstream.command ?? '',
        args,
        env: childEnv,
        ...(upstream.cwd === undefined ? {} : { cwd: upstream.cwd }),
      };
    }
    upstreams.push({ name, transport, profile: profileOf(name, upstream) });
  }
  return problems.length > 0 ? err(problems) : ok(upstreams);
}

/** A `kind: mcp` section of the config's `upstreams`. */
export type McpUpstreamConfig = Extract<Config['upstreams'][string], { kind: 'mcp' }>;

/** What the upstream's tools are judged by: its catalog (named, or named like it), overrides, roots. */
function profileOf(name: string, upstream: McpUpstreamConfig): McpServerProfile {
  const catalogName = upstream.catalog ?? name;
  const catalog =
    catalogName !== 'none' && Object.hasOwn(MCP_CATALOGS, catalogName)
      ? MCP_CATALOGS[catalogName]
      : undefined;
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
