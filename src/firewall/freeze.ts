import type { Grant, Store } from '../core/index.js';

/** When repeated denials freeze a token. */
export interface FreezePolicy {
  /** Denials within the window that freeze the grant. */
  readonly maxDenials: number;
  readonly windowMs: number;
}

/** Defaults: five denials within ten minutes. */
export const DEFAULT_FREEZE_POLICY: FreezePolicy = { maxDenials: 5, windowMs: 10 * 60 * 1000 };

/**
 * Records a denial and freezes the grant once it has too many within the window: an agent
 * hunting for a way around the gate is stopped until a human looks. Returns the frozen grant
 * when this denial froze it.
 */
export async function recordDenialAndMaybeFreeze(
  store: Store,
  grant: Grant,
  now: number,
  policy: FreezePolicy,
): Promise<Grant | undefined> {
  await store.recordDenial(grant.id, now);
  if (grant.frozenAt !== undefined) return undefined;
  const recent = await store.countDenialsSince(grant.id, now - policy.windowMs);
  if (recent < policy.maxDenials) return undefined;
  return store.updateGrant(grant.id, { frozenAt: now });
}
