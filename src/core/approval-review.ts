import type { ApprovalActionV1, ApprovalTargetV1 } from './approval.js';

/** Environment names that count as production when the caller has no configuration at hand. */
export const DEFAULT_PRODUCTION_ENVIRONMENTS: readonly string[] = ['production', 'prod'];

/** Whether a target is in production: a production environment, or an unknown one. */
export function isProductionTarget(
  target: ApprovalTargetV1,
  productionEnvironments: readonly string[],
): boolean {
  return target.environment === undefined || productionEnvironments.includes(target.environment);
}

/** Whether an action touches production. */
export function isProductionAction(
  action: ApprovalActionV1,
  productionEnvironments: readonly string[],
): boolean {
  return action.targets.some((target) => isProductionTarget(target, productionEnvironments));
}

/** Whether an action destroys, or might (an `unknown` action could do anything). */
export function isDangerousAction(action: ApprovalActionV1): boolean {
  return action.effect === 'destructive' || action.effect === 'unknown';
}

/**
 * A held batch in the order approvers should read it: destructive (or unknown) actions in
 * production first, then the rest in production, then destructive elsewhere, then the others;
 * the batch's own order within each group. A production row never hides behind a thousand
 * harmless ones.
 */
export function toReviewOrder(
  actions: readonly ApprovalActionV1[],
  productionEnvironments: readonly string[],
): ApprovalActionV1[] {
  const rank = (action: ApprovalActionV1): number =>
    (isProductionAction(action, productionEnvironments) ? 0 : 2) +
    (isDangerousAction(action) ? 0 : 1);
  return actions
    .map((action, index) => ({ action, index, rank: rank(action) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.action);
}

/** One line saying what a batch holds: `3 actions: 1 in production, 2 destructive`. */
export function toBatchSummary(
  actions: readonly ApprovalActionV1[],
  productionEnvironments: readonly string[],
): string {
  const production = actions.filter((action) =>
    isProductionAction(action, productionEnvironments),
  ).length;
  const destructive = actions.filter((action) => action.effect === 'destructive').length;
  const unknown = actions.filter((action) => action.effect === 'unknown').length;
  const parts = [`${production} in production`];
  if (destructive > 0) parts.push(`${destructive} destructive`);
  if (unknown > 0) parts.push(`${unknown} unknown`);
  return `${actions.length} action${actions.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
