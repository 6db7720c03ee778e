import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../core/index.js';
import { PASSKEY_CHALLENGE_TTL_MS, PasskeyChallenges } from './passkey-challenges.js';

const approve = { kind: 'vote', approvalId: 'apr_1', vote: 'approve' } as const;

describe('PasskeyChallenges', () => {
  it('gives a challenge back once, to the same session and purpose, within two minutes', () => {
    const clock = new FixedClock();
    const challenges = new PasskeyChallenges(clock);
    challenges.remember('s1', approve, 'c1');
    expect(challenges.take('s2', approve)).toBeUndefined();
    expect(challenges.take('s1', { ...approve, vote: 'deny' })).toBeUndefined();
    expect(challenges.take('s1', { ...approve, approvalId: 'apr_2' })).toBeUndefined();
    expect(challenges.take('s1', { kind: 'enrol' })).toBeUndefined();
    expect(challenges.take('s1', approve)).toBe('c1');
    expect(challenges.take('s1', approve)).toBeUndefined();
    challenges.remember('s1', approve, 'c2');
    clock.advance(PASSKEY_CHALLENGE_TTL_MS);
    expect(challenges.take('s1', approve)).toBeUndefined();
  });

  it('keeps only the latest challenge per session and purpose', () => {
    const challenges = new PasskeyChallenges(new FixedClock());
    challenges.remember('s1', approve, 'old');
    challenges.remember('s1', approve, 'new');
    expect(challenges.take('s1', approve)).toBe('new');
  });
});
