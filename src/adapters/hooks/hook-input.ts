import { isAbsolute, resolve } from 'node:path';
import { patchPaths } from './patch-paths.js';
import { readToolCall } from './read-tools.js';
import type { HookCall, HookClient } from './protocols.js';
import { HookInputError } from './protocols.js';

/**
 * Reads one client's hook input (docs/agent-hooks.md) into a {@link HookCall}: the command line
 * and the folder it runs in, the paths a file tool writes, or an MCP tool call. Input Airlock
 * cannot read where it must judge (a file tool without a path, a patch naming no file) throws
 * {@link HookInputError}, which the hook answers as the client's deny.
 */

type Json = Record<string, unknown>;

function record(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new HookInputError(`${what} is not a JSON object`);
  return value as Json;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new HookInputError(`${what} is missing`);
  return value;
}

const optionalText = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Quotes one argument exactly for a POSIX shell. */
const quoted = (part: string): string =>
  /^[A-Za-z0-9_./=:@%+-]+$/.test(part) ? part : `'${part.replaceAll("'", `'\\''`)}'`;

/** `command` as a string, or an argument vector (Codex's shell tool) joined with exact quoting. */
function commandOf(value: unknown): { command: string; argv?: string[] } {
  if (Array.isArray(value) && value.length > 0 && value.every((part) => typeof part === 'string')) {
    const argv = value as string[];
    return { command: argv.map(quoted).join(' '), argv };
  }
  return { command: text(value, 'tool_input.command') };
}

/** A folder the tool names (`dir_path`, `workdir`), resolved against the session's folder. */
function folderOf(named: unknown, cwd: string): string {
  const folder = optionalText(named);
  if (folder === undefined) return text(cwd, 'cwd');
  if (isAbsolute(folder)) return folder;
  return resolve(text(cwd, 'cwd'), folder);
}

/** `mcp__server__tool` (Claude Code, Codex) or `mcp_server_tool` (Gemini) → server and tool. */
function splitMcpName(
  name: string,
  separator: string,
): { server: string; tool: string } | undefined {
  if (!name.startsWith(`mcp${separator}`)) return undefined;
  const rest = name.slice(3 + separator.length);
  const at = rest.indexOf(separator);
  if (at <= 0) return undefined;
  return { server: rest.slice(0, at), tool: rest.slice(at + separator.length) };
}

/** The keys file tools name their target with, across clients and versions. */
const PATH_KEYS = [
  'file_path',
  'notebook_path',
  'path',
  'target_file',
  'filePath',
  'target_notebook',
  'absolute_path',
];

/** A file tool's one target, absolute; no path is unreadable input (deny). */
function fileCall(tool: string, input: Json, cwd: string): HookCall {
  const named = PATH_KEYS.map((key) => input[key]).find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  if (named === undefined) throw new HookInputError(`the ${tool} call names no file`);
  return { kind: 'file', tool, writes: [absolute(named, cwd, tool)], cwd };
}

/** A patch tool's targets: every file its headers name. */
function patchCall(tool: string, input: Json, cwd: string): HookCall {
  const raw = input.command ?? input.patch ?? input.input;
  const patch = Array.isArray(raw)
    ? raw
        .filter((part): part is string => typeof part === 'string')
        .find((part) => part.includes('*** '))
    : raw;
  if (typeof patch !== 'string') throw new HookInputError(`the ${tool} call carries no patch text`);
  const paths = patchPaths(patch);
  if (paths.length === 0) throw new HookInputError(`the ${tool} patch names no file`);
  return { kind: 'file', tool, writes: paths.map((path) => absolute(path, cwd, tool)), cwd };
}

function absolute(path: string, cwd: string, tool: string): string {
  if (isAbsolute(path)) return resolve(path);
  if (cwd === '')
    throw new HookInputError(`the ${tool} call names a relative path without a working folder`);
  return resolve(cwd, path);
}

/** Claude Code's tools that run commands, edit files, or call MCP tools. */
function claudeCall(tool: string, input: Json, cwd: string): HookCall {
  if (tool === 'Bash' || tool === 'Monitor')
    return {
      kind: 'shell',
      tool,
      dialect: 'posix',
      ...commandOf(input.command),
      cwd: text(cwd, 'cwd'),
    };
  if (tool === 'PowerShell')
    return {
      kind: 'shell',
      tool,
      dialect: 'powershell',
      command: text(input.command, 'tool_input.command'),
      cwd: text(cwd, 'cwd'),
    };
  if (tool === 'Edit' || tool === 'Write' || tool === 'MultiEdit' || tool === 'NotebookEdit')
    return fileCall(tool, input, cwd);
  const read = readToolCall(tool, input, cwd);
  if (read !== undefined) return read;
  const mcp = splitMcpName(tool, '__');
  return mcp === undefined
    ? { kind: 'other', tool }
    : { kind: 'mcp', ...mcp, arguments: input, cwd };
}

const CODEX_SHELL_TOOLS = new Set([
  'Bash',
  'shell',
  'local_shell',
  'exec_command',
  'unified_exec',
  'container.exec',
]);
const CODEX_PATCH_TOOLS = new Set(['apply_patch', 'Edit', 'Write']);

/** Codex's shell tools (in the tool's `workdir` when it names one), `apply_patch`, and MCP tools. */
function codexCall(tool: string, input: Json, cwd: string): HookCall {
  if (CODEX_SHELL_TOOLS.has(tool))
    return {
      kind: 'shell',
      tool,
      dialect: 'posix',
      ...commandOf(input.command ?? input.cmd),
      cwd: folderOf(input.workdir, cwd),
    };
  if (CODEX_PATCH_TOOLS.has(tool)) return patchCall(tool, input, cwd);
  const mcp = splitMcpName(tool, '__');
  return mcp === undefined
    ? { kind: 'other', tool }
    : { kind: 'mcp', ...mcp, arguments: input, cwd };
}

/** Gemini CLI: `run_shell_command` runs in `dir_path` (older: `directory`), resolved against `cwd`. */
function geminiCall(tool: string, input: Json, cwd: string, context: Json | undefined): HookCall {
  if (tool === 'run_shell_command')
    return {
      kind: 'shell',
      tool,
      dialect: 'posix',
      command: text(input.command, 'tool_input.command'),
      cwd: folderOf(input.dir_path ?? input.directory, cwd),
    };
  if (tool === 'write_file' || tool === 'replace') return fileCall(tool, input, cwd);
  if (context !== undefined) {
    const server = String(context.server_name ?? context.serverName ?? 'unknown');
    return {
      kind: 'mcp',
      server,
      tool: String(context.tool_name ?? context.toolName ?? tool),
      arguments: input,
      cwd,
    };
  }
  const read = readToolCall(tool, input, cwd);
  if (read !== undefined) return read;
  const mcp = splitMcpName(tool, '__') ?? splitMcpName(tool, '_');
  return mcp === undefined
    ? { kind: 'other', tool }
    : { kind: 'mcp', ...mcp, arguments: input, cwd };
}

/** Cursor's file tools that `preToolUse` reaches (shell and MCP have events of their own). */
export const CURSOR_FILE_TOOLS = [
  'Write',
  'StrReplace',
  'Delete',
  'EditNotebook',
  'ApplyPatch',
  'Edit',
  'MultiEdit',
] as const;

function cursorCall(input: Json): HookCall {
  const event = text(input.hook_event_name, 'hook_event_name');
  const roots = Array.isArray(input.workspace_roots) ? input.workspace_roots : [];
  const cwd = optionalText(input.cwd) ?? (typeof roots[0] === 'string' ? roots[0] : '');
  if (event === 'beforeShellExecution')
    return {
      kind: 'shell',
      tool: 'Shell',
      dialect: 'posix',
      command: text(input.command, 'command'),
      cwd: text(cwd, 'cwd'),
    };
  if (event === 'beforeMCPExecution') {
    const server =
      optionalText(input.url) ??
      optionalText(input.command) ??
      optionalText(input.server_name) ??
      'unknown';
    const toolInput =
      typeof input.tool_input === 'string' ? parseJsonText(input.tool_input) : input.tool_input;
    return {
      kind: 'mcp',
      server,
      tool: text(input.tool_name, 'tool_name'),
      arguments: toolInput ?? {},
      cwd,
    };
  }
  if (event === 'preToolUse') {
    const tool = text(input.tool_name, 'tool_name');
    if (!(CURSOR_FILE_TOOLS as readonly string[]).includes(tool)) return { kind: 'other', tool };
    const toolInput =
      typeof input.tool_input === 'string'
        ? record(parseJsonText(input.tool_input), 'tool_input')
        : record(input.tool_input ?? {}, 'tool_input');
    return tool === 'ApplyPatch' ? patchCall(tool, toolInput, cwd) : fileCall(tool, toolInput, cwd);
  }
  throw new HookInputError(`Airlock does not answer the ${event} event`);
}

/** Reads the client's hook input. Throws {@link HookInputError} for anything else. */
export function parseHookInput(client: HookClient, raw: string): HookCall {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HookInputError('the hook input is not JSON');
  }
  const input = record(parsed, 'the hook input');
  if (client === 'cursor') return cursorCall(input);
  const tool = text(input.tool_name, 'tool_name');
  const cwd = typeof input.cwd === 'string' ? input.cwd : '';
  const toolInput = input.tool_input === undefined ? {} : record(input.tool_input, 'tool_input');
  switch (client) {
    case 'claude-code':
      return claudeCall(tool, toolInput, cwd);
    case 'codex':
      return codexCall(tool, toolInput, cwd);
    case 'gemini': {
      const context =
        input.mcp_context === undefined || input.mcp_context === null
          ? undefined
          : record(input.mcp_context, 'mcp_context');
      return geminiCall(tool, toolInput, cwd, context);
    }
  }
}

function parseJsonText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return { raw: value };
  }
}
