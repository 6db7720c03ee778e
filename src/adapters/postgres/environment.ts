import type { Action } from '../../core/index.js';

/**
 * The actions with every target placed in the upstream's configured `environment`; unchanged
 * when none is configured (the targets then count as production).
 */
export function withEnvironment(
  actions: readonly Action[],
  environment: string | undefined,
): Action[] {
  if (environment === undefined) return [...actions];
  // SECURITY: the operator declared where this database lives; nothing in the statement can say otherwise.
  return actions.map((action) => ({
    ...action,
    targets: action.targets.map((target) => ({ ...target, environment })),
  }));
}
