import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  GetPromptResult,
  ReadResourceResult,
  ServerNotification,
  ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpProxy, McpRequestContext } from './proxy.js';
import type { ToolResult } from './respond.js';

/**
 * Where the client supports URL-mode elicitation, a held call also shows its human the
 * approval page. Only a link: the approval itself happens out of band, by approvers, and the
 * tool result already told the agent to stop. Not awaited: the answer does not wait on a human.
 */
function offerApprovalLink(server: Server, result: ToolResult): void {
  const held = (
    result['_meta'] as
      { airlock?: { code?: string; approvalId?: string; approvalUrl?: string } } | undefined
  )?.airlock;
  if (
    held?.code !== 'AIRLOCK_HELD' ||
    held.approvalUrl === undefined ||
    held.approvalId === undefined
  )
    return;
  if (server.getClientCapabilities()?.elicitation?.url === undefined) return;
  const message = `Airlock held a tool call of your agent (approval ${held.approvalId}). An approver decides it on this page; the agent waits.`;
  server
    .elicitInput({ mode: 'url', message, elicitationId: held.approvalId, url: held.approvalUrl })
    .catch(() => undefined);
}

/** What a request handler knows of the request it serves. */
export type HandlerExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Finds who asks: the stdio session's token, or the HTTP request's bearer. */
export type ContextSource = (extra: HandlerExtra) => McpRequestContext;

const INSTRUCTIONS =
  'Airlock serves the tools of several MCP servers as SERVER__TOOL and judges every call. A call held for human approval returns an error with an approval id: stop and wait for a human, then make exactly the same call again.';

/**
 * One agent session's MCP server: every request goes through the shared proxy with the token
 * the session (stdio) or the request (HTTP) carries.
 */
export function createSessionServer(proxy: McpProxy, contextOf: ContextSource): Server {
  const server = new Server(
    { name: 'airlock', version: '0.1.0' },
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => ({
    tools: await proxy.listTools(contextOf(extra)),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const result = await proxy.callTool(
      request.params.name,
      request.params.arguments ?? {},
      contextOf(extra),
    );
    offerApprovalLink(server, result);
    return result as CallToolResult;
  });
  server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => ({
    resources: await proxy.listResources(contextOf(extra)),
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async (_request, extra) => ({
    resourceTemplates: await proxy.listResourceTemplates(contextOf(extra)),
  }));
  server.setRequestHandler(
    ReadResourceRequestSchema,
    async (request, extra) =>
      (await proxy.readResource(request.params.uri, contextOf(extra))) as ReadResourceResult,
  );
  server.setRequestHandler(ListPromptsRequestSchema, async (_request, extra) => ({
    prompts: await proxy.listPrompts(contextOf(extra)),
  }));
  server.setRequestHandler(
    GetPromptRequestSchema,
    async (request, extra) =>
      (await proxy.getPrompt(
        request.params.name,
        request.params.arguments ?? {},
        contextOf(extra),
      )) as GetPromptResult,
  );
  return server;
}
