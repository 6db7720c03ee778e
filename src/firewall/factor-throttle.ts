import type { Clock } from '../core/index.js';

/** How many failed second-factor codes an approver may have within the window. */
export const MAX_FACTOR_FAILURES = 5;
/** The window failed codes are counted in. */
export const FACTOR_FAILURE_WINDOW_MS = 15 * 60_000;

/** What a throttle counts; defaults are the limits above. */
export interface FactorThrottleOptions {
  readonly clock: Clock;
  readonly maxFailures?: number;
  readonly windowMs?: number;
}

/**
 * Failed second-factor codes per approver, in memory: at most `maxFailures` in a sliding window,
 * after which every code is refused, the right one too, until the oldest failure ages out.
 * Six digits allow a million codes; at five guesses per quarter hour, guessing takes years.
 * Count only approvers that exist, so the map holds at most one entry per approver (an
 * unknown name has no code to guess, and evicting entries would hand out fresh guesses).
 */
export class FactorThrottle {
  readonly #clock: Clock;
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #failures = new Map<string, number[]>();

  constructor(options: FactorThrottleOptions) {
    this.#clock = options.clock;
    this.#maxFailures = options.maxFailures ?? MAX_FACTOR_FAILURES;
    this.#windowMs = options.windowMs ?? FACTOR_FAILURE_WINDOW_MS;
  }

  /** Whether `name` has used up its failures within the window. */
  isThrottled(name: string): boolean {
    return this.#recent(name).length >= this.#maxFailures;
  }

  /** Counts one failure for `name` now. */
  recordFailure(name: string): void {
    this.#failures.set(name, [...this.#recent(name), this.#clock.now()]);
  }

  #recent(name: string): number[] {
    const since = this.#clock.now() - this.#windowMs;
    const recent = (this.#failures.get(name) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.#failures.delete(name);
    return recent;
  }
}
