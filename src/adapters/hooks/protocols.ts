/**
 * Each agent client's pre-tool hook protocol (see shared/upstreams/agent-hooks.md): how its JSON
 * input names the tool call, and the exact answer shape and exit code it honours. A hook that
 * answers in the wrong shape is ignored and the client runs the command, so every shape here is
 * covered by a test that feeds the client's real input through the real binary.
 */

/** The clients Airlock answers for. */
export type HookClient = 'claude-code' | 'cursor' | 'codex' | 'gemini';

/** Every client, in the order `install-hooks` writes them. */
export const HOOK_CLIENTS: readonly HookClient[] = ['claude-code', 'cursor', 'codex', 'gemini'];

/** What the client asks to run. */
export type HookCall =
  | { readonly kind: 'shell'; readonly command: string; readonly cwd: string }
  | { readonly kind: 'mcp'; readonly server: string; readonly tool: string; readonly arguments: unknown; readonly cwd: string }
  /** A tool Airlock does not judge (file edits, reads): the client's own permissions decide. */
  | { readonly kind: 'other'; readonly tool: string };

/** Airlock's verdict as the hook must convey it. */
export interface HookVerdict {
  readonly verdict: 'allow' | 'hold' | 'deny';
  /** One or two sentences for the agent (and the user). */
  readonly message: string;
}

/** What the hook process prints and how it exits. */
export interface HookAnswer {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** The input is not what the client sends: the hook denies. */
export class HookInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookInputError';
  }
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HookInputError(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new HookInputError(`${what} is missing`);
  return value;
}

/** A command given as an argument vector (Codex's shell tool) becomes one exactly quoted line. */
function commandLine(value: unknown): string {
  if (Array.isArray(value) && value.length > 0 && value.every((part) => typeof part === 'string')) {
    return value.map((part: string) => (/^[A-Za-z0-9_./=:@%+-]+$/.test(part) ? part : `'${part.replaceAll("'", `'\\''`)}'`)).join(' ');
  }
  return text(value, 'tool_input.command');
}

/** `mcp__server__tool` (Claude Code, Codex) → server and tool. */
function splitMcpName(name: string, separator: string): { server: string; tool: string } | undefined {
  if (!name.startsWith(`mcp${separator}`)) return undefined;
  const rest = name.slice(3 + separator.length);
  const at = rest.indexOf(separator);
  if (at <= 0) return undefined;
  return { server: rest.slice(0, at), tool: rest.slice(at + separator.length) };
}

const SHELL_TOOLS = new Set(['Bash', 'bash', 'shell', 'Shell', 'local_shell', 'exec_command', 'run_shell_command']);

/** Reads the client's hook input. Throws {@link HookInputError} for anything else. */
export function parseHookInput(client: HookClient, raw: string): HookCall {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new HookInputError('the hook input is not JSON');
  }
  const input = record(json, 'the hook input');
  if (client === 'cursor') {
    const event = text(input.hook_event_name, 'hook_event_name');
    const roots = Array.isArray(input.workspace_roots) ? input.workspace_roots : [];
    const cwd = typeof input.cwd === 'string' && input.cwd !== '' ? input.cwd : typeof roots[0] === 'string' ? roots[0] : '';
    if (event === 'beforeShellExecution') return { kind: 'shell', command: text(input.command, 'command'), cwd: text(cwd, 'cwd') };
    if (event === 'beforeMCPExecution') {
      const server = typeof input.url === 'string' ? input.url : typeof input.command === 'string' ? input.command : 'unknown';
      const toolInput = typeof input.tool_input === 'string' ? parseJsonText(input.tool_input) : input.tool_input;
      return { kind: 'mcp', server, tool: text(input.tool_name, 'tool_name'), arguments: toolInput ?? {}, cwd: typeof cwd === 'string' ? cwd : '' };
    }
    throw new HookInputError(`Airlock does not answer the ${event} event`);
  }
  const tool = text(input.tool_name, 'tool_name');
  const cwd = typeof input.cwd === 'string' ? input.cwd : '';
  const toolInput = input.tool_input === undefined ? {} : record(input.tool_input, 'tool_input');
  if (SHELL_TOOLS.has(tool)) return { kind: 'shell', command: commandLine(toolInput.command), cwd: text(cwd, 'cwd') };
  if (client === 'gemini') {
    const context = input.mcp_context === undefined || input.mcp_context === null ? undefined : record(input.mcp_context, 'mcp_context');
    if (context !== undefined) {
      const server = String(context.server_name ?? context.serverName ?? 'unknown');
      const name = String(context.tool_name ?? context.toolName ?? tool);
      return { kind: 'mcp', server, tool: name, arguments: toolInput, cwd };
    }
  }
  const mcp = splitMcpName(tool, '__') ?? (client === 'gemini' ? splitMcpName(tool, '_') : undefined);
  if (mcp !== undefined) return { kind: 'mcp', ...mcp, arguments: toolInput, cwd };
  return { kind: 'other', tool };
}

function parseJsonText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return { raw: value };
  }
}

const json = (value: unknown): string => `${JSON.stringify(value)}\n`;

/** The client's exact answer for a verdict. Hold is answered as deny: approval is out of band. */
export function formatAnswer(client: HookClient, verdict: HookVerdict): HookAnswer {
  const allowed = verdict.verdict === 'allow';
  switch (client) {
    case 'claude-code':
      return {
        stdout: json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: allowed ? 'allow' : 'deny', permissionDecisionReason: verdict.message } }),
        stderr: allowed ? '' : `${verdict.message}\n`,
        exitCode: allowed ? 0 : 2,
      };
    case 'cursor':
      return {
        stdout: json({ permission: allowed ? 'allow' : 'deny', user_message: verdict.message, agent_message: verdict.message }),
        stderr: allowed ? '' : `${verdict.message}\n`,
        exitCode: allowed ? 0 : 2,
      };
    case 'codex':
      // Codex counts any unknown output field as a failed hook and runs the tool: answer only deny.
      return allowed ? { stdout: '', stderr: '', exitCode: 0 } : { stdout: '', stderr: `${verdict.message}\n`, exitCode: 2 };
    case 'gemini':
      return {
        stdout: json({ decision: allowed ? 'allow' : 'deny', reason: verdict.message }),
        stderr: allowed ? '' : `${verdict.message}\n`,
        exitCode: allowed ? 0 : 2,
      };
  }
}

/** No opinion: the client's own permission rules decide (tools Airlock does not judge). */
export function formatPass(client: HookClient): HookAnswer {
  return { stdout: client === 'cursor' ? json({ permission: 'allow' }) : '', stderr: '', exitCode: 0 };
}
