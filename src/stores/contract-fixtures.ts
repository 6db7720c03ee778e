import { afterEach, beforeEach, expect } from 'vitest';
import type { AuditDraft, FirewallErrorCode, Grant } from '../core/index.js';
import { describeError, isFirewallError, sha256Hex } from '../core/index.js';

/** One part of the `Store` port as a contract file tests it: with `close`, to clean up after each test. */
export type Opened<Part> = Part & { close(): Promise<void> };

/** Gives each test a fresh store from `makeStore` and closes it afterwards. */
export function useStore<Part>(makeStore: () => Promise<Opened<Part>>): () => Opened<Part> {
  let store: Opened<Part> | undefined;
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

/**
 * Drafts at the edges of the JSON rules: undefined fields and list items, nested objects with
 * unsorted and numeric keys, numbers JSON writes in odd forms, non-ascii and lone-surrogate text,
 * and a Date (no JSON value: its canonical form is `{}`, not the text `toJSON` would give).
 */
export function edgeDrafts(): AuditDraft[] {
  const data: Record<string, unknown>[] = [
    {
      missing: undefined,
      list: [undefined, 1, undefined],
      nested: { inner: undefined, kept: 'yes' },
    },
    {
      z: { b: [{ d: 1, c: 2 }], a: {} },
      '10': 'ten',
      '9': 'nine',
      '': 'empty key',
      deep: { a: { b: { c: { d: [[[]]] } } } },
    },
    {
      numbers: [0, -0, 1e21, 1e-7, 0.1 + 0.2, -5e-324, Number.MAX_SAFE_INTEGER + 2, 1.5e300],
      nan: Number.NaN,
      inf: [Number.POSITIVE_INFINITY],
    },
    {
      text: 'ünï 🚀 \u2028 "quoted" \\ back\nline\u0000',
      lone: '\ud800 \udfff',
      '\ud83d\ude80': 'emoji key',
      é: 1,
      '\uffff': 2,
    },
    { when: new Date(0), list: [new Date(1)] },
  ];
  return data.map((item, index) => ({
    kind: 'edge',
    actor: 'system',
    at: 20_000 + index,
    data: item as AuditDraft['data'],
  }));
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
