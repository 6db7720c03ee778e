import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { PathFact } from '../../classify/index.js';
import {
  classifyMcpCall,
  classifyMcpListing,
  classifyMcpPromptGet,
  classifyMcpResourceRead,
  pathsToResolve,
} from '../../classify/index.js';
import type {
  ApprovalRequestV1,
  ClassifiedRequest,
  Decision,
  JsonValue,
} from '../../core/index.js';
import { LruCache, principalScopeViolations } from '../../core/index.js';
import type { AgentSession, Caller, Firewall } from '../../firewall/index.js';
import { toShownRequest } from '../shared/index.js';
import type { McpUpstreamOptions } from './config.js';
import { resolvePathFacts } from './path-facts.js';
import type { ToolResult } from './respond.js';
import { failureResult, refusalResult } from './respond.js';
import type { ExposedTool, ToolTable } from './tool-table.js';
import { NAME_SEPARATOR, buildToolTable, toExposedName } from './tool-table.js';
import { UpstreamServer } from './upstream-client.js';

/** What the proxy needs: the upstream servers, the firewall, and who a token is. */
export interface McpProxyOptions {
  readonly upstreams: readonly McpUpstreamOptions[];
  readonly firewall: Firewall;
}

/** Who is asking, and where a held agent polls. */
export interface McpRequestContext {
  /** The agent's Airlock token; never stored, logged or echoed. */
  readonly token: string;
  /** e.g. `http://127.0.0.1:8080/approvals`; a held call names `${approvalsUrl}/ID`. None over stdio without a gateway. */
  readonly approvalsUrl?: string;
  /** e.g. `http://127.0.0.1:8080/inbox/approvals`: where a human decides `${approvalPagesUrl}/ID`. */
  readonly approvalPagesUrl?: string;
}

const RESOURCE_PREFIX = 'airlock://';
// Agent sessions remembered by token at once; the oldest is authenticated anew when it returns.
const MAX_AGENT_SESSIONS = 1024;

/**
 * Airlock's MCP proxy: one client session to every upstream server, shared by every agent
 * session. Each request is classified and judged with the agent's token; only what is allowed
 * reaches an upstream. Listings show only the servers the token's grant may read.
 */
export class McpProxy {
  readonly #upstreams: ReadonlyMap<string, UpstreamServer>;
  readonly #firewall: Firewall;
  // A stdio session or an HTTP client presents one token for many requests: it is authenticated
  // once, and the firewall re-checks the session within AUTHENTICATION_RECHECK_MS.
  readonly #sessions = new LruCache<string, AgentSession>(MAX_AGENT_SESSIONS);
  #table: ToolTable;

  private constructor(upstreams: readonly UpstreamServer[], options: McpProxyOptions) {
    this.#upstreams = new Map(upstreams.map((upstream) => [upstream.name, upstream]));
    this.#firewall = options.firewall;
    this.#table = buildToolTable(upstreams);
  }

  /** Connects to every upstream; if one fails, closes the others and throws. */
  static async start(options: McpProxyOptions): Promise<McpProxy> {
    const connected: UpstreamServer[] = [];
    try {
      for (const upstream of options.upstreams)
        connected.push(await UpstreamServer.connect(upstream));
    } catch (error) {
      await Promise.allSettled(connected.map((upstream) => upstream.close()));
      throw error;
    }
    return new McpProxy(connected, options);
  }

  /** Tools refused for their names (confusable, invisible characters, …), for the operator. */
  get refusedTools(): ToolTable['refused'] {
    return this.#table.refused;
  }

  /** The tools of every server the token may read, under namespaced names. */
  async listTools(context: McpRequestContext): Promise<Tool[]> {
    const servers = await this.#readableServers(context, 'tools/list');
    await Promise.all(servers.map((upstream) => upstream.refreshTools()));
    this.#table = buildToolTable([...this.#upstreams.values()]);
    const visible = new Set(servers.map((upstream) => upstream.name));
    return [...this.#table.tools.values()]
      .filter((item) => visible.has(item.server))
      .map((item) => ({ ...item.tool, name: item.exposed }));
  }

  /** Judges one tool call and forwards it only when allowed; anything else is an error result. */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    context: McpRequestContext,
  ): Promise<ToolResult> {
    const found = await this.#findTool(name);
    if (found === undefined)
      return failureResult(`Airlock serves no tool named \`${name}\`.`, 'AIRLOCK_NO_SUCH_TOOL');
    const upstream = this.#upstreams.get(found.server);
    if (upstream === undefined)
      return failureResult(`Airlock serves no tool named \`${name}\`.`, 'AIRLOCK_NO_SUCH_TOOL');
    const { profile } = upstream.options;
    const call = {
      server: upstream.name,
      tool: found.tool.name,
      arguments: args,
      annotations: found.tool.annotations ?? {},
    };
    let facts: ReadonlyMap<string, PathFact>;
    try {
      facts = await resolvePathFacts(upstream, pathsToResolve(call, profile));
    } catch {
      facts = new Map();
    }
    const classified = await classifyMcpCall(call, { profile, facts });
    const shown = () =>
      toShownRequest(
        classified.actions,
        { server: call.server, tool: call.tool, arguments: args as JsonValue },
        [...upstream.secrets, context.token],
      );
    const decision = await this.#judge(await this.#callerOf(context.token), classified, shown);
    if (decision.verdict !== 'allow') return refusalResult(decision, context);
    try {
      return (await upstream.callTool(found.tool.name, args)) as ToolResult;
    } catch {
      // Internal detail stays here: the agent learns only that the upstream failed.
      return failureResult(
        `The call was allowed, but the upstream server \`${upstream.name}\` failed to answer it.`,
        'AIRLOCK_UNAVAILABLE',
      );
    }
  }

  async listResources(context: McpRequestContext): Promise<Resource[]> {
    const servers = await this.#readableServers(context, 'resources/list');
    const lists = await Promise.all(
      servers.map(async (upstream) =>
        (await upstream.listResources()).map((resource) => ({
          ...resource,
          uri: wrapUri(upstream.name, resource.uri),
        })),
      ),
    );
    return lists.flat();
  }

  async listResourceTemplates(context: McpRequestContext): Promise<ResourceTemplate[]> {
    const servers = await this.#readableServers(context, 'resources/templates/list');
    const lists = await Promise.all(
      servers.map(async (upstream) =>
        (await upstream.listResourceTemplates()).map((template) => ({
          ...template,
          uriTemplate: wrapUri(upstream.name, template.uriTemplate),
        })),
      ),
    );
    return lists.flat();
  }

  async readResource(uri: string, context: McpRequestContext): Promise<Record<string, unknown>> {
    const { upstream, inner } = this.#resourceTarget(uri);
    await this.#requireAllowed(
      context,
      classifyMcpResourceRead(upstream.name, inner, upstream.options.profile),
    );
    const result = await upstream.readResource(inner);
    const contents = Array.isArray(result['contents'])
      ? (result['contents'] as Record<string, unknown>[])
      : [];
    return {
      ...result,
      contents: contents.map((item) =>
        typeof item['uri'] === 'string'
          ? { ...item, uri: wrapUri(upstream.name, item['uri']) }
          : item,
      ),
    };
  }

  async listPrompts(context: McpRequestContext): Promise<Prompt[]> {
    const servers = await this.#readableServers(context, 'prompts/list');
    const lists = await Promise.all(
      servers.map(async (upstream) =>
        (await upstream.listPrompts()).map((prompt) => ({
          ...prompt,
          name: toExposedName(upstream.name, prompt.name),
        })),
      ),
    );
    return lists.flat();
  }

  async getPrompt(
    name: string,
    args: Record<string, string>,
    context: McpRequestContext,
  ): Promise<Record<string, unknown>> {
    const split = name.indexOf(NAME_SEPARATOR);
    const upstream = split > 0 ? this.#upstreams.get(name.slice(0, split)) : undefined;
    if (upstream === undefined)
      throw new McpError(ErrorCode.InvalidParams, `Airlock serves no prompt named \`${name}\``);
    const prompt = name.slice(split + NAME_SEPARATOR.length);
    await this.#requireAllowed(context, classifyMcpPromptGet(upstream.name, prompt, args));
    return upstream.getPrompt(prompt, args);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#upstreams.values()].map((upstream) => upstream.close()));
  }

  async #findTool(name: string): Promise<ExposedTool | undefined> {
    const known = this.#table.tools.get(name);
    if (known !== undefined) return known;
    // A tool the server added since the last listing: list that server again, once.
    const split = name.indexOf(NAME_SEPARATOR);
    const upstream = split > 0 ? this.#upstreams.get(name.slice(0, split)) : undefined;
    if (upstream === undefined) return undefined;
    await upstream.refreshTools();
    this.#table = buildToolTable([...this.#upstreams.values()]);
    return this.#table.tools.get(name);
  }

  async #judge(
    who: Caller,
    classified: ClassifiedRequest,
    shown?: () => ApprovalRequestV1,
  ): Promise<Decision> {
    return (
      await this.#firewall.judge(
        { surface: 'mcp', ...classified, ...(shown === undefined ? {} : { shown }) },
        who,
      )
    ).decision;
  }

  /** The token's session, authenticated once; the token itself when it does not authenticate (judged, so denied and audited). */
  async #callerOf(token: string): Promise<Caller> {
    const known = this.#sessions.get(token);
    if (known !== undefined) return known;
    const who = await this.#firewall.authenticate(token);
    if (!who.ok) return token;
    this.#sessions.set(token, who.session);
    return who.session;
  }

  /** Throws the refusal as a JSON-RPC error: resources and prompts have no error result. */
  async #requireAllowed(context: McpRequestContext, classified: ClassifiedRequest): Promise<void> {
    const decision = await this.#judge(await this.#callerOf(context.token), classified);
    if (decision.verdict === 'allow') return;
    const refusal = refusalResult(decision, context);
    throw new McpError(
      ErrorCode.InvalidRequest,
      refusal.content[0]?.text ?? 'refused by Airlock',
      refusal['_meta'],
    );
  }

  /** The servers a listing shows: those in the grant, judged as one read of each. */
  async #readableServers(context: McpRequestContext, method: string): Promise<UpstreamServer[]> {
    const servers = [...this.#upstreams.values()];
    // Listings ask only about the servers the grant covers: asking about the others would be
    // denials, and denials freeze tokens.
    const who = await this.#callerOf(context.token);
    const principal = typeof who === 'string' ? undefined : who.principal;
    const inScope =
      principal === undefined
        ? []
        : servers.filter((upstream) =>
            classifyMcpListing([upstream.name], method).actions.every(
              (action) => principalScopeViolations(principal, action).length === 0,
            ),
          );
    // A token that is not valid is still judged (and so audited) once; it is denied.
    const judged = inScope.length > 0 ? inScope : servers.slice(0, 1);
    const decision = await this.#judge(
      who,
      classifyMcpListing(
        judged.map((upstream) => upstream.name),
        method,
      ),
    );
    return decision.verdict === 'allow' ? inScope : [];
  }

  #resourceTarget(uri: string): { upstream: UpstreamServer; inner: string } {
    const rest = uri.startsWith(RESOURCE_PREFIX) ? uri.slice(RESOURCE_PREFIX.length) : '';
    const split = rest.indexOf('/');
    const upstream = split > 0 ? this.#upstreams.get(rest.slice(0, split)) : undefined;
    if (upstream === undefined)
      throw new McpError(ErrorCode.InvalidParams, `Airlock serves no resource \`${uri}\``);
    return { upstream, inner: rest.slice(split + 1) };
  }
}

/** A server's resource URI as agents see it: `airlock://SERVER/` + the server's own URI. */
function wrapUri(server: string, uri: string): string {
  return `${RESOURCE_PREFIX}${server}/${uri}`;
}
