import { describe, expect, it } from 'vitest';
import { FixedClock } from '../core/index.js';
import {
  FACTOR_FAILURE_WINDOW_MS,
  FactorThrottle,
  MAX_FACTOR_FAILURES,
} from './factor-throttle.js';

describe('FactorThrottle', () => {
  it('throttles a name after 5 failures within 15 minutes, each failure ageing out on its own', () => {
    const clock = new FixedClock();
    const throttle = new FactorThrottle({ clock });
    expect([MAX_FACTOR_FAILURES, FACTOR_FAILURE_WINDOW_MS]).toEqual([5, 900_000]);
    for (let i = 0; i < 4; i++) throttle.recordFailure('bob');
    expect(throttle.isThrottled('bob')).toBe(false);
    clock.advance(60_000);
    throttle.recordFailure('bob');
    expect(throttle.isThrottled('bob')).toBe(true);
    expect(throttle.isThrottled('carol')).toBe(false);
    // The first four age out first; the fifth stays until its own window has passed.
    clock.advance(FACTOR_FAILURE_WINDOW_MS - 60_000);
    expect(throttle.isThrottled('bob')).toBe(false);
    for (let i = 0; i < 3; i++) throttle.recordFailure('bob');
    expect(throttle.isThrottled('bob')).toBe(false);
    throttle.recordFailure('bob');
    expect(throttle.isThrottled('bob')).toBe(true);
  });
});
