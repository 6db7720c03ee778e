import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActionVerdict, Verdict } from './decision.js';
import { combineActionVerdicts, mostRestrictive } from './decision.js';

// The combination as first written, plainly: the reference the loop version must match.
function referenceCombine(verdicts: readonly ActionVerdict[]): ActionVerdict {
  const verdict = verdicts.map((v) => v.verdict).reduce(mostRestrictive);
  const deciding = verdicts.filter((v) => v.verdict === verdict);
  const needed = Math.max(0, ...deciding.map((v) => v.approvalsNeeded ?? 0));
  const unique = (items: readonly string[]): string[] => [...new Set(items)];
  return {
    verdict,
    reasons: unique(deciding.flatMap((v) => v.reasons)),
    policyIds: unique(deciding.flatMap((v) => v.policyIds)),
    errors: unique(verdicts.flatMap((v) => v.errors)),
    ...(verdict === 'hold' ? { approvalsNeeded: needed } : {}),
  };
}

describe('combineActionVerdicts', () => {
  const words = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 });
  const verdict: fc.Arbitrary<ActionVerdict> = fc.record(
    {
      verdict: fc.constantFrom<Verdict>('allow', 'hold', 'deny'),
      reasons: words,
      policyIds: words,
      errors: words,
      approvalsNeeded: fc.nat(3),
    },
    { requiredKeys: ['verdict', 'reasons', 'policyIds', 'errors'] },
  );

  it('keeps the most restrictive verdict with its reasons, ids and approvals, and every error, each once', () => {
    fc.assert(
      fc.property(fc.array(verdict, { minLength: 1, maxLength: 5 }), (verdicts) => {
        expect(combineActionVerdicts(verdicts)).toStrictEqual(referenceCombine(verdicts));
      }),
      { numRuns: 500 },
    );
  });

  it('denies a request with no action', () => {
    expect(combineActionVerdicts([])).toMatchObject({
      verdict: 'deny',
      policyIds: ['airlock:fail-closed'],
    });
  });
});
