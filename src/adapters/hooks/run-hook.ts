import type {
  Action,
  ApprovalRequestV1,
  JsonValue,
  PolicyEngine,
  SurfaceKind,
} from '../../core/index.js';
import { toDecision } from '../../core/index.js';
import type { FileToolCall } from '../../classify/index.js';
import { digestFileTool, digestShellCommand } from '../../classify/index.js';
import type { DecideOptions, JudgeRequest, Judgment } from '../../firewall/index.js';
import { DRY_RUN_PRINCIPAL, decideAction } from '../../firewall/index.js';
import { toShownRequest } from '../shared/index.js';
import { parseHookInput } from './hook-input.js';
import type { HookAnswer, HookCall, HookClient, HookVerdict } from './protocols.js';
import { formatAnswer, formatPass, HookInputError } from './protocols.js';

/** The upstream name shell commands and file edits from agent hooks are judged under (grants name it). */
export const HOOK_SHELL_UPSTREAM = 'shell';

/** One judge request as a hook makes it: what the firewall judges, and what approvers are shown. */
export interface HookJudgeRequest extends Pick<
  JudgeRequest,
  'surface' | 'digest' | 'actions' | 'shown'
> {
  /** The agent's token, which the wiring passes to `Firewall.judge` as `who` (empty in a dry run). */
  readonly token: string;
}

/** What a hook needs from Airlock; wired by the CLI from the home folder. */
export interface HookDeps {
  /** The agent's Airlock token (from the environment); undefined when absent. */
  readonly token: string | undefined;
  /**
   * Judge without a token and without recording anything (no audit, no pending approval):
   * `airlock doctor` probes an installed hook this way. Set only by an explicit `--dry-run` flag.
   */
  readonly dryRun?: boolean;
  classifyShell(command: string, cwd: string): Promise<Action[]>;
  /** An agent file tool's writes (and reads), judged like the shell's (`classifyFileTool`). */
  classifyFile(call: FileToolCall): Promise<Action[]>;
  classifyMcp(call: { server: string; tool: string; arguments: unknown }): Promise<Action[]>;
  judge(request: HookJudgeRequest): Promise<Judgment>;
}

/**
 * What one judgeable call becomes: its surface, actions, digest (as its classifier defines it:
 * `digestShellCommand`, `digestFileTool`, or the MCP call's as its actions carry it) and what
 * approvers read.
 */
interface Classified {
  readonly surface: SurfaceKind;
  readonly actions: readonly Action[];
  readonly digest: string;
  readonly details: { readonly [key: string]: JsonValue };
}

/**
 * Answers one hook call: parse the client's input, classify, judge through the firewall, answer
 * in the client's format. Fails closed: bad input, a missing token or any error is the client's deny.
 */
export async function runHook(
  client: HookClient,
  input: string,
  deps: () => Promise<HookDeps>,
): Promise<HookAnswer> {
  try {
    const call = parseHookInput(client, input);
    if (call.kind === 'other') return formatPass(client);
    const wired = await deps();
    const dryRun = wired.dryRun === true;
    if (!dryRun && (wired.token === undefined || wired.token === ''))
      return formatAnswer(client, refusal('no Airlock token: set AIRLOCK_TOKEN for the agent'));
    const token = wired.token ?? '';
    const classified = await classify(call, wired);
    // SECURITY: the agent's token is scrubbed out of anything approvers are shown.
    const shown = (): ApprovalRequestV1 =>
      toShownRequest(classified.actions, classified.details, [token]);
    const judgment = await wired.judge({
      token,
      surface: classified.surface,
      digest: classified.digest,
      actions: classified.actions,
      shown,
    });
    return formatAnswer(client, verdictOf(judgment, dryRun));
  } catch (error) {
    const why =
      error instanceof HookInputError ? error.message : 'Airlock failed while judging this call';
    return formatAnswer(client, refusal(why));
  }
}

async function classify(
  call: Exclude<HookCall, { kind: 'other' }>,
  deps: HookDeps,
): Promise<Classified> {
  switch (call.kind) {
    case 'shell': {
      const digest = digestShellCommand(call.command, call.cwd);
      const details = {
        tool: call.tool,
        command: call.command,
        cwd: call.cwd,
        ...(call.argv === undefined ? {} : { argv: [...call.argv] }),
      };
      const actions =
        call.dialect === 'powershell'
          ? [
              unreadableCommand(
                call.command,
                digest,
                'PowerShell commands cannot be parsed by Airlock',
              ),
            ]
          : await deps.classifyShell(call.command, call.cwd);
      return { surface: 'shell', actions, digest, details };
    }
    case 'file': {
      const request: FileToolCall = {
        tool: call.tool,
        writes: call.writes,
        ...(call.reads === undefined ? {} : { reads: call.reads }),
        cwd: call.cwd,
      };
      const actions = await deps.classifyFile(request);
      const details = {
        tool: call.tool,
        writes: [...call.writes],
        reads: [...(call.reads ?? [])],
        cwd: call.cwd,
      };
      return { surface: 'shell', actions, digest: digestFileTool(request), details };
    }
    case 'mcp': {
      const request = { server: call.server, tool: call.tool, arguments: call.arguments };
      const actions = await deps.classifyMcp(request);
      return {
        surface: 'mcp',
        actions,
        digest: classifierDigest(actions),
        details: {
          server: call.server,
          tool: call.tool,
          arguments: (call.arguments ?? null) as JsonValue,
        },
      };
    }
  }
}

/**
 * The digest a classifier gave the request, which every action carries.
 * INVARIANT: classifiers give at least one action; none would be a bug, denied by the caller.
 */
function classifierDigest(actions: readonly Action[]): string {
  const first = actions[0];
  if (first === undefined) throw new Error('the classifier gave no action');
  return first.digest;
}

/** A command Airlock cannot read: `unknown`, so policy holds it, with the reason approvers see. */
function unreadableCommand(command: string, digest: string, reason: string): Action {
  return {
    upstream: HOOK_SHELL_UPSTREAM,
    surface: 'shell',
    operation: 'powershell',
    effect: 'unknown',
    reversible: false,
    targets: [{ type: 'command', id: command, attrs: { reason } }],
    digest,
  };
}

function refusal(why: string): HookVerdict {
  return { verdict: 'deny', message: `Airlock denied this call: ${why}. Nothing was run.` };
}

/** The message each verdict carries; a hold tells the agent to stop and wait for a human. */
export function verdictOf(judgment: Judgment, dryRun = false): HookVerdict {
  const { decision } = judgment;
  if (decision.verdict === 'allow')
    return {
      verdict: 'allow',
      message: dryRun ? 'Airlock would allow this call (dry run).' : 'Airlock allowed this call.',
    };
  if (decision.verdict === 'hold' && dryRun) {
    return {
      verdict: 'hold',
      message: `Airlock would hold this call for human approval (dry run: no approval was created). ${decision.reasons.join('; ')}`,
    };
  }
  if (decision.verdict === 'hold') {
    const needed = decision.approval?.needed ?? 1;
    return {
      verdict: 'hold',
      message:
        `Airlock held this call for human approval (approval ${decision.approval?.id ?? 'unknown'}, ${needed} approval${needed === 1 ? '' : 's'} needed). ` +
        'Stop and wait: do not retry or work around it. After a human approves it, run the identical command again from the same directory; it will be allowed once.',
    };
  }
  const reasons = decision.reasons.length > 0 ? ` ${decision.reasons.join('; ')}` : '';
  return { verdict: 'deny', message: `Airlock denied this call.${reasons}` };
}

/**
 * A judge for dry runs: classification and policy only, for a principal granted everything
 * (like `airlock check`). Touches no store: nothing is audited and no approval is created.
 */
export function dryRunJudge(engine: PolicyEngine, options: DecideOptions): HookDeps['judge'] {
  return async (request) => {
    const verdicts = request.actions.map((action) =>
      decideAction(engine, DRY_RUN_PRINCIPAL, action, options),
    );
    return { decision: toDecision('dec_dry_run', verdicts), principal: DRY_RUN_PRINCIPAL };
  };
}
