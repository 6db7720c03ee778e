import type { Decision } from '../../core/index.js';

/** What the adapter sends an agent that was not forwarded: status, and a GraphQL-shaped body. */
export interface AgentAnswer {
  readonly status: number;
  readonly body: { readonly errors: readonly GraphqlError[]; readonly data: null };
}

/** One GraphQL error with Airlock's machine-readable extensions. */
export interface GraphqlError {
  readonly message: string;
  readonly extensions: { readonly code: AirlockCode } & Readonly<Record<string, unknown>>;
}

/** The codes an agent can match on. */
export type AirlockCode =
  | 'AIRLOCK_HELD'
  | 'AIRLOCK_DENIED'
  | 'AIRLOCK_UNAVAILABLE'
  | 'AIRLOCK_UPSTREAM_FAILED'
  | 'AIRLOCK_BAD_REQUEST';

/** The sentence a held agent reads; it must stop the agent, not invite a workaround. */
export const HELD_MESSAGE =
  'Airlock held this request for human approval: stop and wait for a human to approve it, then send the identical request again; do not retry with other credentials or another way.';

/**
 * A held request: HTTP 409 (the request conflicts with a pending approval), with the approval id,
 * how many approvals it needs and where to poll.
 */
export function heldAnswer(decision: Decision, approvalsBaseUrl: string): AgentAnswer {
  const approval = decision.approval;
  // INVARIANT: the firewall binds every hold to an approval; one without is not answerable.
  if (approval?.id === undefined) return unavailableAnswer();
  return answer(409, HELD_MESSAGE, {
    code: 'AIRLOCK_HELD',
    approvalId: approval.id,
    approvalsNeeded: approval.needed,
    pollUrl: `${approvalsBaseUrl}/${encodeURIComponent(approval.id)}`,
  });
}

/**
 * A denied request: HTTP 403 with the deciding rule ids and their reason sentences. The
 * decision's `errors` (internal detail) and anything about the token never cross the wire.
 */
export function deniedAnswer(decision: Decision): AgentAnswer {
  const reasons = [...decision.reasons];
  const message = `Airlock denied this request: ${reasons.join('; ') || 'no rule permits it'}. Do not retry with other credentials.`;
  return answer(403, message, {
    code: 'AIRLOCK_DENIED',
    policyIds: [...decision.policyIds],
    reasons,
  });
}

/** Airlock could not decide: HTTP 503, with no detail. Nothing was forwarded. */
export function unavailableAnswer(): AgentAnswer {
  return answer(503, 'Airlock is unavailable; the request was not forwarded.', {
    code: 'AIRLOCK_UNAVAILABLE',
  });
}

/** The upstream failed after the request was allowed: it may or may not have run. */
export function upstreamFailedAnswer(): AgentAnswer {
  return answer(502, 'The upstream failed to answer; the request may or may not have run.', {
    code: 'AIRLOCK_UPSTREAM_FAILED',
  });
}

/** A request Airlock refuses before judging it (too large, wrong method, not UTF-8). */
export function badRequestAnswer(status: 400 | 404 | 405 | 413, message: string): AgentAnswer {
  return answer(status, message, { code: 'AIRLOCK_BAD_REQUEST' });
}

/** The answer for a decision that is not an allow. */
export function toAgentAnswer(decision: Decision, approvalsBaseUrl: string): AgentAnswer {
  if (decision.verdict === 'hold') return heldAnswer(decision, approvalsBaseUrl);
  if (decision.verdict === 'deny') return deniedAnswer(decision);
  // An allow never reaches here; if it does, fail closed.
  return unavailableAnswer();
}

function answer(
  status: number,
  message: string,
  extensions: GraphqlError['extensions'],
): AgentAnswer {
  return { status, body: { errors: [{ message, extensions }], data: null } };
}
