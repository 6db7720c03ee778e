import type { Action } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import type { ShellContext } from '../shell/index.js';

/**
 * Agent clients' file tools (Claude Code `Edit|Write|NotebookEdit`, Cursor `preToolUse`, Codex
 * `apply_patch`, Gemini `write_file|replace`) as actions, judged like the shell's writes.
 * Placeholder until issue 15 part 6 lands: every written path is a write.
 */

/** One file-tool call: the paths it would write (create, edit, delete) and read, from `cwd`. */
export interface FileToolCall {
  readonly tool: string;
  readonly writes: readonly string[];
  readonly reads?: readonly string[];
  readonly cwd: string;
}

/** The actions of one file-tool call under `upstream` (the hooks' shell upstream). */
export function classifyFileTool(call: FileToolCall, upstream: string, _context: ShellContext = {}): Action[] {
  const digest = digestRequest({ tool: call.tool, writes: [...call.writes], reads: [...(call.reads ?? [])], cwd: call.cwd });
  const action = (effect: 'read' | 'write', path: string): Action => ({
    upstream,
    surface: 'shell',
    operation: `${call.tool} (file tool)`,
    effect,
    reversible: true,
    targets: [{ type: 'path', id: path, attrs: {} }],
    digest,
  });
  return [...call.writes.map((path) => action('write', path)), ...(call.reads ?? []).map((path) => action('read', path))];
}
