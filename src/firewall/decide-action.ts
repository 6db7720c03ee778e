import type {
  Action,
  ActionVerdict,
  PolicyEngine,
  PolicyInput,
  Principal,
  Target,
} from '../core/index.js';
import {
  DEFAULT_DENY_POLICY_ID,
  FAIL_CLOSED_POLICY_ID,
  GRANT_SCOPE_POLICY_ID,
  GUARD_POLICY_ID,
  GUARDED_TARGET_TYPE,
  combineActionVerdicts,
  principalScopeViolations,
} from '../core/index.js';

/** What deciding one action needs besides the engine. */
export interface DecideOptions {
  /** Environment names that count as production; an unknown environment always does. */
  readonly productionEnvironments: readonly string[];
  /** The most distinct human approvals a request could obtain; bounds the hold search. */
  readonly approvalsObtainable: number;
}

/**
 * Decides one action for one principal: the grant is a hard ceiling (outside it → deny), then
 * Cedar with 0 approvals (allowed → allow), then with 1…N approvals (allowed → hold, needing the
 * smallest N that works), else deny. Every target is judged and the most restrictive wins.
 */
export function decideAction(
  engine: PolicyEngine,
  principal: Principal,
  action: Action,
  options: DecideOptions,
): ActionVerdict {
  // SECURITY: first, so that neither a wide grant nor a policy nor approvals can reach it.
  const guarded = guardedVerdict(action);
  if (guarded !== undefined) return guarded;
  const violations = principalScopeViolations(principal, action);
  if (violations.length > 0) {
    return {
      verdict: 'deny',
      reasons: violations.map((problem) => `outside the grant: ${problem}`),
      policyIds: [GRANT_SCOPE_POLICY_ID],
      errors: [],
    };
  }
  // An action with no targets is judged once, with the upstream itself as the resource.
  const targets: readonly (Target | undefined)[] =
    action.targets.length > 0 ? action.targets : [undefined];
  const verdicts = targets.map((target) =>
    decideTarget(engine, principal, action, target, options),
  );
  return combineActionVerdicts(verdicts);
}

/**
 * A denial for an action touching what Airlock guards, whatever the grant and the policy say. It
 * is never a hold: an approver persuaded once would hand the agent the firewall's own off switch.
 */
function guardedVerdict(action: Action): ActionVerdict | undefined {
  const guarded = action.targets.filter((target) => target.type === GUARDED_TARGET_TYPE);
  if (guarded.length === 0) return undefined;
  return {
    verdict: 'deny',
    reasons: guarded.map((target) => {
      const why = typeof target.attrs['why'] === 'string' ? ` (${target.attrs['why']})` : '';
      return `\`${target.id}\` is guarded by Airlock${why}: no agent may do this, and no grant, policy or approval can allow it`;
    }),
    policyIds: [GUARD_POLICY_ID],
    errors: [],
  };
}

/** Whether a target counts as production: a configured name, or an unknown environment. */
export function isProductionTarget(
  target: Target | undefined,
  productionEnvironments: readonly string[],
): boolean {
  const environment = target?.environment;
  // SECURITY: unknown means "could be production", never "probably not".
  return environment === undefined || productionEnvironments.includes(environment);
}

function decideTarget(
  engine: PolicyEngine,
  principal: Principal,
  action: Action,
  target: Target | undefined,
  options: DecideOptions,
): ActionVerdict {
  const input: PolicyInput = {
    grantId: principal.grant.id,
    agent: principal.grant.agent,
    owner: principal.grant.owner,
    action,
    target,
    production: isProductionTarget(target, options.productionEnvironments),
    approvals: 0,
  };
  const now = engine.evaluate(input);
  if (now.errors.length > 0) return policyErrorVerdict(now.errors);
  if (now.allowed) {
    return {
      verdict: 'allow',
      reasons: reasonsOr(now, 'allowed'),
      policyIds: now.policyIds,
      errors: [],
    };
  }
  for (let approvals = 1; approvals <= options.approvalsObtainable; approvals++) {
    const later = engine.evaluate({ ...input, approvals });
    if (later.errors.length > 0) return policyErrorVerdict(later.errors);
    if (later.allowed) {
      const plural = approvals === 1 ? 'approval' : 'approvals';
      return {
        verdict: 'hold',
        reasons: reasonsOr(later, 'allowed').map(
          (r) => `held for ${approvals} human ${plural}: ${r}`,
        ),
        policyIds: later.policyIds,
        errors: [],
        approvalsNeeded: approvals,
      };
    }
  }
  return {
    verdict: 'deny',
    reasons: reasonsOr(now, 'denied'),
    policyIds: now.policyIds.length > 0 ? now.policyIds : [DEFAULT_DENY_POLICY_ID],
    errors: [],
  };
}

function reasonsOr(
  answer: { readonly reasons: readonly string[]; readonly policyIds: readonly string[] },
  outcome: 'allowed' | 'denied',
): readonly string[] {
  if (answer.reasons.length > 0) return answer.reasons;
  if (answer.policyIds.length > 0) {
    return [`${outcome} by policy ${answer.policyIds.map((id) => `\`${id}\``).join(', ')}`];
  }
  return ['no policy permits this action, and nothing is allowed by default'];
}

function policyErrorVerdict(errors: readonly string[]): ActionVerdict {
  // SECURITY: Cedar skips a policy that errors; a skipped forbid could turn deny into allow.
  return {
    verdict: 'deny',
    reasons: ['a policy failed to evaluate, so the request is denied'],
    policyIds: [FAIL_CLOSED_POLICY_ID],
    errors,
  };
}
