import type { Action, Effect } from '../core/index.js';
import { matchesPattern } from '../core/index.js';

/**
 * Marks actions as delayed: once approved, Airlock itself runs the request `delayMs` after
 * approval, unless an approver cancels in the meantime (the undo window).
 */
export interface UndoRule {
  /** Upstream name patterns (`*` globs), e.g. `railway`. */
  readonly upstreams: readonly string[];
  /** Operation name patterns, e.g. `volumeDelete`, `*Delete`. */
  readonly operations: readonly string[];
  readonly effects: readonly Effect[];
  readonly delayMs: number;
}

/** The undo window of a request: the longest of the rules any of its actions matches, or none. */
export function undoWindowFor(
  rules: readonly UndoRule[],
  actions: readonly Action[],
): number | undefined {
  let window: number | undefined;
  for (const rule of rules) {
    const matches = actions.some(
      (action) =>
        rule.effects.includes(action.effect) &&
        rule.upstreams.some((pattern) => matchesPattern(pattern, action.upstream)) &&
        rule.operations.some((pattern) => matchesPattern(pattern, action.operation)),
    );
    if (matches) window = Math.max(window ?? 0, rule.delayMs);
  }
  return window;
}
