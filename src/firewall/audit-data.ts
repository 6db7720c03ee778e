import type { Action, Decision, JsonValue, Principal } from '../core/index.js';

/** The audit form of a request's actions: what and where, never attrs that might carry secrets. */
export function toAuditActions(actions: readonly Action[]): JsonValue[] {
  return actions.map((action) => ({
    upstream: action.upstream,
    surface: action.surface,
    operation: action.operation,
    effect: action.effect,
    reversible: action.reversible,
    digest: action.digest,
    targets: action.targets.map((target) => ({
      type: target.type,
      id: target.id,
      environment: target.environment ?? null,
    })),
  }));
}

/** The audit form of a decision. */
export function toAuditDecision(decision: Decision): { [key: string]: JsonValue } {
  return {
    decisionId: decision.id,
    verdict: decision.verdict,
    reasons: [...decision.reasons],
    policyIds: [...decision.policyIds],
    errors: [...decision.errors],
    approvalsNeeded: decision.approval?.needed ?? null,
    approvalId: decision.approval?.id ?? null,
  };
}

/** The audit form of who asked. */
export function toAuditPrincipal(principal: Principal | undefined): { [key: string]: JsonValue } {
  if (principal === undefined) return { grantId: null, agent: null, owner: null };
  const { grant } = principal;
  return { grantId: grant.id, agent: grant.agent, owner: grant.owner };
}
