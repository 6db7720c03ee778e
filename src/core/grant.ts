import type { Action, Effect } from './action.js';
import { toResourceKey } from './action.js';
import { isPatternWithin, matchesPattern } from './pattern.js';

/**
 * What an Airlock token may do. Lists are allow-lists; `*` in upstreams, environments or
 * resources means "any". Times are milliseconds since the epoch.
 */
export interface GrantV1 {
  readonly id: string;
  /** The agent this grant was issued to. */
  readonly agent: string;
  /** The human answerable for the agent. */
  readonly owner: string;
  readonly upstreams: readonly string[];
  readonly environments: readonly string[];
  readonly effects: readonly Effect[];
  /** Patterns over `type:id` of targets. */
  readonly resources: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly parentId?: string;
  readonly revokedAt?: number;
  readonly frozenAt?: number;
}

/** The current version of a grant. */
export type Grant = GrantV1;

/** The scope fields of a grant, which derivation narrows. */
export type GrantScope = Pick<
  Grant,
  'upstreams' | 'environments' | 'effects' | 'resources' | 'expiresAt'
>;

/** The authenticated identity behind a request: its grant and the chain of grants above it. */
export interface Principal {
  readonly grant: Grant;
  /** Ancestors, nearest first; each one also bounds what this principal may do. */
  readonly ancestors: readonly Grant[];
}

/** Why a grant cannot be used now, or undefined when it can. */
export function grantInactiveReason(grant: Grant, now: number): string | undefined {
  if (grant.revokedAt !== undefined) return `grant \`${grant.id}\` was revoked`;
  if (grant.frozenAt !== undefined) {
    return `grant \`${grant.id}\` is frozen after repeated denials; a human must unfreeze it`;
  }
  if (now >= grant.expiresAt) return `grant \`${grant.id}\` expired`;
  return undefined;
}

/** Every way the child scope exceeds its parent; empty when the child is within it. */
export function scopeExcess(child: GrantScope, parent: GrantScope): string[] {
  const problems: string[] = [];
  for (const [field, childList, parentList] of [
    ['upstreams', child.upstreams, parent.upstreams],
    ['environments', child.environments, parent.environments],
    ['resources', child.resources, parent.resources],
  ] as const) {
    for (const item of childList) {
      if (!parentList.some((allowed) => isPatternWithin(item, allowed))) {
        problems.push(`${field}: \`${item}\` is not within the parent's scope`);
      }
    }
  }
  for (const effect of child.effects) {
    if (!parent.effects.includes(effect)) {
      problems.push(`effects: \`${effect}\` is not granted to the parent`);
    }
  }
  if (child.expiresAt > parent.expiresAt) problems.push('expiresAt: later than the parent expires');
  return problems;
}

/**
 * Every way an action falls outside a grant; empty when it is inside. A target whose
 * environment is unknown is inside only a grant that covers every environment.
 */
export function scopeViolations(grant: GrantScope, action: Action): string[] {
  const problems: string[] = [];
  if (!grant.upstreams.some((pattern) => matchesPattern(pattern, action.upstream))) {
    problems.push(`upstream \`${action.upstream}\` is not granted`);
  }
  if (!grant.effects.includes(action.effect)) {
    problems.push(`${action.effect} actions are not granted`);
  }
  for (const target of action.targets) {
    // SECURITY: an unresolved environment could be production; only "*" covers it.
    const environment = target.environment ?? '*';
    if (!grant.environments.some((pattern) => matchesPattern(pattern, environment))) {
      const shown = target.environment ?? 'an unknown environment';
      problems.push(`\`${toResourceKey(target)}\` is in ${shown}, which is not granted`);
    }
    if (!grant.resources.some((pattern) => matchesPattern(pattern, toResourceKey(target)))) {
      problems.push(`resource \`${toResourceKey(target)}\` is not granted`);
    }
  }
  return problems;
}

/** Scope violations against the grant and every ancestor: a child is bounded by all of them. */
export function principalScopeViolations(principal: Principal, action: Action): string[] {
  const problems = scopeViolations(principal.grant, action);
  for (const ancestor of principal.ancestors) {
    for (const problem of scopeViolations(ancestor, action)) {
      problems.push(`parent grant \`${ancestor.id}\`: ${problem}`);
    }
  }
  return problems;
}
