import type { McpCatalog, McpToolEntry } from './mcp-catalog.js';

// Catalogs of the official MCP reference servers (github.com/modelcontextprotocol/servers),
// classified from their sources, not from the annotations they send. Keys are canonical tool
// names (`toCatalogKey`: lowercase, `-` and `.` as `_`).

const read: McpToolEntry = { effect: 'read', reversible: true };

/** `@modelcontextprotocol/server-filesystem`: paths are judged against Airlock's roots. */
export const FILESYSTEM_CATALOG: McpCatalog = {
  name: 'filesystem',
  tools: {
    read_file: { ...read, args: { path: 'read-path' } },
    read_text_file: { ...read, args: { path: 'read-path' } },
    read_media_file: { ...read, args: { path: 'read-path' } },
    read_multiple_files: { ...read, args: { paths: 'read-path' } },
    list_directory: { ...read, args: { path: 'read-path' } },
    list_directory_with_sizes: { ...read, args: { path: 'read-path' } },
    directory_tree: { ...read, args: { path: 'read-path' } },
    search_files: { ...read, args: { path: 'read-path' } },
    get_file_info: { ...read, args: { path: 'read-path' } },
    list_allowed_directories: read,
    write_file: {
      effect: 'write',
      reversible: false,
      args: { path: 'write-path' },
      note: 'replaces an existing file whole: destructive unless the file is known not to exist',
    },
    edit_file: {
      effect: 'write',
      reversible: true,
      args: { path: 'edit-path' },
      note: 'line edits; the diff is returned',
    },
    create_directory: { effect: 'write', reversible: true, args: { path: 'create-path' } },
    move_file: {
      effect: 'write',
      reversible: true,
      args: { source: 'move-source', destination: 'write-path' },
      note: 'moving over an existing file destroys it',
    },
  },
};

/** `@modelcontextprotocol/server-memory`: a knowledge graph in one file. */
export const MEMORY_CATALOG: McpCatalog = {
  name: 'memory',
  tools: {
    create_entities: { effect: 'write', reversible: true },
    create_relations: { effect: 'write', reversible: true },
    add_observations: { effect: 'write', reversible: true },
    delete_entities: { effect: 'destructive', reversible: false },
    delete_observations: { effect: 'destructive', reversible: false },
    delete_relations: { effect: 'destructive', reversible: false },
    read_graph: read,
    search_nodes: read,
    open_nodes: read,
  },
};

/**
 * `@modelcontextprotocol/server-everything`: the protocol test server (current and older tool
 * names). Nothing in it touches data outside its own process.
 */
export const EVERYTHING_CATALOG: McpCatalog = {
  name: 'everything',
  tools: {
    echo: read,
    get_annotated_message: read,
    get_env: { ...read, note: 'returns the server process environment to the caller' },
    get_resource_links: read,
    get_resource_reference: read,
    get_roots_list: read,
    get_structured_content: read,
    get_sum: read,
    get_tiny_image: read,
    gzip_file_as_resource: {
      effect: 'write',
      reversible: true,
      note: 'fetches a URL and registers a resource',
    },
    toggle_simulated_logging: { effect: 'write', reversible: true },
    toggle_subscriber_updates: { effect: 'write', reversible: true },
    trigger_elicitation_request: read,
    trigger_elicitation_request_async: read,
    trigger_url_elicitation: read,
    trigger_long_running_operation: read,
    trigger_sampling_request: read,
    trigger_sampling_request_async: read,
    simulate_research_query: read,
    add: read,
    longrunningoperation: read,
    printenv: read,
    samplellm: read,
    gettinyimage: read,
    annotatedmessage: read,
    getresourcereference: read,
    getresourcelinks: read,
    structuredcontent: read,
    startelicitation: read,
    zip: { effect: 'write', reversible: true },
  },
};

/**
 * `@modelcontextprotocol/server-postgres`: one `query` tool. The server wraps it in a READ ONLY
 * transaction, which `COMMIT; …` escapes, so the SQL itself decides.
 */
export const POSTGRES_CATALOG: McpCatalog = {
  name: 'postgres',
  tools: {
    query: { effect: 'read', reversible: true, args: { sql: 'sql' }, decidedBy: 'sql' },
  },
};

const runs: McpToolEntry = {
  effect: 'read',
  reversible: true,
  args: { command: 'command' },
  decidedBy: 'command',
};

/** Servers that run shell commands (`run_command` and its usual spellings). */
export const SHELL_CATALOG: McpCatalog = {
  name: 'shell',
  tools: {
    run_command: runs,
    execute_command: runs,
    run_shell_command: runs,
    shell_exec: runs,
    exec_command: runs,
    bash: runs,
  },
};
