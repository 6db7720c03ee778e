import type { EntityJson, StatefulAuthorizationCall } from '@cedar-policy/cedar-wasm/nodejs';
import type { PolicyInput } from '../core/index.js';
import { CEDAR_TYPES, UNKNOWN_ENVIRONMENT, UPSTREAM_TARGET_TYPE } from './schema.js';

/** The `Airlock::Agent` attributes of a request's principal. */
export interface CedarAgentAttrs {
  readonly name: string;
  readonly owner: string;
  readonly grant: string;
}

/** The `Airlock::Target` attributes of a request's resource. */
export interface CedarTargetAttrs {
  readonly type: string;
  readonly id: string;
  readonly upstream: string;
  readonly environment: string;
  readonly environmentKnown: boolean;
  readonly production: boolean;
}

/** The request context, as the schema's `RequestContext` declares it. */
export interface CedarContext {
  readonly approvals: number;
  readonly reversible: boolean;
  readonly operation: string;
  readonly surface: string;
  readonly upstream: string;
}

/** Everything Cedar sees of one policy input, before it is shaped into a call. */
export interface CedarRequestParts {
  /** The Cedar action id: the action's effect. */
  readonly effect: string;
  /** The id of the `Airlock::Target` uid: `type:id`. */
  readonly targetUid: string;
  readonly principal: CedarAgentAttrs;
  readonly resource: CedarTargetAttrs;
  readonly context: CedarContext;
}

/** What Cedar sees of a policy input: the agent, the target (or the upstream) and the context. */
export function toCedarRequestParts(input: PolicyInput): CedarRequestParts {
  const { action, target } = input;
  const resource: CedarTargetAttrs = {
    type: target?.type ?? UPSTREAM_TARGET_TYPE,
    id: target?.id ?? action.upstream,
    upstream: action.upstream,
    environment: target?.environment ?? UNKNOWN_ENVIRONMENT,
    environmentKnown: target?.environment !== undefined,
    // SECURITY: an action without targets reaches the whole upstream, which may hold production.
    production: target === undefined || input.production,
  };
  return {
    effect: action.effect,
    // The same `type:id` key that grants' resource patterns match.
    targetUid: `${resource.type}:${resource.id}`,
    principal: { name: input.agent, owner: input.owner, grant: input.grantId },
    resource,
    context: {
      approvals: input.approvals,
      reversible: action.reversible,
      operation: action.operation,
      surface: action.surface,
      upstream: action.upstream,
    },
  };
}

/**
 * Which attributes a call sends, per variable: `all`, or just the ones listed. Cedar's cost
 * grows with every entity and attribute it is sent, and a policy set only observes what it
 * reads, so the engine sends each slice only what the slice's policies can read.
 */
export interface RequestShape {
  readonly principal: readonly string[] | 'all';
  readonly resource: readonly string[] | 'all';
  readonly context: readonly string[] | 'all';
}

/** Sends everything: what a caller that knows nothing of the policies must send. */
export const FULL_REQUEST_SHAPE: RequestShape = {
  principal: 'all',
  resource: 'all',
  context: 'all',
};

/** The stateful Cedar call for a request against a preparsed policy set. */
export function toAuthorizationCall(
  parts: CedarRequestParts,
  preparsedPolicySetId: string,
  shape: RequestShape = FULL_REQUEST_SHAPE,
): StatefulAuthorizationCall {
  const principal = { type: CEDAR_TYPES.agent, id: parts.principal.name };
  const resource = { type: CEDAR_TYPES.target, id: parts.targetUid };
  const upstream = { type: CEDAR_TYPES.upstream, id: parts.resource.upstream };
  // INVARIANT: the target always carries its edge to its upstream, which scopes such as
  // `resource in Airlock::Upstream::"u"` test without reading any attribute.
  const entities: EntityJson[] = [
    { uid: resource, attrs: pick(parts.resource, shape.resource), parents: [upstream] },
  ];
  // An agent has no parents, so one whose attributes are never read need not be sent.
  if (shape.principal === 'all' || shape.principal.length > 0) {
    entities.push({ uid: principal, attrs: pick(parts.principal, shape.principal), parents: [] });
  }
  if (shape.resource === 'all') entities.push({ uid: upstream, attrs: {}, parents: [] });
  return {
    principal,
    action: { type: CEDAR_TYPES.action, id: parts.effect },
    resource,
    context: pick(parts.context, shape.context),
    preparsedPolicySetId,
    entities,
  };
}

function pick(
  values: CedarAgentAttrs | CedarTargetAttrs | CedarContext,
  keys: readonly string[] | 'all',
): Record<string, string | number | boolean> {
  const record = values as unknown as Record<string, string | number | boolean | undefined>;
  const picked: Record<string, string | number | boolean> = {};
  for (const key of keys === 'all' ? Object.keys(record) : keys) {
    const value = record[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
