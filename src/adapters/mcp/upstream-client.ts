import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StdioClientTransport,
  getDefaultEnvironment,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { McpUpstreamOptions, McpUpstreamTransport } from './config.js';
import { scrubSecrets, secretsOf } from './scrub.js';

const CLIENT_INFO = { name: 'airlock', version: '0.1.0' };
// SECURITY: bounds what a hostile or broken upstream can make Airlock page through.
const MAX_PAGES = 50;

/** A connected upstream MCP server: Airlock's own client session to it. */
export class UpstreamServer {
  readonly options: McpUpstreamOptions;
  readonly #client: Client;
  readonly #secrets: readonly string[];
  #tools: readonly Tool[] = [];

  private constructor(options: McpUpstreamOptions, client: Client) {
    this.options = options;
    this.#client = client;
    const { transport } = options;
    this.#secrets = secretsOf(
      transport.kind === 'http' ? [transport.credential] : Object.values(transport.env),
    );
  }

  /** What this server was given that must never reach an agent (or an approver's screen). */
  get secrets(): readonly string[] {
    return this.#secrets;
  }

  /** Starts (stdio) or reaches (HTTP) the server and completes the MCP handshake. */
  static async connect(given: McpUpstreamOptions): Promise<UpstreamServer> {
    const options = withOneCwd(given);
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    await client.connect(transportFor(options.transport));
    const upstream = new UpstreamServer(options, client);
    if (client.getServerCapabilities()?.tools !== undefined) await upstream.refreshTools();
    return upstream;
  }

  get name(): string {
    return this.options.name;
  }

  /** The tools as last listed by the server. */
  get tools(): readonly Tool[] {
    return this.#tools;
  }

  /** Lists the server's tools again (every page) and keeps them. */
  async refreshTools(): Promise<readonly Tool[]> {
    this.#tools = scrubSecrets(
      await allPages(async (cursor) => {
        const page = await this.#client.listTools(cursor === undefined ? {} : { cursor });
        return { items: page.tools, next: page.nextCursor };
      }),
      this.#secrets,
    );
    return this.#tools;
  }

  /**
   * Calls a tool as-is; the caller has judged it. The answer is relayed unvalidated against the
   * tool's output schema: that is the agent's client's job, and a proxy must not reshape it.
   */
  async callTool(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const answer = await this.#client.request(
      { method: 'tools/call', params: { name, arguments: args } },
      CallToolResultSchema,
    );
    return scrubSecrets(answer as Record<string, unknown>, this.#secrets);
  }

  async listResources(): Promise<Resource[]> {
    if (this.#client.getServerCapabilities()?.resources === undefined) return [];
    return this.#scrubbedPages(async (cursor) => {
      const page = await this.#client.listResources(cursor === undefined ? {} : { cursor });
      return { items: page.resources, next: page.nextCursor };
    });
  }

  async listResourceTemplates(): Promise<ResourceTemplate[]> {
    if (this.#client.getServerCapabilities()?.resources === undefined) return [];
    return this.#scrubbedPages(async (cursor) => {
      const page = await this.#client.listResourceTemplates(cursor === undefined ? {} : { cursor });
      return { items: page.resourceTemplates, next: page.nextCursor };
    });
  }

  async readResource(uri: string): Promise<Record<string, unknown>> {
    return scrubSecrets(
      (await this.#client.readResource({ uri })) as Record<string, unknown>,
      this.#secrets,
    );
  }

  async listPrompts(): Promise<Prompt[]> {
    if (this.#client.getServerCapabilities()?.prompts === undefined) return [];
    return this.#scrubbedPages(async (cursor) => {
      const page = await this.#client.listPrompts(cursor === undefined ? {} : { cursor });
      return { items: page.prompts, next: page.nextCursor };
    });
  }

  async getPrompt(name: string, args: Record<string, string>): Promise<Record<string, unknown>> {
    return scrubSecrets(
      (await this.#client.getPrompt({ name, arguments: args })) as Record<string, unknown>,
      this.#secrets,
    );
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  async #scrubbedPages<T>(
    fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
  ): Promise<T[]> {
    return scrubSecrets(await allPages(fetchPage), this.#secrets);
  }
}

/**
 * A stdio server resolves relative paths against its working folder, and Airlock must judge
 * them against the same one: the child runs in the profile's `cwd`, else the first root, and
 * the profile says so.
 */
function withOneCwd(options: McpUpstreamOptions): McpUpstreamOptions {
  const { transport, profile } = options;
  if (transport.kind !== 'stdio') return options;
  const cwd = transport.cwd ?? profile.cwd ?? profile.roots?.[0];
  if (cwd === undefined) return options;
  return { ...options, transport: { ...transport, cwd }, profile: { ...profile, cwd } };
}

function transportFor(transport: McpUpstreamTransport): Transport {
  if (transport.kind === 'http') {
    const headers: Record<string, string> =
      transport.credential === undefined ? {} : { authorization: `Bearer ${transport.credential}` };
    return new StreamableHTTPClientTransport(new URL(transport.url), { requestInit: { headers } });
  }
  return new StdioClientTransport({
    command: transport.command,
    args: [...transport.args],
    // SECURITY: the child gets the SDK's safe defaults plus what config names, never Airlock's
    // whole environment (which holds other upstreams' credentials).
    env: { ...getDefaultEnvironment(), ...transport.env },
    stderr: transport.stderr ?? 'inherit',
    ...(transport.cwd === undefined ? {} : { cwd: transport.cwd }),
  });
}

async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await fetchPage(cursor);
    items.push(...answer.items);
    if (answer.next === undefined) return items;
    cursor = answer.next;
  }
  return items;
}
