import type { McpCatalog, McpServerProfile } from './mcp-catalog.js';
import { RAILWAY_MCP_CATALOG } from './railway-mcp-catalog.js';
import {
  EVERYTHING_CATALOG,
  FILESYSTEM_CATALOG,
  MEMORY_CATALOG,
  POSTGRES_CATALOG,
  SHELL_CATALOG,
} from './reference-catalogs.js';

/** Every catalog Airlock ships, by name (what `catalog:` in airlock.yaml may say). */
export const MCP_CATALOGS: Readonly<Record<string, McpCatalog>> = {
  filesystem: FILESYSTEM_CATALOG,
  memory: MEMORY_CATALOG,
  everything: EVERYTHING_CATALOG,
  postgres: POSTGRES_CATALOG,
  railway: RAILWAY_MCP_CATALOG,
  shell: SHELL_CATALOG,
};

/**
 * The profile of a server nothing was configured for: the shipped catalog of the same name
 * (`railway`, `filesystem`, …), else none, so that every tool of it is unknown.
 */
export function builtinProfileFor(server: string): McpServerProfile {
  const catalog = Object.hasOwn(MCP_CATALOGS, server) ? MCP_CATALOGS[server] : undefined;
  return catalog === undefined ? {} : { catalog };
}
