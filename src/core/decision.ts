/** The gate's answer for a request. */
export type Verdict = 'allow' | 'hold' | 'deny';

const SEVERITY: Record<Verdict, number> = { allow: 0, hold: 1, deny: 2 };

/** The more restrictive of two verdicts: deny beats hold beats allow. */
export function mostRestrictive(a: Verdict, b: Verdict): Verdict {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

/** Policy id used when the grant, not a Cedar policy, decided. */
export const GRANT_SCOPE_POLICY_ID = 'airlock:grant-scope';
/** Policy id used when authentication decided (unknown, expired, revoked or frozen token). */
export const AUTHENTICATION_POLICY_ID = 'airlock:authentication';
/** Policy id used when an error decided: fail closed. */
export const FAIL_CLOSED_POLICY_ID = 'airlock:fail-closed';
/** Policy id used when Cedar found no permit: deny by default. */
export const DEFAULT_DENY_POLICY_ID = 'airlock:default-deny';
/** Policy id used when an action touches what Airlock guards from every agent (see `GUARDED_TARGET_TYPE`). */
export const GUARD_POLICY_ID = 'airlock:guard';
/** Policy id used when no adapter understands the surface. */
export const NO_ADAPTER_POLICY_ID = 'airlock:no-adapter';
/** Policy id used when a human approval decided (allowed once, or denied by a human). */
export const APPROVAL_POLICY_ID = 'airlock:approval';
/** Policy id used when a grant already has as many pending approvals as it may: the hold is refused. */
export const PENDING_CAP_POLICY_ID = 'airlock:pending-cap';

/** A decision as data: never an exception. */
export interface DecisionV1 {
  readonly id: string;
  readonly verdict: Verdict;
  /** Sentences a human can read, one per deciding rule. */
  readonly reasons: readonly string[];
  /** Ids of the policies (or built-in rules, `airlock:*`) that made the decision. */
  readonly policyIds: readonly string[];
  /** Errors met on the way; any error makes the verdict deny. */
  readonly errors: readonly string[];
  /**
   * Present when held, or allowed or denied by a human approval: how many distinct human
   * approvals the request needs, and the id of the approval it is bound to.
   */
  readonly approval?: { readonly needed: number; readonly id?: string };
}

/** The current version of a decision. */
export type Decision = DecisionV1;

/** A verdict for one action, before they are combined into a request's decision. */
export interface ActionVerdict {
  readonly verdict: Verdict;
  readonly reasons: readonly string[];
  readonly policyIds: readonly string[];
  readonly errors: readonly string[];
  readonly approvalsNeeded?: number;
}

/** Combines verdicts: the most restrictive wins; reasons, ids and approvals needed of the winners are kept. */
export function combineActionVerdicts(verdicts: readonly ActionVerdict[]): ActionVerdict {
  if (verdicts.length === 0) {
    return {
      verdict: 'deny',
      reasons: ['the request carried no action Airlock could judge'],
      policyIds: [FAIL_CLOSED_POLICY_ID],
      errors: [],
    };
  }
  // Plain loops: this runs for every action and again for every request (hot path).
  let verdict: Verdict = 'allow';
  for (const action of verdicts) verdict = mostRestrictive(verdict, action.verdict);
  const reasons = new Set<string>();
  const policyIds = new Set<string>();
  const errors = new Set<string>();
  let needed = 0;
  for (const action of verdicts) {
    for (const error of action.errors) errors.add(error);
    if (action.verdict !== verdict) continue;
    for (const reason of action.reasons) reasons.add(reason);
    for (const id of action.policyIds) policyIds.add(id);
    needed = Math.max(needed, action.approvalsNeeded ?? 0);
  }
  return {
    verdict,
    reasons: [...reasons],
    policyIds: [...policyIds],
    errors: [...errors],
    ...(verdict === 'hold' ? { approvalsNeeded: needed } : {}),
  };
}

/** Turns the combined verdict of a request's actions into its decision. */
export function toDecision(id: string, verdicts: readonly ActionVerdict[]): Decision {
  const combined = combineActionVerdicts(verdicts);
  return {
    id,
    verdict: combined.verdict,
    reasons: combined.reasons,
    policyIds: combined.policyIds,
    errors: combined.errors,
    ...(combined.approvalsNeeded === undefined
      ? {}
      : { approval: { needed: combined.approvalsNeeded } }),
  };
}
