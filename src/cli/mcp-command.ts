import type { Command } from 'commander';

/** Registers: airlock mcp (stdio MCP proxy) (issue 8). Nothing yet. */
export function registerMcpCommands(_program: Command): void {}
