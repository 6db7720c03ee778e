import type { Clock } from '../../core/index.js';

/** How hard login is to hammer. */
export interface LoginThrottleOptions {
  /** Failed logins per approver name within `windowMs` before that name is refused for the window. */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** scrypt verifications running at once; further attempts are refused, not queued. */
  readonly maxConcurrent: number;
}

/** Defaults: 5 failures per name per 15 minutes; 2 verifications at once (each costs ~16 MiB and tens of ms). */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = { maxFailures: 5, windowMs: 15 * 60 * 1000, maxConcurrent: 2 };

const MAX_TRACKED_NAMES = 10_000;

/**
 * Keeps password guessing slow and the CPU free: each approver name gets a few failures per
 * window, and only a few scrypt verifications run at a time.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #clock: Clock;
  readonly #options: LoginThrottleOptions;
  #running = 0;

  constructor(clock: Clock, options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {
    this.#clock = clock;
    this.#options = options;
  }

  /**
   * Runs `verify` for `name` unless the name is locked out or too many run already; returns
   * `throttled` without running it then.
   */
  async attempt<T>(name: string, verify: () => Promise<T | undefined>): Promise<T | 'throttled' | undefined> {
    if (this.#recentFailures(name).length >= this.#options.maxFailures) return 'throttled';
    if (this.#running >= this.#options.maxConcurrent) return 'throttled';
    this.#running++;
    try {
      const result = await verify();
      if (result === undefined) this.#recordFailure(name);
      else this.#failures.delete(name);
      return result;
    } finally {
      this.#running--;
    }
  }

  #recordFailure(name: string): void {
    // Bounded memory under a flood of made-up names: forget the oldest name first.
    if (this.#failures.size >= MAX_TRACKED_NAMES) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    const recent = this.#recentFailures(name);
    this.#failures.delete(name);
    this.#failures.set(name, [...recent, this.#clock.now()]);
  }

  #recentFailures(name: string): number[] {
    const since = this.#clock.now() - this.#options.windowMs;
    const recent = (this.#failures.get(name) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.#failures.delete(name);
    return recent;
  }
}
