import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/index.js';

/** How hard login is to hammer. */
export interface LoginThrottleOptions {
  /** Failed logins from one source address within `windowMs` before that source is refused. */
  readonly maxFailuresPerSource: number;
  /** Failed logins for one name from one source before that pair is refused. */
  readonly maxFailuresPerNameAndSource: number;
  /** Failed logins with one credential (any name, any source) before it is refused: spraying. */
  readonly maxFailuresPerCredential: number;
  readonly windowMs: number;
  /** scrypt verifications running at once; further attempts are refused, not queued. */
  readonly maxConcurrent: number;
  /** Of those, how many one source may run. */
  readonly maxConcurrentPerSource: number;
}

/**
 * Defaults: per 15 minutes, 20 failures per source, 5 per name and source, 10 per credential;
 * 4 verifications at once, 1 per source (each costs ~16 MiB and tens of ms of a worker thread).
 */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  maxFailuresPerSource: 20,
  maxFailuresPerNameAndSource: 5,
  maxFailuresPerCredential: 10,
  windowMs: 15 * 60 * 1000,
  maxConcurrent: 4,
  maxConcurrentPerSource: 1,
};

/** One login attempt as the throttle sees it. */
export interface LoginAttempt {
  /** The peer's address. */
  readonly source: string;
  readonly name: string;
  readonly credential: string;
}

const MAX_TRACKED_KEYS = 20_000;

/**
 * Keeps password guessing slow and the CPU free without letting anyone lock an approver out:
 * failures count against the source address, the (name, source) pair and the credential tried,
 * never against a name alone, so a flood from one address leaves the approver's own address
 * untouched. Only a few scrypt verifications run at a time, and one per source.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #runningBySource = new Map<string, number>();
  // Credentials are counted by keyed hash, so memory never holds a guess (or a typo of a real one).
  readonly #key = randomBytes(32);
  readonly #clock: Clock;
  readonly #options: LoginThrottleOptions;
  #running = 0;

  constructor(clock: Clock, options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {
    this.#clock = clock;
    this.#options = options;
  }

  /**
   * Runs `verify` unless the attempt's source, name and source, or credential has failed too
   * often, or too many verifications run (overall or from this source); returns `throttled`
   * without running it then.
   */
  async attempt<T>(
    attempt: LoginAttempt,
    verify: () => Promise<T | undefined>,
  ): Promise<T | 'throttled' | undefined> {
    const keys = this.#keysOf(attempt);
    const limits = [
      this.#options.maxFailuresPerSource,
      this.#options.maxFailuresPerNameAndSource,
      this.#options.maxFailuresPerCredential,
    ];
    if (keys.some((key, i) => this.#recentFailures(key).length >= (limits[i] ?? 0)))
      return 'throttled';
    const bySource = this.#runningBySource.get(attempt.source) ?? 0;
    if (
      this.#running >= this.#options.maxConcurrent ||
      bySource >= this.#options.maxConcurrentPerSource
    )
      return 'throttled';
    this.#running++;
    this.#runningBySource.set(attempt.source, bySource + 1);
    try {
      const result = await verify();
      if (result === undefined) for (const key of keys) this.#recordFailure(key);
      else this.#failures.delete(keys[1] ?? '');
      return result;
    } finally {
      this.#running--;
      const left = (this.#runningBySource.get(attempt.source) ?? 1) - 1;
      if (left <= 0) this.#runningBySource.delete(attempt.source);
      else this.#runningBySource.set(attempt.source, left);
    }
  }

  #keysOf(attempt: LoginAttempt): [string, string, string] {
    const credential = createHmac('sha256', this.#key)
      .update(attempt.credential)
      .digest('base64url');
    return [
      `source ${attempt.source}`,
      `name ${attempt.name} ${attempt.source}`,
      `credential ${credential}`,
    ];
  }

  #recordFailure(key: string): void {
    const recent = this.#recentFailures(key);
    this.#failures.delete(key);
    // Bounded memory under a flood of made-up names: forget the least recently failed key first.
    if (this.#failures.size >= MAX_TRACKED_KEYS) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    this.#failures.set(key, [...recent, this.#clock.now()]);
  }

  #recentFailures(key: string): number[] {
    const since = this.#clock.now() - this.#options.windowMs;
    const recent = (this.#failures.get(key) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.#failures.delete(key);
    return recent;
  }
}
