import { describe, expect, it } from 'vitest';
import type { Action, PolicyAnswer, PolicyEngine } from '../core/index.js';
import { digestRequest } from '../core/index.js';
import { GUARD_POLICY_ID, GUARDED_TARGET_TYPE } from '../core/index.js';
import { decideAction } from './decide-action.js';
import { DRY_RUN_PRINCIPAL } from './dry-run.js';

/** A policy that allows everything: the guard must not depend on the policy saying no. */
const ALLOW_ALL: PolicyEngine = {
  version: 'allow-all',
  evaluate: (): PolicyAnswer => ({
    allowed: true,
    policyIds: ['allow-all'],
    reasons: ['everything is allowed'],
    errors: [],
  }),
};

function shellAction(targets: Action['targets'], effect: Action['effect'] = 'write'): Action {
  return {
    upstream: 'shell',
    surface: 'shell',
    operation: 'rm',
    effect,
    reversible: effect === 'write',
    targets,
    digest: digestRequest({ targets }),
  };
}

const GUARDED = {
  type: GUARDED_TARGET_TYPE,
  id: '~/.claude/settings.json',
  attrs: { why: "an agent client's hook configuration" },
};
const OPTIONS = { productionEnvironments: ['production'], approvalsObtainable: 2 };

describe('decideAction on what Airlock guards', () => {
  it('denies a guarded target with airlock:guard even when the policy allows everything', () => {
    const verdict = decideAction(
      ALLOW_ALL,
      DRY_RUN_PRINCIPAL,
      shellAction([{ type: 'path', id: '/p/x', attrs: {} }, GUARDED]),
      OPTIONS,
    );
    expect(verdict.verdict).toBe('deny');
    expect(verdict.policyIds).toEqual([GUARD_POLICY_ID]);
    expect(verdict.reasons).toEqual([
      "`~/.claude/settings.json` is guarded by Airlock (an agent client's hook configuration): no agent may do this, and no grant, policy or approval can allow it",
    ]);
    expect(verdict.approvalsNeeded).toBeUndefined();
  });

  it('still allows the same action without the guarded target', () => {
    const verdict = decideAction(
      ALLOW_ALL,
      DRY_RUN_PRINCIPAL,
      shellAction([{ type: 'path', id: '/p/x', attrs: {} }]),
      OPTIONS,
    );
    expect(verdict.verdict).toBe('allow');
  });
});
