/**
 * Stable codes for operational failures. Callers match on `code`, never on `message`.
 *
 * - `config.invalid`: airlock.yaml (or an override) failed validation; nothing started.
 * - `policy.invalid`: a policy set failed to parse or validate; the previous set stays in force.
 * - `policy.engine`: the policy engine itself failed while evaluating; the request is denied.
 * - `store.unavailable`: the store could not be opened or answered with an error.
 * - `store.conflict`: a write collided with existing data (duplicate id, stale state).
 * - `store.migration`: the database schema is newer than this build or a migration failed.
 * - `audit.write`: an audit record could not be appended; the request is denied.
 * - `grant.not-found`: no grant has that id.
 * - `grant.exceeds-parent`: a derived grant asked for more than its parent holds.
 * - `grant.inactive`: the grant is expired, revoked or frozen and cannot be used or derived from.
 * - `token.malformed`: the string is not an Airlock token (prefix, alphabet or checksum).
 * - `input.invalid`: a command or case was given input it cannot use.
 * - `approval.not-found`: no approval has that id.
 * - `approval.refused`: the approval state machine or the approver's scope refused the vote.
 * - `approval.expired`: the approval passed its expiry before the vote; it is now expired.
 * - `approval.confirm-required`: an irreversible production action needs its target ids typed.
 * - `approver.not-found`: no approver has that name.
 * - `approver.unauthorized`: the approver's name or credential is wrong (never says which).
 * - `approver.factor-required`: the vote needs a second factor the approver lacks or gave too
 *   late: no TOTP secret enrolled, or a passkey check that is no longer fresh.
 * - `auth.throttled`: too many failed second-factor codes for this approver lately; try later.
 * - `admin.forbidden`: the approver proved who they are but is not an administrator.
 */
export type FirewallErrorCode =
  | 'config.invalid'
  | 'policy.invalid'
  | 'policy.engine'
  | 'store.unavailable'
  | 'store.conflict'
  | 'store.migration'
  | 'audit.write'
  | 'grant.not-found'
  | 'grant.exceeds-parent'
  | 'grant.inactive'
  | 'token.malformed'
  | 'input.invalid'
  | 'approval.not-found'
  | 'approval.refused'
  | 'approval.expired'
  | 'approval.confirm-required'
  | 'approver.not-found'
  | 'approver.unauthorized'
  | 'approver.factor-required'
  | 'auth.throttled'
  | 'admin.forbidden';

/** An operational failure with a stable code; its message never carries a secret. */
export class FirewallError extends Error {
  readonly code: FirewallErrorCode;
  readonly details: readonly string[];

  constructor(
    code: FirewallErrorCode,
    message: string,
    options: { cause?: unknown; details?: readonly string[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FirewallError';
    this.code = code;
    this.details = options.details ?? [];
  }
}

/** Type guard for FirewallError, optionally of one code. */
export function isFirewallError(value: unknown, code?: FirewallErrorCode): value is FirewallError {
  return value instanceof FirewallError && (code === undefined || value.code === code);
}

/** A one-line description of any thrown value, safe to record (no stack, no line breaks). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 500);
}
