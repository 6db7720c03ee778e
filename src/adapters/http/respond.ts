import type { ServerResponse } from 'node:http';
import type { Decision } from '../../core/index.js';

/** What an agent gets when its request was not forwarded. */
export interface RestAnswer {
  readonly status: number;
  readonly body: {
    readonly error: { readonly code: RestAnswerCode; readonly message: string } & Readonly<
      Record<string, unknown>
    >;
  };
}

/** The codes an agent can match on. */
export type RestAnswerCode =
  | 'AIRLOCK_HELD'
  | 'AIRLOCK_DENIED'
  | 'AIRLOCK_UNAVAILABLE'
  | 'AIRLOCK_UPSTREAM_FAILED'
  | 'AIRLOCK_BAD_REQUEST';

/** The sentence a held agent reads; it must stop the agent, not invite a workaround. */
export const REST_HELD_MESSAGE =
  'Airlock held this request for human approval: stop and wait for a human to approve it, then send the identical request again; do not retry with other credentials or another way.';

/** The answer for a decision that is not an allow: 409 held (approval id, poll url) or 403 denied. */
export function toRestAnswer(decision: Decision, approvalsBaseUrl: string): RestAnswer {
  if (decision.verdict === 'hold' && decision.approval?.id !== undefined) {
    const { id, needed } = decision.approval;
    return answer(409, 'AIRLOCK_HELD', REST_HELD_MESSAGE, {
      approvalId: id,
      approvalsNeeded: needed,
      pollUrl: `${approvalsBaseUrl}/${encodeURIComponent(id)}`,
    });
  }
  if (decision.verdict === 'deny') {
    const reasons = [...decision.reasons];
    const message = `Airlock denied this request: ${reasons.join('; ') || 'no rule permits it'}. Do not retry with other credentials.`;
    return answer(403, 'AIRLOCK_DENIED', message, { policyIds: [...decision.policyIds], reasons });
  }
  // A hold without an approval, or an allow that reached here: fail closed.
  return unavailableRestAnswer();
}

/** Airlock could not decide; nothing was forwarded. */
export function unavailableRestAnswer(): RestAnswer {
  return answer(
    503,
    'AIRLOCK_UNAVAILABLE',
    'Airlock is unavailable; the request was not forwarded.',
    {},
  );
}

/** The upstream failed after the request was allowed: it may or may not have run. */
export function upstreamFailedRestAnswer(): RestAnswer {
  return answer(
    502,
    'AIRLOCK_UPSTREAM_FAILED',
    'The upstream failed to answer; the request may or may not have run.',
    {},
  );
}

/** A request refused before judging. */
export function badRestRequest(status: 400 | 404 | 413, message: string): RestAnswer {
  return answer(status, 'AIRLOCK_BAD_REQUEST', message, {});
}

function answer(
  status: number,
  code: RestAnswerCode,
  message: string,
  extra: Readonly<Record<string, unknown>>,
): RestAnswer {
  return { status, body: { error: { code, message, ...extra } } };
}

/** Writes an answer Airlock built itself. */
export function sendRestAnswer(res: ServerResponse, reply: RestAnswer): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(reply.status === 413 ? { connection: 'close' } : {}),
  });
  res.end(text);
}
