import type { ApprovalActionV1, Decision } from '../../core/index.js';
import {
  DEFAULT_PRODUCTION_ENVIRONMENTS,
  hasHiddenCharacters,
  targetsNeedingConfirmation,
} from '../../core/index.js';
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

/** What a hold's hint can name beyond the approval id. */
export interface HoldHintContext {
  /** The held statement's actions: the ids an approver must type to confirm come from them. */
  readonly actions?: readonly ApprovalActionV1[];
  /** Environments that count as production (default `DEFAULT_PRODUCTION_ENVIRONMENTS`). */
  readonly productionEnvironments?: readonly string[];
  /** Where humans decide in the inbox, e.g. `http://127.0.0.1:8080/inbox/approvals`. */
  readonly approvalPagesUrl?: string;
}

/**
 * The ErrorResponse for a decision that is not an allow. A hold's HINT names the exact way to
 * approve it: the CLI command (with `--confirm` and the target ids when the approval needs them,
 * known from `hint.actions`) and the inbox page when there is one.
 */
export function refusalFor(
  decision: Decision,
  approvalsUrl: string,
  hint: HoldHintContext = {},
): Buffer {
  if (decision.verdict === 'hold' && decision.approval?.id !== undefined) {
    const { id, needed } = decision.approval;
    return errorResponse({
      sqlstate: SQLSTATE.held,
      message: `airlock held this statement for human approval (approval id ${id}, ${needed} approval${needed === 1 ? '' : 's'} needed): ${HELD_SENTENCE}`,
      detail: `approval id: ${id}; poll ${approvalsUrl}/${encodeURIComponent(id)}`,
      hint: howToApprove(id, needed, hint),
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
  return errorResponse({
    sqlstate: SQLSTATE.unavailable,
    message: 'airlock is unavailable; the statement was not run',
  });
}

// More confirm ids than this, or one that is long or hides characters, and the hint points to
// `approvals show` instead of listing them.
const MAX_LISTED_CONFIRM_IDS = 10;
const MAX_LISTED_CONFIRM_ID_CHARS = 200;
const SHELL_WORD = /^[A-Za-z0-9_.:/@%+=,-]+$/;

/**
 * `A human approves it with \`airlock approvals approve ID --as <approver> --confirm IDS\`, or at
 * URL.`: the CLI's own wording (see `approvals show`). Without the actions, `--confirm` is shown
 * as optional, since whether it is needed cannot be told here.
 */
function howToApprove(id: string, needed: number, hint: HoldHintContext): string {
  const who = needed === 1 ? 'A human approves it' : `${needed} humans approve it, each`;
  const command = `airlock approvals approve ${id} --as <approver>${confirmPart(id, hint)}`;
  const page =
    hint.approvalPagesUrl === undefined
      ? ''
      : `, or in the inbox at ${hint.approvalPagesUrl.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
  return `${who} with \`${command}\`${page}.`;
}

function confirmPart(id: string, hint: HoldHintContext): string {
  if (hint.actions === undefined) return ' [--confirm <target ids>]';
  const ids = targetsNeedingConfirmation(
    { actions: hint.actions },
    hint.productionEnvironments ?? DEFAULT_PRODUCTION_ENVIRONMENTS,
  );
  if (ids.length === 0) return '';
  // SECURITY: target ids come from the agent's statement; one that hides characters or is
  // very long is never spelled out for a human to paste.
  const listable =
    ids.length <= MAX_LISTED_CONFIRM_IDS &&
    ids.every(
      (target) => target.length <= MAX_LISTED_CONFIRM_ID_CHARS && !hasHiddenCharacters(target),
    );
  if (!listable) return ` --confirm <the target ids \`airlock approvals show ${id}\` lists>`;
  return ` --confirm ${ids.map(toShellWord).join(' ')}`;
}

/** A target id as one shell word: as is when plain, else single-quoted. */
function toShellWord(text: string): string {
  return SHELL_WORD.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Whether an approval stands after a snapshot failed: kept (returned), used up, or there was none. */
export type ApprovalAfterFailedSnapshot = 'kept' | 'used' | 'none';

/**
 * An allowed destructive statement whose snapshot failed did not run. `approval` says what
 * became of the approval that allowed it (`Firewall.returnApproval` keeps it).
 */
export function snapshotFailedError(approval: ApprovalAfterFailedSnapshot = 'kept'): Buffer {
  const next = {
    kept: 'the approval is kept: send the identical statement again once the snapshot can be taken',
    used: 'its approval could not be kept: a human must approve it again once the snapshot can be taken',
    none: 'send it again once the snapshot can be taken',
  }[approval];
  return errorResponse({
    sqlstate: SQLSTATE.snapshotFailed,
    message: `airlock could not snapshot what this statement destroys, so it was not run; ${next}`,
    hint: 'An operator finds why in the audit log (a full or unwritable vault, pg_dump failing, or another session with uncommitted table changes).',
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
    message:
      'airlock refused statement text that is not valid UTF-8, the client encoding of every session through airlock; nothing ran',
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

/** A statement sent in the same batch after one that ran code Airlock cannot read. */
export function unsureReadingError(): Buffer {
  return errorResponse({
    sqlstate: SQLSTATE.unmeasurable,
    message:
      'airlock did not run this statement: it follows, in the same batch, a statement that ran code airlock cannot read and that may have changed how the server reads text; send Sync first',
  });
}
