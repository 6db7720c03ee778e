import type { Decision, Grant, Store } from '../core/index.js';
import { PENDING_CAP_POLICY_ID } from '../core/index.js';
import { freezeGrant } from './freeze.js';

/** Pending approvals one grant may have at once, unless config says otherwise. */
export const DEFAULT_MAX_PENDING_PER_GRANT = 10;

// One queue per store and grant, so that of many holds arriving at once exactly `cap` become
// approvals: counting and inserting must not interleave. Keyed by store, so every firewall of a
// process (gateway, MCP, PostgreSQL) on one store shares it. One process per store is assumed,
// as for delayed actions.
const queues = new WeakMap<Store, Map<string, Promise<unknown>>>();

/** Runs `work` after every earlier call for the same store and grant has finished. */
export async function inGrantQueue<T>(
  store: Store,
  grantId: string,
  work: () => Promise<T>,
): Promise<T> {
  let perStore = queues.get(store);
  if (perStore === undefined) {
    perStore = new Map();
    queues.set(store, perStore);
  }
  const before = perStore.get(grantId) ?? Promise.resolve();
  const run = before.then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  perStore.set(grantId, settled);
  try {
    return await run;
  } finally {
    if (perStore.get(grantId) === settled) perStore.delete(grantId);
  }
}

/** How many approvals of a grant are pending now. */
export async function countPendingApprovals(store: Store, grantId: string): Promise<number> {
  return (await store.listApprovals({ state: 'pending' })).filter(
    (approval) => approval.grantId === grantId,
  ).length;
}

/**
 * Refuses a hold that would take a grant past `cap` pending approvals: the grant is frozen (an
 * agent flooding approvers with holds is stopped until a human looks), `grant.frozen` is
 * audited, and no approval is created, so no webhook goes out for it.
 */
export async function refuseOverCap(
  store: Store,
  grant: Grant,
  decision: Decision,
  cap: number,
  now: number,
): Promise<Decision> {
  // Read again: an earlier refusal in the queue may have frozen it already (one audit record).
  await freezeGrant(
    store,
    (await store.getGrant(grant.id)) ?? grant,
    now,
    `a hold was refused: ${cap} approvals already pending, the most one grant may have`,
  );
  const { approval: _none, ...rest } = decision;
  return {
    ...rest,
    verdict: 'deny',
    reasons: [
      `${cap} requests of this token already wait for approval, the most it may have: this one is denied and the token is frozen until a human unfreezes it; stop and wait for a human`,
    ],
    policyIds: [PENDING_CAP_POLICY_ID],
  };
}
