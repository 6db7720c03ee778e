import type { Action, Effect, PolicyAnswer, PolicyEngine, PolicyInput, Store } from '../core/index.js';
import { FixedClock, SeededRandom, SequentialIds, digestRequest } from '../core/index.js';
import type { ApprovalOptions } from './approval-gate.js';
import { DEFAULT_APPROVAL_OPTIONS } from './approval-gate.js';
import { Firewall } from './firewall.js';
import type { FreezePolicy } from './freeze.js';
import { GrantService } from './grant-service.js';

/**
 * A stand-in for the shipped default policy, written in TypeScript so that firewall tests do
 * not depend on Cedar: reads and writes allowed; destructive and unknown need 1 approval
 * outside production and 2 in it.
 */
export class DefaultRulesEngine implements PolicyEngine {
  readonly version = 'default-rules';

  evaluate(input: PolicyInput): PolicyAnswer {
    const { effect } = input.action;
    if (effect === 'read' || effect === 'write') {
      return { allowed: true, policyIds: [`${effect}-allowed`], reasons: [`${effect}s are allowed`], errors: [] };
    }
    const needed = input.production ? 2 : 1;
    const id = input.production ? 'needs-two-in-production' : 'needs-one';
    if (input.approvals >= needed) return { allowed: true, policyIds: [id], reasons: [`${needed} approvals given`], errors: [] };
    return { allowed: false, policyIds: [], reasons: [], errors: [] };
  }
}

/** A firewall wired on fakes: fixed clock, sequential ids, seeded randomness. */
export function createTestFirewall(
  store: Store,
  options: { engine?: PolicyEngine; freeze?: FreezePolicy; approvals?: Partial<ApprovalOptions> } = {},
): { firewall: Firewall; grants: GrantService; clock: FixedClock } {
  const clock = new FixedClock();
  const ids = new SequentialIds();
  const engine = options.engine ?? new DefaultRulesEngine();
  const firewall = new Firewall({
    store,
    engine: () => engine,
    clock,
    ids,
    decide: { productionEnvironments: ['production'], approvalsObtainable: 2 },
    freeze: options.freeze ?? { maxDenials: 3, windowMs: 60_000 },
    approvals: { ...DEFAULT_APPROVAL_OPTIONS, ttlMs: 600_000, ...options.approvals },
  });
  const grants = new GrantService({ store, clock, ids, random: new SeededRandom(), limits: { maxTtlMs: 86_400_000 } });
  return { firewall, grants, clock };
}

/** Builds a GraphQL-flavoured action on one target, for tests. */
export function testAction(effect: Effect, environment?: string, id = 'vol_1'): Action {
  return {
    upstream: 'railway',
    surface: 'graphql',
    operation: effect === 'destructive' ? 'volumeDelete' : 'volume',
    effect,
    reversible: effect !== 'destructive',
    targets: [{ type: 'volume', id, ...(environment === undefined ? {} : { environment }), attrs: {} }],
    digest: digestRequest({ effect, environment: environment ?? null, id }),
  };
}
