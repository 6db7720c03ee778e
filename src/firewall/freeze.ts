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
 * when this denial froze it (audited as `grant.frozen`).
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
  return freezeGrant(
    store,
    grant,
    now,
    `${policy.maxDenials} denials within ${policy.windowMs} ms`,
  );
}

/**
 * Freezes a grant that is not frozen yet and records why (`grant.frozen`, by `system`); returns
 * the grant when this call froze it. Every freeze Airlock makes on its own goes through here.
 */
export async function freezeGrant(
  store: Store,
  grant: Grant,
  now: number,
  reason: string,
): Promise<Grant | undefined> {
  if (grant.frozenAt !== undefined) return undefined;
  const frozen = await store.updateGrant(grant.id, { frozenAt: now });
  await store.appendAudit({
    kind: 'grant.frozen',
    actor: 'system',
    at: now,
    data: { grantId: frozen.id, agent: frozen.agent, reason },
  });
  return frozen;
}
