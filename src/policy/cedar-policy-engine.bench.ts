/**
 * Per-call costs of the policy engine: `npx vitest bench --run src/policy`. Sets of about 6, 200
 * and 2000 policies: the shipped default plus generated ones, about eight per agent as in a
 * team's real set. "Hit" repeats a request the engine has answered; "miss" turns the answer
 * cache off, so each call goes to Cedar (on an already preparsed slice); "whole set" is one Cedar
 * call over every policy, the cost without slicing.
 */
import { preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import { bench, describe } from 'vitest';
import type { PolicyInput } from '../core/index.js';
import { CedarPolicyEngine } from './cedar-policy-engine.js';
import { toAuthorizationCall, toCedarRequestParts } from './cedar-request.js';
import { compilePolicySet } from './compile-policy-set.js';
import { generatePolicyText } from './generated-policies.js';
import { loadDefaultPolicyFiles } from './load-policy-dir.js';
import { toPolicyInput } from './policy-input.fixture.js';

const production = { type: 'volume', id: 'v1', environment: 'production', attrs: {} };
const deleteInProduction = toPolicyInput({
  agent: 'agent-0',
  action: { effect: 'destructive', operation: 'volumeDelete' },
  target: production,
});

/** What `decideAction` asks for a destructive action: 0, then 1, then 2 approvals. */
function fullDecision(engine: CedarPolicyEngine, input: PolicyInput): void {
  for (let approvals = 0; approvals <= 2; approvals++) engine.evaluate({ ...input, approvals });
}

for (const count of [6, 200, 2000]) {
  const defaults = loadDefaultPolicyFiles();
  const extra = count - 6;
  const text = generatePolicyText(extra, 3, Math.round(extra / 8));
  const generated = { name: 'generated.cedar', text };
  const compiled = compilePolicySet(extra > 0 ? [...defaults, generated] : defaults);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.error.slice(0, 3)));
  const cached = new CedarPolicyEngine(compiled.value);
  const uncached = new CedarPolicyEngine(compiled.value, { maxCachedAnswers: 0 });
  const wholeSet = `bench-whole-${count}`;
  preparsePolicySet(wholeSet, {
    staticPolicies: Object.fromEntries(compiled.value.policies.map((p) => [p.id, p.text])),
  });
  const wholeCall = toAuthorizationCall(toCedarRequestParts(deleteInProduction), wholeSet);

  describe(`${count} policies`, () => {
    bench('evaluate, hit', () => {
      cached.evaluate(deleteInProduction);
    });
    bench('evaluate, miss', () => {
      uncached.evaluate(deleteInProduction);
    });
    bench('full decision (3 evaluations), hit', () => {
      fullDecision(cached, deleteInProduction);
    });
    bench('full decision (3 evaluations), miss', () => {
      fullDecision(uncached, deleteInProduction);
    });
    bench('one Cedar call on the whole set', () => {
      statefulIsAuthorized(wholeCall);
    });
  });
}
