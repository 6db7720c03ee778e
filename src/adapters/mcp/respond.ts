import type { Decision } from '../../core/index.js';

/** A `tools/call` result as the MCP spec shapes it. */
export type ToolResult = Record<string, unknown> & {
  readonly content: readonly { type: 'text'; text: string }[];
  readonly isError?: boolean;
};

/** The sentence a held agent reads; it must stop the agent, not invite a workaround. */
export const HELD_INSTRUCTION =
  'Stop and wait for a human to approve it. Do not retry with other tools, arguments or credentials, and do not try another way. Once a human has approved it, make exactly the same call again: it will run once.';

/**
 * The tool result for a call Airlock did not forward: held (with the approval id and where to
 * poll) or denied (with the deciding rules). `isError` so the model sees it failed; the
 * machine-readable part is in `_meta.airlock`.
 */
export function refusalResult(
  decision: Decision,
  urls: { readonly approvalsUrl?: string; readonly approvalPagesUrl?: string },
): ToolResult {
  if (decision.verdict === 'hold' && decision.approval?.id !== undefined) {
    const { id, needed } = decision.approval;
    const pollUrl =
      urls.approvalsUrl === undefined
        ? undefined
        : `${urls.approvalsUrl}/${encodeURIComponent(id)}`;
    const approvalUrl =
      urls.approvalPagesUrl === undefined
        ? undefined
        : `${urls.approvalPagesUrl}/${encodeURIComponent(id)}`;
    const why = decision.reasons.join('; ');
    const status = pollUrl === undefined ? '' : ` Status: ${pollUrl}`;
    const text = `Airlock held this call for human approval (approval id ${id}, ${needed} approval${needed === 1 ? '' : 's'} needed): ${why}. ${HELD_INSTRUCTION}${status}`;
    const held = {
      code: 'AIRLOCK_HELD',
      approvalId: id,
      approvalsNeeded: needed,
      decisionId: decision.id,
      ...(pollUrl === undefined ? {} : { pollUrl }),
      ...(approvalUrl === undefined ? {} : { approvalUrl }),
    };
    return { content: [{ type: 'text', text }], isError: true, _meta: { airlock: held } };
  }
  const text = `Airlock denied this call: ${decision.reasons.join('; ')} (rules: ${decision.policyIds.join(', ')}). Do not retry it or try another way; ask a human if it is needed.`;
  return {
    content: [{ type: 'text', text }],
    isError: true,
    _meta: {
      airlock: {
        code: 'AIRLOCK_DENIED',
        policyIds: [...decision.policyIds],
        decisionId: decision.id,
      },
    },
  };
}

/** The tool result when the call could not be handled at all: nothing was forwarded, or it failed upstream. */
export function failureResult(
  text: string,
  code: 'AIRLOCK_UNAVAILABLE' | 'AIRLOCK_NO_SUCH_TOOL',
): ToolResult {
  return { content: [{ type: 'text', text }], isError: true, _meta: { airlock: { code } } };
}
