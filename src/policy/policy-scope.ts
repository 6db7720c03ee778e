import type { PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { CedarUid } from './cedar-uid.js';
import { toCedarUid } from './cedar-uid.js';
import { CEDAR_TYPES } from './schema.js';

/** A request variable that carries data a policy can read: the principal, resource or context. */
export type RequestVariable = 'principal' | 'resource' | 'context';

/**
 * What a policy's scope (the part in parentheses) says about the requests it can apply to. A
 * policy whose scope cannot match a request never applies to it and never errors on it, so the
 * engine may leave it out of that request's evaluation without changing the answer.
 */
export interface PolicyScope {
  /** Effects (Cedar action ids) the policy applies to; undefined when it applies to all. */
  readonly effects: readonly string[] | undefined;
  /** The only agent it applies to (`principal == Airlock::Agent::"…"`). */
  readonly agent: string | undefined;
  /** The only target uid it applies to (`resource == Airlock::Target::"…"`). */
  readonly resource: string | undefined;
  /** The only upstream whose targets it applies to (`resource in Airlock::Upstream::"…"`). */
  readonly upstream: string | undefined;
  /** Variables constrained in a way the fields above do not capture. */
  readonly opaque: readonly RequestVariable[];
}

type Constraint = PolicyJson['principal'] | PolicyJson['resource'];

/** Reads the scope of a policy from its JSON form. */
export function toPolicyScope(json: PolicyJson): PolicyScope {
  const opaque: RequestVariable[] = [];
  const principal = constrainedUid(json.principal);
  let agent: string | undefined;
  if (principal === 'opaque' || (principal !== undefined && principal.type !== CEDAR_TYPES.agent)) {
    opaque.push('principal');
  } else {
    // An agent has no parents, so `principal in Agent::"a"` is the same as `==`.
    agent = principal?.id;
  }
  const target = resourceScope(json.resource);
  if (target === 'opaque') opaque.push('resource');
  return {
    effects: actionEffects(json.action),
    agent,
    resource: target === 'opaque' ? undefined : target.resource,
    upstream: target === 'opaque' ? undefined : target.upstream,
    opaque,
  };
}

function actionEffects(constraint: PolicyJson['action']): readonly string[] | undefined {
  if (constraint.op === 'All') return undefined;
  const uids =
    'entities' in constraint
      ? constraint.entities
      : 'entity' in constraint
        ? [constraint.entity]
        : [];
  const effects: string[] = [];
  for (const value of uids) {
    const uid = toCedarUid(value);
    // Anything but a plain action uid is left to Cedar: the policy stays in every slice.
    if (uid === undefined || uid.type !== CEDAR_TYPES.action) return undefined;
    effects.push(uid.id);
  }
  // The schema has no action groups, so `action in [A, B]` is `action == A || action == B`.
  return effects;
}

function resourceScope(
  constraint: PolicyJson['resource'],
): { resource?: string; upstream?: string } | 'opaque' {
  const uid = constrainedUid(constraint);
  if (uid === undefined) return {};
  if (uid === 'opaque') return 'opaque';
  // A target's only parent is its upstream, so `in Target::"t"` matches that target alone.
  if (uid.type === CEDAR_TYPES.target) return { resource: uid.id };
  if (uid.type === CEDAR_TYPES.upstream && constraint.op !== '==') return { upstream: uid.id };
  return 'opaque';
}

/**
 * The entity a scope constraint pins the variable to (`==`, `in`, or `is … in`), undefined when
 * it admits any entity of the schema's one type, or `opaque` for anything else.
 */
function constrainedUid(constraint: Constraint): CedarUid | undefined | 'opaque' {
  switch (constraint.op) {
    case 'All':
      return undefined;
    case '==':
    case 'in':
      return 'entity' in constraint ? (toCedarUid(constraint.entity) ?? 'opaque') : 'opaque';
    case 'is': {
      const type = constraint.entity_type;
      const knownType = type === CEDAR_TYPES.agent || type === CEDAR_TYPES.target;
      if (!knownType) return 'opaque';
      if (constraint.in === undefined) return undefined;
      return 'entity' in constraint.in ? (toCedarUid(constraint.in.entity) ?? 'opaque') : 'opaque';
    }
    default:
      return 'opaque';
  }
}
