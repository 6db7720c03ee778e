import type { Grant, Principal, Store } from '../core/index.js';
import { grantInactiveReason, hashToken, isWellFormedToken, scopeExcess } from '../core/index.js';

/** The deepest chain of derived grants Airlock will follow; deeper chains are refused. */
export const MAX_GRANT_DEPTH = 16;

/** Who is asking, or why nobody is. */
export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: string; readonly grant?: Grant };

/**
 * Turns a presented token into a principal. Checked on every use, not only at issue: the token
 * is known, the grant and every ancestor are live (not expired, revoked or frozen), and each
 * grant is still within its parent.
 */
export async function authenticate(
  store: Store,
  token: string,
  now: number,
): Promise<Authentication> {
  // SECURITY: never echo the presented value; it may be a real credential pasted by mistake.
  if (!isWellFormedToken(token))
    return { ok: false, reason: 'the credential is not an airlock token' };
  const grant = await store.findGrantByTokenHash(hashToken(token));
  if (grant === undefined) return { ok: false, reason: 'the airlock token is not known' };
  const ancestors = await loadAncestors(store, grant);
  if (!ancestors.ok) return { ok: false, reason: ancestors.reason, grant };
  const problem = chainProblem(grant, ancestors.value, now);
  if (problem !== undefined) return { ok: false, reason: problem, grant };
  return { ok: true, principal: { grant, ancestors: ancestors.value } };
}

async function loadAncestors(
  store: Store,
  grant: Grant,
): Promise<{ ok: true; value: Grant[] } | { ok: false; reason: string }> {
  const ancestors: Grant[] = [];
  let parentId = grant.parentId;
  while (parentId !== undefined) {
    if (ancestors.length >= MAX_GRANT_DEPTH) {
      return { ok: false, reason: `grant \`${grant.id}\` is derived too deeply` };
    }
    const parent = await store.getGrant(parentId);
    if (parent === undefined) {
      return { ok: false, reason: `parent grant \`${parentId}\` no longer exists` };
    }
    ancestors.push(parent);
    parentId = parent.parentId;
  }
  return { ok: true, value: ancestors };
}

function chainProblem(grant: Grant, ancestors: readonly Grant[], now: number): string | undefined {
  const chain = [grant, ...ancestors];
  for (const [index, link] of chain.entries()) {
    const inactive = grantInactiveReason(link, now);
    if (inactive !== undefined) return index === 0 ? inactive : `parent ${inactive}`;
    const parent = chain[index + 1];
    if (parent === undefined) continue;
    // INVARIANT: a child never exceeds its parent; re-checked here in case either row changed.
    const excess = scopeExcess(link, parent);
    if (excess.length > 0) return `grant \`${link.id}\` exceeds its parent: ${excess.join('; ')}`;
  }
  return undefined;
}
