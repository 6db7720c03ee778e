import type { Action } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import type { Finding, ShellContext } from '../shell/index.js';
import {
  deletionLoss,
  guardFindings,
  isHarmlessDevice,
  resolvePath,
  shellFindingAction,
} from '../shell/index.js';

/**
 * Agent clients' file tools (Claude Code `Edit|Write|NotebookEdit`, Cursor `preToolUse`, Codex
 * `apply_patch`, Gemini `write_file|replace`) as actions, judged like the shell's writes: a file
 * the project's git can give back is a `write`; a precious file (`.env*`, databases, keys) or
 * anything outside the project (but scratch space) is `destructive`, as the shell's loss rules
 * say; and what Airlock guards (its home, its code, any client's hook configuration, other
 * processes' environments) gets the guard's target, which the firewall denies.
 */

/** One file-tool call: the paths it would write (create, edit, delete) and read, from `cwd`. */
export interface FileToolCall {
  readonly tool: string;
  readonly writes: readonly string[];
  readonly reads?: readonly string[];
  readonly cwd: string;
}

/** The digest an approval of a file-tool call binds to: the tool, its paths and folder. */
export function digestFileTool(call: FileToolCall): string {
  return digestRequest({
    tool: call.tool,
    writes: [...call.writes],
    reads: [...(call.reads ?? [])],
    cwd: call.cwd,
  });
}

/** The actions of one file-tool call under `upstream` (the hooks' shell upstream). */
export function classifyFileTool(
  call: FileToolCall,
  upstream: string,
  context: ShellContext = {},
): Action[] {
  const digest = digestFileTool(call);
  const project = call.cwd.startsWith('/') ? stripSlash(call.cwd) : undefined;
  const operation = `${call.tool} (file tool)`;
  const findings: Finding[] = [
    ...call.writes.map((path) => writeFinding(operation, path, project)),
    ...(call.reads ?? []).map((path): Finding => {
      const resolved = resolvePath(path, project);
      return { operation, effect: 'read', targets: [{ type: 'path', id: resolved ?? path }] };
    }),
  ];
  if (findings.length === 0)
    findings.push({ operation: `${operation}: no path`, effect: 'unknown', targets: [] });
  return guardFindings(findings, context.guard).map((finding) =>
    shellFindingAction(finding, upstream, digest),
  );
}

/** A file the tool creates, edits or deletes: judged as losing what it held. */
function writeFinding(operation: string, path: string, project: string | undefined): Finding {
  const resolved = resolvePath(path, project);
  if (resolved === undefined)
    return {
      operation: `${operation} (path known only at run time)`,
      effect: 'unknown',
      targets: [{ type: 'path', id: path }],
    };
  const targets = [{ type: 'path', id: resolved }];
  if (resolved.startsWith('/dev/'))
    return { operation, effect: isHarmlessDevice(resolved) ? 'write' : 'destructive', targets };
  return {
    operation,
    effect: deletionLoss(resolved, false, project) === 'cheap' ? 'write' : 'destructive',
    targets,
  };
}

function stripSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
