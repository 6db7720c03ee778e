import type { Action, PolicyEngine, Surface } from '../../core/index.js';
import { digestRequest, toDecision } from '../../core/index.js';
import type { DecideOptions, Judgment } from '../../firewall/index.js';
import { DRY_RUN_PRINCIPAL, decideAction } from '../../firewall/index.js';
import type { HookAnswer, HookClient, HookVerdict } from './protocols.js';
import { formatAnswer, formatPass, HookInputError, parseHookInput } from './protocols.js';

/** The upstream name shell commands from agent hooks are judged under (grants name it). */
export const HOOK_SHELL_UPSTREAM = 'shell';

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
  classifyMcp(call: { server: string; tool: string; arguments: unknown }): Promise<Action[]>;
  judge(request: { token: string; surface: Surface; digest: string; actions: readonly Action[] }): Promise<Judgment>;
}

/**
 * Answers one hook call: parse the client's input, classify, judge through the firewall, answer
 * in the client's format. Fails closed: bad input, a missing token or any error is the client's deny.
 */
export async function runHook(client: HookClient, input: string, deps: () => Promise<HookDeps>): Promise<HookAnswer> {
  try {
    const call = parseHookInput(client, input);
    if (call.kind === 'other') return formatPass(client);
    const wired = await deps();
    if (wired.dryRun !== true && (wired.token === undefined || wired.token === '')) return formatAnswer(client, refusal('no Airlock token: set AIRLOCK_TOKEN for the agent'));
    if (call.kind === 'shell') {
      const actions = await wired.classifyShell(call.command, call.cwd);
      const judgment = await wired.judge({ token: wired.token ?? '', surface: 'shell', digest: digestRequest({ command: call.command, cwd: call.cwd }), actions });
      return formatAnswer(client, verdictOf(judgment, wired.dryRun === true));
    }
    const request = { server: call.server, tool: call.tool, arguments: call.arguments };
    const actions = await wired.classifyMcp(request);
    const digest = actions[0]?.digest ?? digestRequest(request);
    const judgment = await wired.judge({ token: wired.token ?? '', surface: 'mcp', digest, actions });
    return formatAnswer(client, verdictOf(judgment, wired.dryRun === true));
  } catch (error) {
    const why = error instanceof HookInputError ? error.message : 'Airlock failed while judging this call';
    return formatAnswer(client, refusal(why));
  }
}

function refusal(why: string): HookVerdict {
  return { verdict: 'deny', message: `Airlock denied this call: ${why}. Nothing was run.` };
}

/** The message each verdict carries; a hold tells the agent to stop and wait for a human. */
export function verdictOf(judgment: Judgment, dryRun = false): HookVerdict {
  const { decision } = judgment;
  if (decision.verdict === 'allow') return { verdict: 'allow', message: dryRun ? 'Airlock would allow this call (dry run).' : 'Airlock allowed this call.' };
  if (decision.verdict === 'hold' && dryRun) {
    return { verdict: 'hold', message: `Airlock would hold this call for human approval (dry run: no approval was created). ${decision.reasons.join('; ')}` };
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
    const verdicts = request.actions.map((action) => decideAction(engine, DRY_RUN_PRINCIPAL, action, options));
    return { decision: toDecision('dec_dry_run', verdicts), principal: DRY_RUN_PRINCIPAL };
  };
}
