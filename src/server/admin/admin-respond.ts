import type { ServerResponse } from 'node:http';
import type { FirewallErrorCode } from '../../core/index.js';
import { describeError, isFirewallError } from '../../core/index.js';
import { sendJson } from '../json-answer.js';

// The HTTP status of each error code the admin API answers with; a code not listed is a 500.
const STATUS: Partial<Record<FirewallErrorCode, number>> = {
  'input.invalid': 400,
  'token.malformed': 400,
  'config.invalid': 400,
  'policy.invalid': 400,
  'approver.unauthorized': 401,
  'approver.factor-required': 401,
  'admin.forbidden': 403,
  'approval.refused': 403,
  'grant.not-found': 404,
  'approval.not-found': 404,
  'approver.not-found': 404,
  'store.conflict': 409,
  'grant.inactive': 409,
  'approval.expired': 409,
  'approval.confirm-required': 422,
  'grant.exceeds-parent': 422,
  'auth.throttled': 429,
  'store.unavailable': 503,
  'audit.write': 503,
};

/** Sends the typed error `{ error: { code, message, details } }` for `input.invalid`. */
export function sendInvalid(
  res: ServerResponse,
  message: string,
  details: readonly string[] = [],
): void {
  sendJson(res, 400, { error: { code: 'input.invalid', message, details } });
}

/**
 * Answers a failure: a FirewallError with the status its code maps to, its message and details
 * (they never carry a secret); anything else as a 500 that says nothing of the cause.
 */
export function sendFailure(
  res: ServerResponse,
  error: unknown,
  log: (line: string) => void,
): void {
  if (isFirewallError(error)) {
    sendJson(res, STATUS[error.code] ?? 500, {
      error: { code: error.code, message: error.message, details: error.details },
    });
    return;
  }
  // SECURITY: no stack, no message of an unexpected error leaves the server; its log has it.
  log(`admin api: unexpected error: ${describeError(error)}`);
  sendJson(res, 500, {
    error: {
      code: 'internal',
      message: 'internal error: the server log has the details',
      details: [],
    },
  });
}
