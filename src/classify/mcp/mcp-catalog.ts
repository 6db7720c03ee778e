import type { Effect } from '../../core/index.js';

/**
 * What one argument of a tool carries, so Airlock can look inside it:
 * - `command`: a shell command line (shell classifier);
 * - `sql`: PostgreSQL text (SQL classifier);
 * - `graphql`: a GraphQL document (GraphQL classifier);
 * - `read-path`: a path the tool reads;
 * - `write-path`: a path the tool creates or replaces (destructive when it may already exist);
 * - `edit-path`: an existing file the tool changes in place;
 * - `create-path`: a path the tool creates and never replaces (a directory);
 * - `move-source`: a path the tool takes away (moved elsewhere);
 * - `{ target }`: the id of a thing the tool acts on, of that type (`volume`, `service`, …).
 */
export type ArgumentRole =
  | 'command'
  | 'sql'
  | 'graphql'
  | 'read-path'
  | 'write-path'
  | 'edit-path'
  | 'create-path'
  | 'move-source'
  | { readonly target: string };

/** How Airlock understands one tool of one MCP server. */
export interface McpToolEntry {
  /**
   * What the tool does by itself. A tool that only runs what an argument says (`run_command`,
   * `query`) is `read` here: the argument's own classification decides.
   */
  readonly effect: Effect;
  readonly reversible: boolean;
  /** Arguments worth looking inside, by name. */
  readonly args?: Readonly<Record<string, ArgumentRole>>;
  /**
   * The argument whose content is the whole point of the tool (`command`, `sql`): when it is
   * missing or not text, Airlock cannot tell what the call does, so the call is `unknown`.
   */
  readonly decidedBy?: string;
  /** Why this classification, when it is not obvious from the name. */
  readonly note?: string;
}

/** One kind of MCP server's tools, as data. Keys are canonical tool names (`toCatalogKey`). */
export interface McpCatalog {
  readonly name: string;
  readonly tools: Readonly<Record<string, McpToolEntry>>;
}

/** What Airlock knows of one configured MCP server: its catalog, overrides and folders. */
export interface McpServerProfile {
  /** The catalog its tools are judged by; undefined: none (every tool is unknown). */
  readonly catalog?: McpCatalog;
  /** Per-tool classifications from config; they win over the catalog. */
  readonly tools?: Readonly<Record<string, McpToolEntry>>;
  /**
   * The folders the agent may write in, absolute. Undefined: not known, so no write can be
   * shown to stay inside them.
   */
  readonly roots?: readonly string[];
  /** Working folder for relative paths and shell commands; default the first root, else `/`. */
  readonly cwd?: string;
}

/** What a path argument was found to be by the proxy before judging (never from the agent). */
export type PathFact = 'absent' | 'file' | 'directory';
