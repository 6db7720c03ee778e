import { describe, expect, it, vi } from 'vitest';
import { verifies } from '../../test/requirements.js';
import { CedarPolicyEngine } from './cedar-policy-engine.js';
import { loadDefaultPolicyFiles } from './load-policy-dir.js';
import { toPolicyInput } from './policy-input.fixture.js';

const NO_DETAIL = { help: null, code: null, url: null, severity: null };

const cedar = vi.hoisted(() => ({ throwOnAuthorize: false, failPreparse: false }));

vi.mock('@cedar-policy/cedar-wasm/nodejs', async (importOriginal) => {
  const original = await importOriginal<typeof import('@cedar-policy/cedar-wasm/nodejs')>();
  return {
    ...original,
    statefulIsAuthorized: (call: Parameters<typeof original.statefulIsAuthorized>[0]) => {
      if (cedar.throwOnAuthorize) throw new RangeError('unreachable executed\nat wasm');
      return original.statefulIsAuthorized(call);
    },
    preparsePolicySet: (...args: Parameters<typeof original.preparsePolicySet>) =>
      cedar.failPreparse
        ? { type: 'failure', errors: [{ ...NO_DETAIL, message: 'out of memory' }] }
        : original.preparsePolicySet(...args),
  };
});

function createEngine(): CedarPolicyEngine {
  const engine = CedarPolicyEngine.create(loadDefaultPolicyFiles());
  if (!engine.ok) throw new Error('the default policy should compile');
  return engine.value;
}

describe('CedarPolicyEngine when Cedar fails', () => {
  it('turns a throw inside Cedar into policy.engine, on one line', () => {
    verifies('policy.engine-failure-throws');
    const engine = createEngine();
    cedar.throwOnAuthorize = true;
    try {
      expect(() => engine.evaluate(toPolicyInput())).toThrow(
        expect.objectContaining({
          code: 'policy.engine',
          message: 'cedar failed: RangeError: unreachable executed at wasm',
        }),
      );
    } finally {
      cedar.throwOnAuthorize = false;
    }
    // Nothing was cached from the failure: the next request is judged normally.
    expect(engine.evaluate(toPolicyInput()).allowed).toBe(true);
  });

  it('turns a failure to prepare a slice into policy.engine', () => {
    verifies('policy.engine-failure-throws');
    const engine = createEngine();
    cedar.failPreparse = true;
    try {
      expect(() => engine.evaluate(toPolicyInput())).toThrow(
        expect.objectContaining({ code: 'policy.engine', details: ['out of memory'] }),
      );
    } finally {
      cedar.failPreparse = false;
    }
    expect(engine.evaluate(toPolicyInput()).allowed).toBe(true);
  });
});
