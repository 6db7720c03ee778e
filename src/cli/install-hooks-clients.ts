import { join } from 'node:path';
import type { HookClient } from '../adapters/hooks/index.js';

/**
 * Where and how each agent client reads its project hook configuration
 * (shared/upstreams/agent-hooks.md), and how Airlock's entry is merged into what is there:
 * other hooks and settings are kept untouched, Airlock's own entry (recognised by the hook
 * entry's file name and the client argument) is replaced in place, so running twice changes nothing.
 */

/** The marker every Airlock hook command contains; how an existing Airlock entry is recognised. */
export const HOOK_ENTRY_MARKER = 'airlock-hook';

/** One client's project hook file. */
export interface ClientHookFile {
  readonly client: HookClient;
  /** The folder whose presence means the project uses this client. */
  readonly folder: string;
  /** The config file, relative to the project. */
  readonly file: string;
  /** The events Airlock hooks, for messages and doctor. */
  readonly events: readonly string[];
  /** Whether the client has a fail-closed option and Airlock sets it. */
  readonly failClosedOption: boolean;
  /** Something the user must still do that Airlock cannot write (e.g. a feature flag in TOML). */
  readonly note?: string;
}

/** Claude Code tool names Airlock judges: the shell tool and every MCP tool. */
export const CLAUDE_MATCHER = 'Bash|mcp__.*';
/** Codex names its shell tool differently across versions; MCP tools are `mcp__server__tool`. */
export const CODEX_MATCHER = 'Bash|shell|local_shell|exec_command|mcp__.*';
/** Gemini CLI's shell tool and its MCP tools. */
export const GEMINI_MATCHER = 'run_shell_command|mcp_.*';

/** Every client's project hook file. */
export const CLIENT_HOOK_FILES: Readonly<Record<HookClient, ClientHookFile>> = {
  'claude-code': { client: 'claude-code', folder: '.claude', file: join('.claude', 'settings.json'), events: ['PreToolUse'], failClosedOption: false },
  cursor: { client: 'cursor', folder: '.cursor', file: join('.cursor', 'hooks.json'), events: ['beforeShellExecution', 'beforeMCPExecution'], failClosedOption: true },
  codex: {
    client: 'codex',
    folder: '.codex',
    file: join('.codex', 'hooks.json'),
    events: ['PreToolUse'],
    failClosedOption: false,
    note: 'Codex runs hooks only with `[features] codex_hooks = true` in config.toml',
  },
  gemini: { client: 'gemini', folder: '.gemini', file: join('.gemini', 'settings.json'), events: ['BeforeTool'], failClosedOption: false },
};

/** An existing config file Airlock will not touch: not JSON, or not the shape the client reads. */
export class HookConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookConfigError';
  }
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when a hook handler object is one Airlock wrote for this client. */
export function isAirlockHandler(handler: unknown, client: HookClient): boolean {
  if (!isRecord(handler) || typeof handler.command !== 'string') return false;
  const command = handler.command;
  return command.includes(HOOK_ENTRY_MARKER) && new RegExp(`(^|\\s)'?${client}'?(\\s|$)`).test(command);
}

/** Reads an object at `key`, creating it; refuses a value of another shape. */
function objectAt(parent: Json, key: string, where: string): Json {
  const value = parent[key];
  if (value === undefined) {
    const created: Json = {};
    parent[key] = created;
    return created;
  }
  if (!isRecord(value)) throw new HookConfigError(`${where}.${key} is not a JSON object`);
  return value;
}

function arrayAt(parent: Json, key: string, where: string): unknown[] {
  const value = parent[key];
  if (value === undefined) {
    const created: unknown[] = [];
    parent[key] = created;
    return created;
  }
  if (!Array.isArray(value)) throw new HookConfigError(`${where}.${key} is not a JSON array`);
  return value;
}

/**
 * Claude Code, Codex and Gemini share one shape: `hooks.EVENT = [{matcher, hooks: [handler]}]`.
 * Airlock's handler is replaced where it is found (in any group of the event); else a group of its own is appended.
 */
function mergeMatcherGroups(config: Json, client: HookClient, event: string, matcher: string, handler: Json): void {
  const hooks = objectAt(config, 'hooks', '(file)');
  const groups = arrayAt(hooks, event, 'hooks');
  let placed = false;
  for (const [index, group] of groups.entries()) {
    if (!isRecord(group)) throw new HookConfigError(`hooks.${event}[${index}] is not a JSON object`);
    const handlers = group.hooks;
    if (!Array.isArray(handlers)) continue;
    const at = handlers.findIndex((existing) => isAirlockHandler(existing, client));
    if (at < 0) continue;
    if (placed) {
      handlers.splice(at, 1);
      continue;
    }
    handlers[at] = handler;
    group.matcher = matcher;
    placed = true;
  }
  if (!placed) groups.push({ matcher, hooks: [handler] });
}

/** Cursor: `{version: 1, hooks: {EVENT: [handler]}}`. */
function mergeCursorEvent(config: Json, event: string, handler: Json): void {
  const hooks = objectAt(config, 'hooks', '(file)');
  const handlers = arrayAt(hooks, event, 'hooks');
  const at = handlers.findIndex((existing) => isAirlockHandler(existing, 'cursor'));
  if (at >= 0) handlers[at] = handler;
  else handlers.push(handler);
}

/**
 * Parses an existing file's text (undefined: no file) and returns the config with Airlock's hook
 * merged in. Throws {@link HookConfigError} for text that is not a JSON object of the client's shape.
 */
export function mergeHookConfig(client: HookClient, existing: string | undefined, command: string): Json {
  let config: Json = {};
  if (existing !== undefined && existing.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (error) {
      throw new HookConfigError(`not valid JSON (${error instanceof Error ? error.message : 'parse error'})`);
    }
    if (!isRecord(parsed)) throw new HookConfigError('not a JSON object');
    config = parsed;
  }
  switch (client) {
    case 'claude-code':
      // timeout in seconds; a timeout lets the call run, so it is generous and the hook is fast.
      mergeMatcherGroups(config, client, 'PreToolUse', CLAUDE_MATCHER, { type: 'command', command, timeout: 30 });
      break;
    case 'codex':
      mergeMatcherGroups(config, client, 'PreToolUse', CODEX_MATCHER, { type: 'command', command, timeout: 30 });
      break;
    case 'gemini':
      // Gemini's timeout is in milliseconds.
      mergeMatcherGroups(config, client, 'BeforeTool', GEMINI_MATCHER, { name: 'airlock', type: 'command', command, timeout: 30_000 });
      break;
    case 'cursor':
      if (config.version === undefined) config.version = 1;
      // SECURITY: without failClosed a crashing or timed-out hook lets the command run.
      for (const event of CLIENT_HOOK_FILES.cursor.events) mergeCursorEvent(config, event, { command, timeout: 30, failClosed: true });
      break;
  }
  return config;
}

/** The Airlock handlers found in a config, per event (for doctor). */
export function airlockCommandsIn(client: HookClient, config: unknown): { event: string; command: string | undefined }[] {
  const hooks = isRecord(config) && isRecord(config.hooks) ? config.hooks : {};
  return CLIENT_HOOK_FILES[client].events.map((event) => {
    const entries = Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : [];
    const handlers = client === 'cursor' ? entries : entries.flatMap((group) => (isRecord(group) && Array.isArray(group.hooks) ? group.hooks : []));
    const found = handlers.find((handler) => isAirlockHandler(handler, client)) as Json | undefined;
    return { event, command: found === undefined ? undefined : (found.command as string) };
  });
}
