import { SurfaceRefusal } from '../adapters/shared/index.js';
import { isFirewallError } from '../core/index.js';
import { EXIT } from './exit-codes.js';
import { toTerminalJson } from './terminal-text.js';

/** Prints a JSON value on one line. */
export function printJson(value: unknown): void {
  // SECURITY: agent-supplied strings cannot reorder or hide text in the terminal (same JSON value).
  process.stdout.write(`${toTerminalJson(value)}\n`);
}

/** Prints lines of text. */
export function printLines(...lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A failure the CLI reports and exits on, with a chosen exit code. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

// Codes that mean the caller's input was at fault rather than Airlock.
const INPUT_CODES = new Set([
  'config.invalid',
  'policy.invalid',
  'grant.not-found',
  'grant.exceeds-parent',
  'grant.inactive',
  'token.malformed',
  'input.invalid',
  'store.conflict',
  'approval.not-found',
  'approval.refused',
  'approval.expired',
  'approval.confirm-required',
  'approver.not-found',
  'approver.unauthorized',
  'approver.factor-required',
  'auth.throttled',
  'admin.forbidden',
]);

/** Reports an error on stderr (as JSON when asked) and returns the exit code to use. */
export function reportError(error: unknown, json: boolean): number {
  const { message, code, details, exitCode } = describe(error);
  if (json) {
    process.stderr.write(`${JSON.stringify({ error: { code, message, details } })}\n`);
  } else {
    process.stderr.write(`airlock: ${message}\n${details.map((d) => `  - ${d}\n`).join('')}`);
  }
  return exitCode;
}

function describe(error: unknown): {
  message: string;
  code: string;
  details: readonly string[];
  exitCode: number;
} {
  if (error instanceof CliFailure) {
    return {
      message: error.message,
      code: 'cli',
      details: error.details,
      exitCode: error.exitCode,
    };
  }
  if (error instanceof SurfaceRefusal) {
    return {
      message: error.message,
      code: 'cli',
      details: error.details,
      exitCode: error.fault === 'config' ? EXIT.invalidInput : EXIT.internal,
    };
  }
  if (isFirewallError(error)) {
    const exitCode = INPUT_CODES.has(error.code) ? EXIT.invalidInput : EXIT.internal;
    return { message: error.message, code: error.code, details: error.details, exitCode };
  }
  // SECURITY: unexpected errors print their one-line message only; no stack, no request data.
  const message =
    error instanceof Error
      ? (error.message.split('\n')[0] ?? 'unexpected error')
      : 'unexpected error';
  return {
    message: `internal error: ${message}`,
    code: 'internal',
    details: [],
    exitCode: EXIT.internal,
  };
}
