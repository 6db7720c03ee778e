import { expect } from 'vitest';
import { TOTP_STEP_MS, totpCode } from '../src/firewall/index.js';
import { runCli } from './run-cli.js';

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/**
 * An approver's authenticator app, for tests: it hands out codes the server accepts once each,
 * this step's and then the next one's (within the one-step drift), waiting for the clock only
 * when both are used.
 */
export class TotpPhone {
  #lastStep = -1;

  constructor(readonly secret: string) {}

  /** A code not handed out before. */
  code(): string {
    for (;;) {
      const now = Math.floor(Date.now() / TOTP_STEP_MS);
      const step = Math.max(now, this.#lastStep + 1);
      if (step <= now + 1) {
        this.#lastStep = step;
        return totpCode(this.secret, step * TOTP_STEP_MS);
      }
      Atomics.wait(SLEEPER, 0, 0, (now + 1) * TOTP_STEP_MS - Date.now() + 50);
    }
  }

  /** A six-digit code the server accepts at no step near now: what a guessing agent sends. */
  wrong(): string {
    const near = [-1, 0, 1].map((offset) =>
      totpCode(this.secret, Date.now() + offset * TOTP_STEP_MS),
    );
    for (let n = 0; ; n++) {
      const code = String(123_456 + n * 7).padStart(6, '0');
      if (!near.includes(code)) return code;
    }
  }

  /** The code as the CLI reads it from stdin. */
  line(): string {
    return `${this.code()}\n`;
  }
}

/** Enrols an approver through the CLI (`approver add NAME ARGS --json`) and returns their phone. */
export function enrolApprover(
  home: string,
  name: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): TotpPhone {
  const run = runCli(['approver', 'add', name, ...args, '--json'], { home, ...options });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return new TotpPhone((JSON.parse(run.stdout) as { totp: { secret: string } }).totp.secret);
}

/** Bootstraps the first administrator through the CLI and returns their phone. */
export function bootstrapAdmin(home: string, name: string): TotpPhone {
  const run = runCli(['admin', 'bootstrap', name, '--json'], { home });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return new TotpPhone((JSON.parse(run.stdout) as { totp: { secret: string } }).totp.secret);
}
