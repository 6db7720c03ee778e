import type { AuthorizationAnswer } from '@cedar-policy/cedar-wasm/nodejs';
import {
  isAuthorized,
  preparsePolicySet,
  statefulIsAuthorized,
} from '@cedar-policy/cedar-wasm/nodejs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import type { PolicyAnswer, PolicyInput } from '../core/index.js';
import { SURFACE_KINDS } from '../core/index.js';
import type { CedarPolicyEngineOptions } from './cedar-policy-engine.js';
import { CedarPolicyEngine } from './cedar-policy-engine.js';
import { toAuthorizationCall, toCedarRequestParts } from './cedar-request.js';
import type { CompiledPolicySet } from './compile-policy-set.js';
import { compilePolicySet } from './compile-policy-set.js';
import type { PolicyChoice } from './generated-policies.js';
import {
  GENERATED_VOCABULARY as V,
  generatePolicyText,
  toGeneratedPolicy,
} from './generated-policies.js';
import { describeCedarError } from './parse-policy-file.js';

/**
 * The reference: Cedar over the whole set, with no slicing and no cache. `isAuthorized` parses
 * the set on every call; `wholeSetId` names the same whole set preparsed once, for large sets.
 */
function naiveEvaluate(
  compiled: CompiledPolicySet,
  input: PolicyInput,
  wholeSetId?: string,
): PolicyAnswer {
  const call = toAuthorizationCall(toCedarRequestParts(input), wholeSetId ?? '');
  const staticPolicies = Object.fromEntries(compiled.policies.map((p) => [p.id, p.text]));
  const { preparsedPolicySetId: _unused, ...request } = call;
  const answer: AuthorizationAnswer =
    wholeSetId === undefined
      ? isAuthorized({ ...request, policies: { staticPolicies } })
      : statefulIsAuthorized(call);
  if (answer.type === 'failure') throw new Error(answer.errors.map((e) => e.message).join('; '));
  const reasons = new Map(compiled.policies.map((p) => [p.id, p.reason]));
  const policyIds = [...answer.response.diagnostics.reason];
  return {
    allowed: answer.response.decision === 'allow',
    policyIds,
    reasons: policyIds.flatMap((id) => reasons.get(id) ?? []),
    errors: answer.response.diagnostics.errors.map(
      (e) => `policy \`${e.policyId}\`: ${describeCedarError(e.error)}`,
    ),
  };
}

function normalized(answer: PolicyAnswer): PolicyAnswer {
  return {
    allowed: answer.allowed,
    policyIds: [...answer.policyIds].sort(),
    reasons: [...answer.reasons].sort(),
    errors: [...answer.errors].sort(),
  };
}

/** Random inputs over the generated policies' vocabulary; `narrow` draws each from two values. */
function recordArbitrary(narrow: boolean): fc.Arbitrary<InputRecord> {
  const from = <T>(values: readonly T[]): fc.Arbitrary<T> =>
    fc.constantFrom(...(narrow ? values.slice(0, 2) : values));
  return fc.record({
    // The first two of each list are the narrow choices: values some condition tells apart.
    agent: from(['agent-1', 'agent-3', 'agent-0', 'agent-2', 'agent-4', 'agent-unnamed']),
    owner: from(V.owners),
    grantId: from(V.grants),
    upstream: from(V.upstreams),
    effect: from(['destructive', 'read', 'write', 'unknown'] as const),
    surface: from(['sql', ...SURFACE_KINDS] as const),
    operation: from(V.operations),
    reversible: fc.boolean(),
    target: fc.option(
      fc.record({
        type: from(V.targetTypes),
        id: from(['v1', 'v0', 'v10', 'v2']),
        environment: fc.option(from(V.environments), { nil: undefined }),
      }),
      { nil: undefined },
    ),
    production: fc.boolean(),
    approvals: fc.nat(narrow ? 1 : 3),
  });
}

function inputArbitrary(narrow: boolean): fc.Arbitrary<PolicyInput> {
  return recordArbitrary(narrow).map(toInput);
}

interface InputRecord {
  agent: string;
  owner: string;
  grantId: string;
  upstream: string;
  effect: PolicyInput['action']['effect'];
  surface: PolicyInput['action']['surface'];
  operation: string;
  reversible: boolean;
  target: { type: string; id: string; environment: string | undefined } | undefined;
  production: boolean;
  approvals: number;
}

const INPUT_FIELDS = [
  'agent',
  'owner',
  'grantId',
  'upstream',
  'effect',
  'surface',
  'operation',
  'reversible',
  'target',
  'production',
  'approvals',
] as const satisfies readonly (keyof InputRecord)[];

/**
 * Sequences of inputs where each differs from the one before in a single field: the case where
 * a cache key that misses a field the policies read would hand back the previous answer.
 */
const walkArbitrary: fc.Arbitrary<PolicyInput[]> = fc
  .tuple(
    recordArbitrary(true),
    fc.array(fc.tuple(recordArbitrary(true), fc.constantFrom(...INPUT_FIELDS)), {
      minLength: 10,
      maxLength: 30,
    }),
  )
  .map(([first, steps]) => {
    const records = [first];
    for (const [source, field] of steps) {
      const previous = records[records.length - 1] ?? first;
      records.push({ ...previous, [field]: source[field] });
    }
    return records.map(toInput);
  });

function toInput(r: InputRecord): PolicyInput {
  const target =
    r.target === undefined
      ? undefined
      : {
          type: r.target.type,
          id: r.target.id,
          attrs: {},
          ...(r.target.environment === undefined ? {} : { environment: r.target.environment }),
        };
  const action = {
    upstream: r.upstream,
    surface: r.surface,
    operation: r.operation,
    effect: r.effect,
    reversible: r.reversible,
    targets: target === undefined ? [] : [target],
    digest: '0'.repeat(64),
  };
  const { agent, owner, grantId, production, approvals } = r;
  return { grantId, agent, owner, action, target, production, approvals };
}

// Mostly unscoped, with one or two conditions and a few forbids: sets whose answers flip when a
// single input changes. A scope the index names splits requests by slice key instead.
const mostlyAny = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.nat(10) },
);

const choiceArbitrary: fc.Arbitrary<PolicyChoice> = fc.record({
  forbid: fc.nat(3).map((n) => n === 0),
  principal: mostlyAny,
  action: mostlyAny,
  resource: mostlyAny,
  conditions: fc.array(fc.noBias(fc.integer({ min: -40, max: 40 })), {
    minLength: 1,
    maxLength: 2,
  }),
});

function compile(text: string): CompiledPolicySet {
  const compiled = compilePolicySet([{ name: 'generated.cedar', text }]);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.error.slice(0, 3)));
  return compiled.value;
}

const bounds: CedarPolicyEngineOptions[] = [
  {},
  { maxSlices: 2, maxCachedAnswers: 20 },
  { maxCachedAnswers: 0 },
];

describe('CedarPolicyEngine slicing and caching', () => {
  const large = compile(generatePolicyText(300, 7));
  const wholeSetId = 'naive-whole-set';
  preparsePolicySet(wholeSetId, {
    staticPolicies: Object.fromEntries(large.policies.map((p) => [p.id, p.text])),
  });

  it.each(bounds)('answers as the whole set does over 300 generated policies (%o)', (options) => {
    verifies('policy.cache-matches-whole-set');
    const engine = new CedarPolicyEngine(large, options);
    fc.assert(
      fc.property(fc.array(inputArbitrary(false), { minLength: 1, maxLength: 8 }), (inputs) => {
        for (const input of inputs) {
          const expected = naiveEvaluate(large, input, wholeSetId);
          expect(normalized(engine.evaluate(input))).toEqual(normalized(expected));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('answers as the whole set does for random small policy sets', () => {
    verifies('policy.cache-matches-whole-set');
    fc.assert(
      fc.property(
        fc.array(choiceArbitrary, { minLength: 1, maxLength: 12 }),
        walkArbitrary,
        (choices, inputs) => {
          const compiled = compile(choices.map((c, i) => toGeneratedPolicy(c, i)).join('\n'));
          const engine = new CedarPolicyEngine(compiled, { maxSlices: 3, maxCachedAnswers: 50 });
          for (const input of inputs) {
            const expected = naiveEvaluate(compiled, input);
            expect(normalized(engine.evaluate(input))).toEqual(normalized(expected));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
