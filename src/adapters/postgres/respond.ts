import type { Decision } from '../../core/index.js';
import { errorResponse } from './wire.js';

/**
 * SQLSTATEs Airlock answers with. Class `ZA` is Airlock's own: PostgreSQL leaves classes starting
 * with I–Z to implementations, so no server error can be mistaken for these.
 * - `ZA001` held: the statement waits for human approval; nothing ran.
 * - `42501` denied (insufficient_privilege): no rule permits it; nothing ran.
 * - `ZA002` unavailable: Airlock could not decide; nothing ran.
 * - `ZA003` snapshot failed: the statement was allowed but its snapshot failed, so it did not run.
 * - `ZA004` unprepared: a Bind/Execute names a statement Airlock did not judge.
 */
export const SQLSTATE = {
  held: 'ZA001',
  denied: '42501',
  unavailable: 'ZA002',
  snapshotFailed: 'ZA003',
  unprepared: 'ZA004',
} as const;

/** The sentence a held agent reads; it must stop the agent, not invite a workaround. */
export const HELD_SENTENCE =
  'stop and wait for a human to approve it, then send the identical statement again; do not retry with other credentials, another statement or another way';

/** The ErrorResponse for a decision that is not an allow. */
export function refusalFor(decision: Decision, approvalsUrl: string): Buffer {
  if (decision.verdict === 'hold' && decision.approval?.id !== undefined) {
    const { id, needed } = decision.approval;
    return errorResponse({
      sqlstate: SQLSTATE.held,
      message: `airlock held this statement for human approval (approval id ${id}, ${needed} approval${needed === 1 ? '' : 's'} needed): ${HELD_SENTENCE}`,
      detail: `approval id: ${id}; poll ${approvalsUrl}/${encodeURIComponent(id)}`,
      hint: 'A human approves with `airlock approvals approve ' + id + '`.',
    });
  }
  if (decision.verdict === 'deny') {
    const reasons = decision.reasons.join('; ') || 'no rule permits it';
    return errorResponse({
      sqlstate: SQLSTATE.denied,
      message: `airlock denied this statement: ${reasons}; do not retry with other credentials`,
      detail: `rules: ${decision.policyIds.join(', ')}`,
    });
  }
  return unavailableError();
}

/** Airlock could not decide; nothing was forwarded. */
export function unavailableError(): Buffer {
  return errorResponse({ sqlstate: SQLSTATE.unavailable, message: 'airlock is unavailable; the statement was not run' });
}

/** An allowed destructive statement whose snapshot failed did not run. */
export function snapshotFailedError(): Buffer {
  return errorResponse({
    sqlstate: SQLSTATE.snapshotFailed,
    message: 'airlock could not snapshot what this statement destroys, so it was not run; the approval is used up',
  });
}

/** A Bind or Execute of something Airlock did not see prepared, or prepared and held. */
export function unpreparedError(what: string): Buffer {
  return errorResponse({
    sqlstate: SQLSTATE.unprepared,
    message: `airlock did not judge ${what}: prepare it again through airlock`,
  });
}
