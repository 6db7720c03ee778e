import type { Action, Surface } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import type { Judgment } from '../../firewall/index.js';
import type { HookAnswer, HookClient, HookVerdict } from './protocols.js';
import { formatAnswer, formatPass, HookInputError, parseHookInput } from './protocols.js';

/** The upstream name shell commands from agent hooks are judged under (grants name it). */
export const HOOK_SHELL_UPSTREAM = 'shell';

/** What a hook needs from Airlock; wired by the CLI from the home folder. */
export interface HookDeps {
  /** The agent's Airlock token (from the environment); undefined when absent. */
  readonly token: string | undefined;
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
    if (wired.token === undefined || wired.token === '') return formatAnswer(client, refusal('no Airlock token: set AIRLOCK_TOKEN for the agent'));
    if (call.kind === 'shell') {
      const actions = await wired.classifyShell(call.command, call.cwd);
      const judgment = await wired.judge({ token: wired.token, surface: 'shell', digest: digestRequest({ command: call.command, cwd: call.cwd }), actions });
      return formatAnswer(client, verdictOf(judgment));
    }
    const request = { server: call.server, tool: call.tool, arguments: call.arguments };
    const actions = await wired.classifyMcp(request);
    const digest = actions[0]?.digest ?? digestRequest(request);
    const judgment = await wired.judge({ token: wired.token, surface: 'mcp', digest, actions });
    return formatAnswer(client, verdictOf(judgment));
  } catch (error) {
    const why = error instanceof HookInputError ? error.message : 'Airlock failed while judging this call';
    return formatAnswer(client, refusal(why));
  }
}

function refusal(why: string): HookVerdict {
  return { verdict: 'deny', message: `Airlock denied this call: ${why}. Nothing was run.` };
}

/** The message each verdict carries; a hold tells the agent to stop and wait for a human. */
export function verdictOf(judgment: Judgment): HookVerdict {
  const { decision } = judgment;
  if (decision.verdict === 'allow') return { verdict: 'allow', message: 'Airlock allowed this call.' };
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
