import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { toolNameProblem, toolNameSkeleton } from '../../classify/index.js';

/**
 * Between a server's name and its tool's name in what agents see: `fs__read_file`. Server
 * names are lowercase letters, digits and dashes (config enforces it), so the first `__` always
 * ends the server name, and the whole stays within MCP's tool-name format.
 */
export const NAME_SEPARATOR = '__';

const MAX_TOOL_NAME_LENGTH = 128;

/** One upstream tool as agents see it. */
export interface ExposedTool {
  readonly exposed: string;
  readonly server: string;
  readonly tool: Tool;
}

/** A tool Airlock will not serve, and why. */
export interface RefusedTool {
  readonly server: string;
  readonly name: string;
  readonly reason: string;
}

/** The tools agents may call, by exposed name, and those refused. */
export interface ToolTable {
  readonly tools: ReadonlyMap<string, ExposedTool>;
  readonly refused: readonly RefusedTool[];
}

/** The name agents call a server's tool by. */
export function toExposedName(server: string, tool: string): string {
  return `${server}${NAME_SEPARATOR}${tool}`;
}

/**
 * Builds the table of every server's tools under namespaced names. Refused: names outside
 * MCP's tool-name format (invisible or look-alike characters among them), names too long once
 * namespaced, and every name whose skeleton another exposed name shares: Airlock cannot tell
 * which of two look-alikes the agent meant, so it serves neither.
 */
export function buildToolTable(
  servers: readonly { readonly name: string; readonly tools: readonly Tool[] }[],
): ToolTable {
  const refused: RefusedTool[] = [];
  const candidates: ExposedTool[] = [];
  for (const server of servers) {
    for (const tool of server.tools) {
      const others = server.tools.map((item) => item.name).filter((name) => name !== tool.name);
      const problem = toolNameProblem(tool.name, others);
      const exposed = toExposedName(server.name, tool.name);
      if (problem !== undefined)
        refused.push({ server: server.name, name: tool.name, reason: problem });
      else if (exposed.length > MAX_TOOL_NAME_LENGTH)
        refused.push({
          server: server.name,
          name: tool.name,
          reason: 'the namespaced name is longer than 128 characters',
        });
      else candidates.push({ exposed, server: server.name, tool });
    }
  }
  const bySkeleton = new Map<string, ExposedTool[]>();
  for (const candidate of candidates) {
    const skeleton = toolNameSkeleton(candidate.exposed);
    bySkeleton.set(skeleton, [...(bySkeleton.get(skeleton) ?? []), candidate]);
  }
  const tools = new Map<string, ExposedTool>();
  for (const group of bySkeleton.values()) {
    if (group.length === 1 && group[0] !== undefined) {
      tools.set(group[0].exposed, group[0]);
      continue;
    }
    const names = group.map((item) => `\`${item.exposed}\``).join(', ');
    for (const item of group)
      refused.push({
        server: item.server,
        name: item.tool.name,
        reason: `confusable with another tool: ${names}`,
      });
  }
  return { tools, refused };
}
