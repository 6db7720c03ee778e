import type { McpServerProfile } from '../../classify/index.js';

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
