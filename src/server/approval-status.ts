import type { ServerResponse } from 'node:http';
import type {
  Approval,
  ApprovalState,
  DelayedActionStatus,
  DelayedActionV1,
  Store,
} from '../core/index.js';
import { distinctApprovers } from '../core/index.js';
import { authenticate } from '../firewall/index.js';
import { sendJson } from './json-answer.js';

/**
 * Where the gateway reads approvals from for agents to poll: a `Store` (the agent's token is
 * authenticated against it, so that an agent reads only its own grant's approvals).
 */
export type ApprovalLookup = Store;

/** What a held agent may learn by polling: no approver names, no reasons, no grant. */
export interface ApprovalStatusV1 {
  readonly id: string;
  readonly state: ApprovalState;
  readonly needed: number;
  readonly approvals: number;
  readonly expiresAt: string;
  /** The state in plain words, with what the agent should do next. */
  readonly message: string;
  /** For a delayed action: when Airlock runs it, where its result will be, and how it went. */
  readonly runAt?: string;
  readonly resultUrl?: string;
  readonly outcome?: DelayedActionStatus;
}

/** The agent-facing status of an approval; a pending one past its expiry reads as expired. */
export function toApprovalStatus(
  approval: Approval,
  now: number,
  delayed?: DelayedActionV1,
  resultUrl?: string,
): ApprovalStatusV1 {
  const lapsed =
    (approval.state === 'pending' || approval.state === 'approved') && now >= approval.expiresAt;
  const state = lapsed ? 'expired' : approval.state;
  const isDelayed = approval.undoWindowMs !== undefined && delayed !== undefined;
  return {
    id: approval.id,
    state,
    needed: approval.needed,
    approvals: distinctApprovers(approval).length,
    expiresAt: new Date(approval.expiresAt).toISOString(),
    message: plainWords(state, approval, isDelayed ? delayed : undefined),
    ...(approval.runAt === undefined ? {} : { runAt: new Date(approval.runAt).toISOString() }),
    ...(isDelayed && resultUrl !== undefined ? { resultUrl, outcome: delayed.status } : {}),
  };
}

function plainWords(
  state: ApprovalState,
  approval: Approval,
  delayed: DelayedActionV1 | undefined,
): string {
  const left = approval.needed - distinctApprovers(approval).length;
  switch (state) {
    case 'pending':
      return `pending: waiting for ${left} more human approval${left === 1 ? '' : 's'}; do not retry yet`;
    case 'approved':
      return delayed === undefined
        ? 'approved: send the identical request once more; it passes exactly once'
        : 'approved: Airlock itself runs the request when the undo window ends, unless an approver cancels; fetch the result, do not send it again';
    case 'denied':
      return 'denied by a human: do not retry this request, and do not try another way';
    case 'expired':
      return 'expired: no human decided in time; the request did not run';
    case 'cancelled':
      return 'cancelled: the request did not run and will not';
    case 'executed':
      if (delayed?.status === 'done') return 'executed: Airlock ran the request; fetch the result';
      if (delayed?.status === 'unknown')
        return 'executed with an unknown outcome: it may or may not have run; it is not run again, a human must check';
      if (delayed?.status === 'not-run')
        return 'not run: Airlock could not run the request; it will not';
      if (delayed !== undefined) return 'executing: Airlock is running the request now';
      return 'executed: the approved request passed once; a new request needs a new approval';
  }
}

/**
 * Answers `GET /approvals/:id` and `GET /approvals/:id/result` for the agent whose token is in
 * `Authorization: Bearer`. SECURITY: an approval of another grant, a bad token and no approval
 * all answer the same 404, so an agent cannot probe for others' approvals.
 */
export async function answerApprovalPoll(
  store: ApprovalLookup,
  authorization: string | undefined,
  id: string,
  wantsResult: boolean,
  approvalsUrl: string,
  res: ServerResponse,
): Promise<void> {
  const now = Date.now();
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
  const who = await authenticate(store, token, now);
  const approval = who.ok ? await store.getApproval(id) : undefined;
  if (!who.ok || approval === undefined || approval.grantId !== who.principal.grant.id) {
    return sendJson(res, 404, { error: 'no such approval for this token' });
  }
  const delayed =
    approval.undoWindowMs === undefined ? undefined : await store.getDelayedAction(approval.id);
  const resultUrl = `${approvalsUrl}/${encodeURIComponent(approval.id)}/result`;
  const status = toApprovalStatus(approval, now, delayed, resultUrl);
  if (!wantsResult) return sendJson(res, 200, status);
  if (delayed === undefined)
    return sendJson(res, 404, { error: 'this approval has no result: it is not a delayed action' });
  if (delayed.status === 'done' && delayed.result !== undefined) {
    // The upstream's own answer, as the agent would have got it, scrubbed when it was kept.
    const { result } = delayed;
    res.writeHead(result.status, {
      'content-type': result.contentType ?? 'application/octet-stream',
      'content-length': Buffer.byteLength(result.body),
      'cache-control': 'no-store',
      'airlock-outcome': 'done',
    });
    res.end(result.body);
    return;
  }
  // 202 while it may still come; 409 when it never will.
  const waiting =
    status.state === 'pending' || status.state === 'approved' || delayed.status === 'running';
  sendJson(res, waiting ? 202 : 409, status);
}
