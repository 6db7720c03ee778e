import type { HookClient } from '../../../adapters/hooks/index.js';
import { CURSOR_FILE_TOOLS } from '../../../adapters/hooks/index.js';
import type { HookScope } from './install-hooks-locations.js';

/**
 * How each agent client's hook configuration is shaped (docs/agent-hooks.md), and how Airlock's
 * entry is merged into what is there: other hooks and settings are kept untouched, Airlock's own
 * entry (recognised by the hook entry's file name and the client argument) is replaced in place,
 * so running twice changes nothing.
 */

/** The marker every Airlock hook command contains; how an existing Airlock entry is recognised. */
export const HOOK_ENTRY_MARKER = 'airlock-hook';

/** What a client does when the hook itself fails (missing binary, crash, timeout), and why. */
export interface FailureMode {
  readonly mode: 'closed' | 'open';
  readonly why: string;
}

/** One client's hook events and what its hook failures do. */
export interface ClientHookSpec {
  readonly client: HookClient;
  /** The events Airlock hooks, for messages and doctor. */
  readonly events: readonly string[];
  readonly failure: FailureMode;
}

/** Claude Code tools that run commands (`Monitor` runs a shell command too), edit files, or call MCP; and its file reads (issue 24: credentials). */
export const CLAUDE_MATCHER =
  'Bash|PowerShell|Monitor|Edit|Write|MultiEdit|NotebookEdit|mcp__.*|Read|Grep';
/** Codex's shell tools across versions, `apply_patch` (also matchable as Edit/Write), and MCP tools. */
export const CODEX_MATCHER =
  'Bash|shell|local_shell|exec_command|unified_exec|apply_patch|Edit|Write|mcp__.*';
/** Gemini CLI's shell tool, its file-writing tools, and its MCP tools; and its file reads (issue 24: credentials). */
export const GEMINI_MATCHER =
  'run_shell_command|write_file|replace|mcp_.*|read_file|read_many_files|search_file_content|grep_search';
/** Cursor's file tools, reached through `preToolUse` (shell and MCP have events of their own). */
export const CURSOR_FILE_MATCHER = CURSOR_FILE_TOOLS.join('|');

/** How long a client waits for the hook, in seconds (Gemini counts milliseconds). */
const HOOK_TIMEOUT_SECONDS = 30;

/** Every client's events and failure behaviour. */
export const CLIENT_HOOK_SPECS: Readonly<Record<HookClient, ClientHookSpec>> = {
  'claude-code': {
    client: 'claude-code',
    events: ['PreToolUse'],
    failure: {
      mode: 'closed',
      why: 'the entry has `"onFailure": "block"` (Claude Code 2.1.295 and later): a hook that cannot start, crashes or times out blocks the call',
    },
  },
  cursor: {
    client: 'cursor',
    events: ['beforeShellExecution', 'beforeMCPExecution', 'preToolUse'],
    failure: {
      mode: 'closed',
      why: 'each entry has `failClosed: true`: a hook that fails, times out or answers no JSON blocks the call',
    },
  },
  codex: {
    client: 'codex',
    events: ['PreToolUse'],
    failure: {
      mode: 'open',
      why: 'Codex has no fail-closed option: a hook that fails, times out, or exits 2 with empty stderr lets the tool run',
    },
  },
  gemini: {
    client: 'gemini',
    events: ['BeforeTool'],
    failure: {
      mode: 'open',
      why: 'Gemini CLI has no fail-closed option: a hook that fails or times out only warns, and the tool runs',
    },
  },
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
  return (
    command.includes(HOOK_ENTRY_MARKER) && new RegExp(`(^|\\s)'?${client}'?(\\s|$)`).test(command)
  );
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
function mergeMatcherGroups(
  config: Json,
  client: HookClient,
  event: string,
  matcher: string,
  handler: Json,
): void {
  const hooks = objectAt(config, 'hooks', '(file)');
  const groups = arrayAt(hooks, event, 'hooks');
  let placed = false;
  for (const [index, group] of groups.entries()) {
    if (!isRecord(group))
      throw new HookConfigError(`hooks.${event}[${index}] is not a JSON object`);
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

/** Parses a config file's text (undefined or blank: an empty config); refuses anything but a JSON object. */
export function parseConfigText(existing: string | undefined): Json {
  if (existing === undefined || existing.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(existing);
  } catch (error) {
    throw new HookConfigError(
      `not valid JSON (${error instanceof Error ? error.message : 'parse error'})`,
    );
  }
  if (!isRecord(parsed)) throw new HookConfigError('not a JSON object');
  return parsed;
}

/**
 * Parses an existing file's text (undefined: no file) and returns the config with Airlock's hook
 * merged in. Throws {@link HookConfigError} for text that is not a JSON object of the client's shape.
 */
export function mergeHookConfig(
  client: HookClient,
  existing: string | undefined,
  command: string,
  scope: HookScope,
): Json {
  const config = parseConfigText(existing);
  switch (client) {
    case 'claude-code':
      // SECURITY: without onFailure a missing or crashing hook lets the call run.
      mergeMatcherGroups(config, client, 'PreToolUse', CLAUDE_MATCHER, {
        type: 'command',
        command,
        timeout: HOOK_TIMEOUT_SECONDS,
        onFailure: 'block',
      });
      // Managed settings: user and project hooks are ignored, so none can answer before Airlock.
      if (scope === 'managed') config.allowManagedHooksOnly = true;
      break;
    case 'codex':
      mergeMatcherGroups(config, client, 'PreToolUse', CODEX_MATCHER, {
        type: 'command',
        command,
        timeout: HOOK_TIMEOUT_SECONDS,
      });
      break;
    case 'gemini':
      mergeMatcherGroups(config, client, 'BeforeTool', GEMINI_MATCHER, {
        name: 'airlock',
        type: 'command',
        command,
        timeout: HOOK_TIMEOUT_SECONDS * 1000,
      });
      break;
    case 'cursor': {
      if (config.version === undefined) config.version = 1;
      // SECURITY: without failClosed a crashing or timed-out hook lets the command run.
      const handler = { type: 'command', command, timeout: HOOK_TIMEOUT_SECONDS, failClosed: true };
      mergeCursorEvent(config, 'beforeShellExecution', handler);
      mergeCursorEvent(config, 'beforeMCPExecution', handler);
      mergeCursorEvent(config, 'preToolUse', { ...handler, matcher: CURSOR_FILE_MATCHER });
      break;
    }
  }
  return config;
}

/**
 * Removes every Airlock handler from a config (the migration of project files earlier versions
 * wrote), dropping groups and events left empty by it. Returns the events it removed them from.
 */
export function removeAirlockHandlers(client: HookClient, config: Json): string[] {
  if (!isRecord(config.hooks)) return [];
  const hooks = config.hooks;
  const removedFrom: string[] = [];
  for (const [event, entries] of Object.entries(hooks)) {
    if (!Array.isArray(entries)) continue;
    const kept = entries.flatMap((entry): unknown[] => {
      if (client === 'cursor') return isAirlockHandler(entry, client) ? [] : [entry];
      if (
        !isRecord(entry) ||
        !Array.isArray(entry.hooks) ||
        !entry.hooks.some((handler) => isAirlockHandler(handler, client))
      )
        return [entry];
      const handlers = entry.hooks.filter((handler) => !isAirlockHandler(handler, client));
      return handlers.length === 0 ? [] : [{ ...entry, hooks: handlers }];
    });
    if (JSON.stringify(kept) === JSON.stringify(entries)) continue;
    removedFrom.push(event);
    if (kept.length === 0) delete hooks[event];
    else hooks[event] = kept;
  }
  return removedFrom;
}

/** One Airlock handler found in a config: its event, command and the group it sits in. */
export interface FoundHandler {
  readonly event: string;
  readonly command: string | undefined;
  /** The whole handler object as written (doctor reads `onFailure`, `failClosed`, `timeout`). */
  readonly handler: Json | undefined;
  /** The matcher of its group (Claude Code, Codex, Gemini) or of the handler (Cursor). */
  readonly matcher: string | undefined;
  /** The group's index within the event (Codex identifies trusted hooks by it). */
  readonly group: number;
  /** The handler's index within its group. */
  readonly index: number;
}

/** The Airlock handlers found in a config, per event (for doctor). */
export function airlockHandlersIn(client: HookClient, config: unknown): FoundHandler[] {
  const hooks = isRecord(config) && isRecord(config.hooks) ? config.hooks : {};
  return CLIENT_HOOK_SPECS[client].events.map((event) => {
    const entries = Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : [];
    for (const [group, entry] of entries.entries()) {
      if (client === 'cursor') {
        if (isAirlockHandler(entry, client)) {
          const handler = entry as Json;
          return {
            event,
            command: handler.command as string,
            handler,
            matcher: typeof handler.matcher === 'string' ? handler.matcher : undefined,
            group,
            index: 0,
          };
        }
        continue;
      }
      const handlers = isRecord(entry) && Array.isArray(entry.hooks) ? entry.hooks : [];
      const index = handlers.findIndex((handler) => isAirlockHandler(handler, client));
      if (index >= 0) {
        const handler = handlers[index] as Json;
        return {
          event,
          command: handler.command as string,
          handler,
          matcher: isRecord(entry) && typeof entry.matcher === 'string' ? entry.matcher : undefined,
          group,
          index,
        };
      }
    }
    return {
      event,
      command: undefined,
      handler: undefined,
      matcher: undefined,
      group: -1,
      index: -1,
    };
  });
}
