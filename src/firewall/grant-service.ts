import type { Clock, Grant, Ids, RandomSource, Store } from '../core/index.js';
import {
  FirewallError,
  TOKEN_ENTROPY_BYTES,
  assertWellFormedToken,
  createToken,
  grantInactiveReason,
  hashToken,
  scopeExcess,
} from '../core/index.js';

/** What a human asks for when issuing a grant: its scope, and a lifetime instead of times. */
export type GrantRequest = Pick<
  Grant,
  'agent' | 'owner' | 'upstreams' | 'environments' | 'effects' | 'resources'
> & { readonly ttlMs: number };

/** What a derivation may narrow; anything left out is inherited from the parent. */
export type DeriveRequest = Partial<GrantRequest> & { readonly agent: string };

/** A new grant and its token. The token is shown once and never stored. */
export interface IssuedToken {
  readonly token: string;
  readonly grant: Grant;
}

/** Limits on token lifetimes. */
export interface TokenLimits {
  readonly maxTtlMs: number;
}

/** What the grant service needs. */
export interface GrantServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly random: RandomSource;
  readonly limits: TokenLimits;
}

/** Issues, derives, revokes and unfreezes grants; every change goes on the audit record. */
export class GrantService {
  readonly #options: GrantServiceOptions;

  constructor(options: GrantServiceOptions) {
    this.#options = options;
  }

  /** Issues a new root grant to an agent on behalf of a human. */
  async issue(request: GrantRequest, actor: string): Promise<IssuedToken> {
    assertRequestShape(request, this.#options.limits);
    const now = this.#options.clock.now();
    const grant = this.#buildGrant(request, now, now + request.ttlMs, undefined);
    return this.#store(grant, 'grant.issued', actor);
  }

  /** Derives a child grant that can never exceed its parent, named by id or by its token. */
  async derive(
    parent: { id: string } | { token: string },
    request: DeriveRequest,
    actor: string,
  ): Promise<IssuedToken> {
    const parentGrant = await this.#findParent(parent);
    const now = this.#options.clock.now();
    const inactive = grantInactiveReason(parentGrant, now);
    if (inactive !== undefined)
      throw new FirewallError('grant.inactive', `cannot derive: ${inactive}`);
    const remainingMs = parentGrant.expiresAt - now;
    const ttlMs = request.ttlMs ?? remainingMs;
    const merged: GrantRequest = {
      agent: request.agent,
      owner: request.owner ?? parentGrant.owner,
      upstreams: request.upstreams ?? parentGrant.upstreams,
      environments: request.environments ?? parentGrant.environments,
      effects: request.effects ?? parentGrant.effects,
      resources: request.resources ?? parentGrant.resources,
      ttlMs,
    };
    assertRequestShape(merged, this.#options.limits);
    const child = this.#buildGrant(merged, now, now + ttlMs, parentGrant.id);
    const excess = scopeExcess(child, parentGrant);
    if (excess.length > 0) {
      throw new FirewallError(
        'grant.exceeds-parent',
        `the derived grant would exceed its parent: ${excess.join('; ')}`,
        {
          details: excess,
        },
      );
    }
    return this.#store(child, 'grant.derived', actor);
  }

  /** Every grant, oldest first. */
  async list(): Promise<Grant[]> {
    return this.#options.store.listGrants();
  }

  /** Revokes a grant and every grant derived from it; returns the ids revoked now. */
  async revoke(id: string, actor: string): Promise<string[]> {
    const { store, clock } = this.#options;
    const now = clock.now();
    const root = await store.getGrant(id);
    if (root === undefined) throw new FirewallError('grant.not-found', `no grant \`${id}\``);
    const revoked: string[] = [];
    const pending: Grant[] = [root];
    for (let grant = pending.pop(); grant !== undefined; grant = pending.pop()) {
      pending.push(...(await store.listChildGrants(grant.id)));
      if (grant.revokedAt !== undefined) continue;
      await store.updateGrant(grant.id, { revokedAt: now });
      await store.appendAudit({
        kind: 'grant.revoked',
        actor,
        at: now,
        data: {
          grantId: grant.id,
          agent: grant.agent,
          cause: grant.id === id ? 'direct' : `parent ${id}`,
        },
      });
      revoked.push(grant.id);
    }
    return revoked;
  }

  /** Lifts a freeze after a human has looked; the denials that caused it are forgotten. */
  async unfreeze(id: string, actor: string): Promise<Grant> {
    const { store, clock } = this.#options;
    const grant = await store.getGrant(id);
    if (grant === undefined) throw new FirewallError('grant.not-found', `no grant \`${id}\``);
    if (grant.frozenAt === undefined)
      throw new FirewallError('input.invalid', `grant \`${id}\` is not frozen`);
    const now = clock.now();
    await store.clearDenials(id);
    const updated = await store.updateGrant(id, { frozenAt: null });
    await store.appendAudit({
      kind: 'grant.unfrozen',
      actor,
      at: now,
      data: { grantId: id, agent: grant.agent },
    });
    return updated;
  }

  async #findParent(parent: { id: string } | { token: string }): Promise<Grant> {
    const { store } = this.#options;
    if ('id' in parent) {
      const found = await store.getGrant(parent.id);
      if (found === undefined)
        throw new FirewallError('grant.not-found', `no grant \`${parent.id}\``);
      return found;
    }
    assertWellFormedToken(parent.token);
    const found = await store.findGrantByTokenHash(hashToken(parent.token));
    if (found === undefined)
      throw new FirewallError('grant.not-found', 'the parent token is not known');
    return found;
  }

  #buildGrant(
    request: GrantRequest,
    createdAt: number,
    expiresAt: number,
    parentId: string | undefined,
  ): Grant {
    return {
      id: this.#options.ids.next('grt'),
      agent: request.agent,
      owner: request.owner,
      upstreams: [...request.upstreams],
      environments: [...request.environments],
      effects: [...request.effects],
      resources: [...request.resources],
      createdAt,
      expiresAt,
      ...(parentId === undefined ? {} : { parentId }),
    };
  }

  async #store(grant: Grant, kind: string, actor: string): Promise<IssuedToken> {
    const { store, random, clock } = this.#options;
    const token = createToken(random.bytes(TOKEN_ENTROPY_BYTES));
    await store.insertGrant(grant, hashToken(token));
    try {
      await store.appendAudit({ kind, actor, at: clock.now(), data: toAuditGrant(grant) });
    } catch (error) {
      // SECURITY: a grant that is not on the record must not be usable.
      await store.updateGrant(grant.id, { revokedAt: clock.now() }).catch(() => undefined);
      throw error;
    }
    return { token, grant };
  }
}

function assertRequestShape(request: GrantRequest, limits: TokenLimits): void {
  const problems: string[] = [];
  if (request.agent.trim() === '') problems.push('agent: must not be empty');
  if (request.owner.trim() === '') problems.push('owner: must not be empty');
  for (const field of ['upstreams', 'environments', 'effects', 'resources'] as const) {
    if (request[field].length === 0)
      problems.push(
        `${field}: must list at least one entry (deny-by-default means nothing is granted implicitly)`,
      );
  }
  if (!Number.isInteger(request.ttlMs) || request.ttlMs <= 0)
    problems.push('ttl: must be a positive duration');
  if (request.ttlMs > limits.maxTtlMs)
    problems.push(`ttl: longer than the configured maximum of ${limits.maxTtlMs} ms`);
  if (problems.length > 0) {
    throw new FirewallError('input.invalid', `invalid grant: ${problems.join('; ')}`, {
      details: problems,
    });
  }
}

function toAuditGrant(grant: Grant): { [key: string]: string | number | string[] | null } {
  return {
    grantId: grant.id,
    agent: grant.agent,
    owner: grant.owner,
    upstreams: [...grant.upstreams],
    environments: [...grant.environments],
    effects: [...grant.effects],
    resources: [...grant.resources],
    expiresAt: grant.expiresAt,
    parentId: grant.parentId ?? null,
  };
}
