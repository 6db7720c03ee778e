import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { Action, Effect } from './action.js';
import { EFFECTS } from './action.js';
import type { GrantScope } from './grant.js';
import { scopeExcess, scopeViolations } from './grant.js';
import { isPatternWithin, matchesPattern } from './pattern.js';

const word = fc.constantFrom(
  'railway',
  'rail',
  'prod',
  'production',
  'staging',
  'vol',
  'db',
  'a',
  'ab',
  '',
);
const pattern = fc
  .array(fc.oneof(word, fc.constant('*'), fc.constant(':')), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''));
const value = fc
  .array(fc.oneof(word, fc.constant(':'), fc.constant('*')), { maxLength: 4 })
  .map((p) => p.join(''));
const effects = fc.subarray([...EFFECTS] as Effect[], { minLength: 1 });

const scope: fc.Arbitrary<GrantScope> = fc.record({
  upstreams: fc.array(pattern, { minLength: 1, maxLength: 3 }),
  environments: fc.array(pattern, { minLength: 1, maxLength: 3 }),
  effects,
  resources: fc.array(pattern, { minLength: 1, maxLength: 3 }),
  expiresAt: fc.integer({ min: 1, max: 1000 }),
});

const action: fc.Arbitrary<Action> = fc.record({
  upstream: value,
  surface: fc.constant('graphql' as const),
  operation: fc.constant('op'),
  effect: fc.constantFrom(...EFFECTS),
  reversible: fc.boolean(),
  digest: fc.constant('d'),
  targets: fc.array(
    fc.record(
      { type: value, id: value, environment: value, attrs: fc.constant({}) },
      { requiredKeys: ['type', 'id', 'attrs'] },
    ),
    { maxLength: 2 },
  ),
});

// Narrows a pattern the way a real derivation would: keep it, fill a wildcard, or pick anything.
function narrowed(patterns: readonly string[]): fc.Arbitrary<string[]> {
  const one = fc.oneof(
    fc.constantFrom(...patterns),
    fc.tuple(fc.constantFrom(...patterns), value).map(([p, fill]) => p.replace('*', fill)),
    pattern,
  );
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

const parentAndChild = scope.chain((parent) =>
  fc.tuple(
    fc.constant(parent),
    fc.record({
      upstreams: narrowed(parent.upstreams),
      environments: narrowed(parent.environments),
      effects: fc.oneof(fc.subarray([...parent.effects], { minLength: 1 }), effects),
      resources: narrowed(parent.resources),
      expiresAt: fc.integer({ min: 1, max: parent.expiresAt + 5 }),
    }),
  ),
);

describe('grant scopes', () => {
  it('a derived grant accepted as within its parent never allows what the parent would not', () => {
    verifies('grant.derived-within-parent');
    let accepted = 0;
    fc.assert(
      fc.property(
        parentAndChild,
        fc.array(action, { minLength: 1, maxLength: 8 }),
        ([parent, child], actions) => {
          if (scopeExcess(child, parent).length > 0) return;
          accepted++;
          expect(child.expiresAt).toBeLessThanOrEqual(parent.expiresAt);
          for (const candidate of actions) {
            if (scopeViolations(child, candidate).length === 0) {
              expect(scopeViolations(parent, candidate)).toEqual([]);
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
    // The property is only worth something if many generated children were accepted.
    expect(accepted).toBeGreaterThan(300);
  });

  it('pattern containment is sound: whatever the child matches, the parent matches', () => {
    verifies('grant.derived-within-parent');
    fc.assert(
      fc.property(pattern, pattern, value, (child, parent, candidate) => {
        if (isPatternWithin(child, parent) && matchesPattern(child, candidate)) {
          expect(matchesPattern(parent, candidate)).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('names each way a child exceeds its parent', () => {
    verifies('grant.derived-within-parent');
    const parent: GrantScope = {
      upstreams: ['railway'],
      environments: ['staging'],
      effects: ['read'],
      resources: ['volume:*'],
      expiresAt: 10,
    };
    const child: GrantScope = {
      upstreams: ['*'],
      environments: ['production'],
      effects: ['read', 'destructive'],
      resources: ['*'],
      expiresAt: 11,
    };
    expect(scopeExcess(child, parent)).toEqual([
      "upstreams: `*` is not within the parent's scope",
      "environments: `production` is not within the parent's scope",
      "resources: `*` is not within the parent's scope",
      'effects: `destructive` is not granted to the parent',
      'expiresAt: later than the parent expires',
    ]);
  });

  it('treats a target with an unknown environment as outside any grant that lists environments', () => {
    verifies('grant.unknown-environment-outside-scope');
    const grant: GrantScope = {
      upstreams: ['*'],
      environments: ['staging', 'prod*'],
      effects: [...EFFECTS],
      resources: ['*'],
      expiresAt: 10,
    };
    const base: Action = {
      upstream: 'railway',
      surface: 'graphql',
      operation: 'volumeDelete',
      effect: 'destructive',
      reversible: false,
      digest: 'd',
      targets: [{ type: 'volume', id: 'v1', attrs: {} }],
    };
    expect(scopeViolations(grant, base)).toEqual([
      '`volume:v1` is in an unknown environment, which is not granted',
    ]);
    expect(scopeViolations({ ...grant, environments: ['*'] }, base)).toEqual([]);
  });
});
