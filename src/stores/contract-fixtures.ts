import { afterEach, beforeEach, expect } from 'vitest';
import type { AuditDraft, FirewallErrorCode, Grant, Store } from '../core/index.js';
import { describeError, isFirewallError, sha256Hex } from '../core/index.js';

/** Gives each test a fresh store from `makeStore` and closes it afterwards. */
export function useStore(makeStore: () => Promise<Store>): () => Store {
  let store: Store | undefined;
  beforeEach(async () => {
    store = await makeStore();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return () => {
    if (store === undefined) throw new Error('the store is only available inside a test');
    return store;
  };
}

/** A plausible grant; `createdAt` defaults to a fixed time so that tests control order. */
export function sampleGrant(id: string, overrides: Partial<Grant> = {}): Grant {
  return {
    id,
    agent: 'deploy-bot',
    owner: 'alice',
    upstreams: ['railway'],
    environments: ['staging', 'preview'],
    effects: ['read', 'write'],
    resources: ['service:*', 'volume:data-*'],
    createdAt: 1_000,
    expiresAt: 90_000,
    ...overrides,
  };
}

/** A distinct, well-formed token hash for a grant id. */
export function tokenHashOf(id: string): string {
  return sha256Hex(`token for ${id}`);
}

/** An audit draft numbered `n`, with nested data so that round trips are exercised. */
export function sampleDraft(n: number): AuditDraft {
  return {
    kind: 'decision',
    actor: 'agent:deploy-bot',
    at: 10_000 + n,
    data: { n, verdict: n % 2 === 0 ? 'allow' : 'deny', reasons: ['p1', `p${n}`], extra: null },
  };
}

/** Asserts that a promise rejects with a FirewallError of exactly this code. */
export async function expectFirewallError(
  promise: Promise<unknown>,
  code: FirewallErrorCode,
): Promise<void> {
  const outcome = await promise.then(
    () => 'resolved',
    (error: unknown) => error,
  );
  const got = describeError(outcome);
  expect(isFirewallError(outcome, code), `expected ${code}, got ${got}`).toBe(true);
}

/** Runs a mutation of a returned object; a store may hand out frozen objects, which throw. */
export function tryToMutate(mutate: () => void): void {
  try {
    mutate();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}
