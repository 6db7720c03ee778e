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
 * - `ZA005` invalid text: the statement text is not valid in the session's encoding (UTF-8); nothing ran.
 * - `ZA006` reading settings changed: the server now reads statement text differently from
 *   Airlock (a setting such as standard_conforming_strings changed); the session is ended.
 * - `ZA007` unmeasurable: a statement that changes rows ran in a way Airlock cannot count; nothing ran.
 */
export const SQLSTATE = {
  held: 'ZA001',
  denied: '42501',
  unavailable: 'ZA002',
  snapshotFailed: 'ZA003',
  unprepared: 'ZA004',
  invalidText: 'ZA005',
  readingSettingsChanged: 'ZA006',
  unmeasurable: 'ZA007',
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

/** Statement text that is not valid UTF-8 (the only encoding Airlock reads sessions in). */
export function invalidTextError(): Buffer {
  return errorResponse({
    sqlstate: SQLSTATE.invalidText,
    message: 'airlock refused statement text that is not valid UTF-8, the client encoding of every session through airlock; nothing ran',
  });
}

/** The server reports a reading setting Airlock does not follow; the session ends. */
export function readingSettingsChangedError(problem: string): Buffer {
  return errorResponse({
    severity: 'FATAL',
    sqlstate: SQLSTATE.readingSettingsChanged,
    message: `airlock ended this session: ${problem}, so the server would read statement text differently from airlock`,
  });
}

/** A statement that changes rows, sent in a way whose effect Airlock cannot count. */
export function unmeasurableError(why: string): Buffer {
  return errorResponse({
    sqlstate: SQLSTATE.unmeasurable,
    message: `airlock cannot count the rows this statement changes (${why}), so it was not run`,
  });
}
