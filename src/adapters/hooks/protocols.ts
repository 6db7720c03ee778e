/**
 * Each agent client's pre-tool hook protocol (docs/agent-hooks.md): what a hook call is once its
 * JSON is read, and the exact answer shape and exit code each client honours. A hook that answers
 * in the wrong shape is ignored and the client runs the command, so every shape here is covered by
 * a test that feeds the client's real input through the real binary.
 */

/** The clients Airlock answers for. */
export type HookClient = 'claude-code' | 'cursor' | 'codex' | 'gemini';

/** The gateway path the hook's client mode forwards calls to: `/hooks/CLIENT`. */
export const HOOK_ROUTE_PREFIX = '/hooks';

/** Every client, in the order `install-hooks` writes them. */
export const HOOK_CLIENTS: readonly HookClient[] = ['claude-code', 'cursor', 'codex', 'gemini'];

/** What the client asks to run. */
export type HookCall =
  | {
      readonly kind: 'shell';
      /** The client's tool name (`Bash`, `PowerShell`, `Monitor`, `run_shell_command`, …). */
      readonly tool: string;
      /** PowerShell text is not POSIX shell: Airlock cannot parse it. */
      readonly dialect: 'posix' | 'powershell';
      /** The command line exactly as it will run (an argument vector joined with exact quoting). */
      readonly command: string;
      /** The folder it runs in. */
      readonly cwd: string;
      /** The argument vector when the client sent one (Codex), for approvers. */
      readonly argv?: readonly string[];
    }
  | {
      readonly kind: 'file';
      readonly tool: string;
      /** Absolute paths the tool creates, edits, moves or deletes. */
      readonly writes: readonly string[];
      readonly reads?: readonly string[];
      readonly cwd: string;
    }
  | {
      readonly kind: 'mcp';
      readonly server: string;
      readonly tool: string;
      readonly arguments: unknown;
      readonly cwd: string;
    }
  /** A tool Airlock does not judge (reads, searches): the client's own permissions decide. */
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

const json = (value: unknown): string => `${JSON.stringify(value)}\n`;

/** Said whenever a deny would otherwise carry no text: Codex runs the tool when stderr is empty. */
const FALLBACK_DENIAL = 'Airlock denied this call. Nothing was run.';

/**
 * The client's exact answer for a verdict. Hold is answered as deny: approval is out of band.
 * An allow is never more than "no objection": the client's own permission flow still runs.
 */
export function formatAnswer(client: HookClient, verdict: HookVerdict): HookAnswer {
  if (verdict.verdict === 'allow') return formatPass(client);
  // SECURITY: every deny exits 2 with the reason on stderr, the one block every client honours
  // (Codex counts exit 2 with empty stderr as a failed hook and runs the tool).
  const message = verdict.message.trim() === '' ? FALLBACK_DENIAL : verdict.message;
  const stderr = `${message}\n`;
  switch (client) {
    case 'claude-code':
      return {
        stdout: json({
          hookSpecificOutput: {
            hookEventName: 'PreToolUse',
            permissionDecision: 'deny',
            permissionDecisionReason: message,
          },
        }),
        stderr,
        exitCode: 2,
      };
    case 'cursor':
      return {
        stdout: json({ permission: 'deny', user_message: message, agent_message: message }),
        stderr,
        exitCode: 2,
      };
    case 'codex':
      // Codex counts an output field it does not expect as a failed hook: stderr only.
      return { stdout: '', stderr, exitCode: 2 };
    case 'gemini':
      return { stdout: json({ decision: 'deny', reason: message }), stderr, exitCode: 2 };
  }
}

/**
 * No objection: the client's own permission rules decide. Claude Code's `allow` would skip the
 * user's permission prompt, so nothing is printed. Cursor reads an empty answer as a failed hook
 * (which `failClosed` turns into a block), so it gets `{"permission":"allow"}`, which reports say
 * Cursor does not let past its own allowlist and approval (docs/agent-hooks.md). Gemini treats
 * `allow` as no decision: its policy and confirmation still run.
 */
export function formatPass(client: HookClient): HookAnswer {
  switch (client) {
    case 'cursor':
      return { stdout: json({ permission: 'allow' }), stderr: '', exitCode: 0 };
    case 'gemini':
      return { stdout: json({ decision: 'allow' }), stderr: '', exitCode: 0 };
    case 'claude-code':
    case 'codex':
      return { stdout: '', stderr: '', exitCode: 0 };
  }
}
