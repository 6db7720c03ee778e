import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import { isFirewallError } from '../core/index.js';
import { CedarPolicyEngine } from './cedar-policy-engine.js';
import { loadDefaultPolicyFiles } from './load-policy-dir.js';
import type { PolicyFile } from './policy-problem.js';
import { toPolicyInput } from './policy-input.fixture.js';

function engineFor(files: PolicyFile[], options = {}): CedarPolicyEngine {
  const engine = CedarPolicyEngine.create(files, options);
  if (!engine.ok) throw new Error(JSON.stringify(engine.error));
  return engine.value;
}

const destructive = { action: { effect: 'destructive' as const, operation: 'volumeDelete' } };
const production = { type: 'volume', id: 'v1', environment: 'production', attrs: {} };

describe('CedarPolicyEngine', () => {
  const engine = engineFor(loadDefaultPolicyFiles());

  it('allows a read with the permitting policy and its reason', () => {
    expect(engine.evaluate(toPolicyInput())).toEqual({
      allowed: true,
      policyIds: ['default:read'],
      reasons: ["reads are allowed within the agent's grant"],
      errors: [],
    });
  });

  it('allows a destructive action in production only with two approvals', () => {
    verifies('hold.destructive-needs-approval');
    verifies('hold.production-needs-two');
    const answers = [0, 1, 2].map((approvals) => {
      const input = toPolicyInput({ ...destructive, target: production, approvals });
      return engine.evaluate(input).allowed;
    });
    expect(answers).toEqual([false, false, true]);
  });

  it('treats an action without targets as production, whatever the input says', () => {
    verifies('hold.production-needs-two');
    const input = toPolicyInput({ ...destructive, target: null, production: false, approvals: 1 });
    expect(engine.evaluate(input).allowed).toBe(false);
    expect(engine.evaluate({ ...input, approvals: 2 }).policyIds).toEqual([
      'default:destructive-production',
    ]);
  });

  it('answers deny with no policy when none applies', () => {
    verifies('policy.default-deny');
    const text = 'permit (principal, action == Airlock::Action::"read", resource);';
    const reads = engineFor([{ name: 'a.cedar', text }]);
    expect(reads.evaluate(toPolicyInput(destructive))).toEqual({
      allowed: false,
      policyIds: [],
      reasons: [],
      errors: [],
    });
  });

  it('reports policies that fail to evaluate, one line each', () => {
    verifies('fail-closed.policy-error');
    const text = [
      'permit (principal, action, resource);',
      '@id("overflow") forbid (principal, action, resource)',
      '  when { context.approvals * 9223372036854775807 > 0 };',
    ].join('\n');
    const answer = engineFor([{ name: 'a.cedar', text }]).evaluate(toPolicyInput({ approvals: 2 }));
    expect(answer.policyIds).toEqual(['a.cedar:0']);
    expect(answer.errors).toEqual([expect.stringMatching(/^policy `overflow`: .*overflow/)]);
  });

  it('throws policy.engine when Cedar cannot evaluate the request', () => {
    verifies('policy.engine-failure-throws');
    // The destructive policies read `context.approvals`, so Cedar must parse the fraction.
    const failing = (): unknown =>
      engine.evaluate(toPolicyInput({ ...destructive, approvals: 1.5 }));
    expect(failing).toThrow(expect.objectContaining({ code: 'policy.engine' }));
    try {
      failing();
    } catch (error) {
      expect(isFirewallError(error, 'policy.engine')).toBe(true);
      expect((error as Error).message).not.toMatch(/\n/);
    }
  });

  it('gives the same answers when slices are evicted between requests', () => {
    verifies('policy.cache-matches-whole-set');
    const small = engineFor(loadDefaultPolicyFiles(), { maxSlices: 1, maxCachedAnswers: 1 });
    for (let round = 0; round < 3; round++) {
      for (const effect of ['read', 'write', 'destructive', 'unknown'] as const) {
        const input = toPolicyInput({ action: { effect }, approvals: 1 });
        expect(small.evaluate(input)).toEqual(engine.evaluate(input));
      }
    }
  });
});

describe('CedarPolicyEngine.reload', () => {
  const writes = 'action == Airlock::Action::"write"';
  const allowWrites = `@id("w") @reason("writes allowed") permit (principal, ${writes}, resource);`;
  const forbidWrites = `@id("nw") @reason("no writes") forbid (principal, ${writes}, resource);`;
  const write = toPolicyInput({ action: { effect: 'write' } });

  it('keeps the old set in force when the new one is invalid', () => {
    verifies('policy.reload-atomic');
    const engine = engineFor([{ name: 'a.cedar', text: allowWrites }]);
    const before = engine.version;
    const result = engine.reload([
      { name: 'a.cedar', text: forbidWrites },
      { name: 'b.cedar', text: 'permit (principal, action, resource) when { resource.nope };' },
    ]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.map((p) => p.file)).toEqual(['b.cedar']);
    expect(engine.version).toBe(before);
    expect(engine.evaluate(write)).toMatchObject({ allowed: true, policyIds: ['w'] });
  });

  it('swaps in a valid set: new version, new answers, no stale cache', () => {
    verifies('policy.reload-atomic');
    const engine = engineFor([{ name: 'a.cedar', text: allowWrites }]);
    const before = engine.version;
    expect(engine.evaluate(write).allowed).toBe(true);
    const result = engine.reload([{ name: 'a.cedar', text: `${allowWrites}\n${forbidWrites}` }]);
    expect(result).toEqual({ ok: true, value: engine.version });
    expect(engine.version).not.toBe(before);
    expect(engine.evaluate(write)).toEqual({
      allowed: false,
      policyIds: ['nw'],
      reasons: ['no writes'],
      errors: [],
    });
  });

  it('changes the version even when the same files are loaded again', () => {
    verifies('policy.reload-atomic');
    const engine = engineFor([{ name: 'a.cedar', text: allowWrites }]);
    const before = engine.version;
    engine.reload([{ name: 'a.cedar', text: allowWrites }]);
    expect(engine.version).not.toBe(before);
    expect(engine.evaluate(write).allowed).toBe(true);
  });
});
