import type { Store } from '../src/core/index.js';
import { DEFAULT_APPROVAL_OPTIONS, Firewall } from '../src/firewall/index.js';
import { randomIds, systemClock } from '../src/platform/index.js';
import { CedarPolicyEngine, loadDefaultPolicyFiles } from '../src/policy/index.js';

/**
 * The firewall the integration tests put in front of real upstreams: the shipped Cedar default
 * policy, the system clock, two obtainable approvals, and a freeze threshold high enough that a
 * test's deliberate denials never freeze its tokens.
 */
export function defaultPolicyFirewall(
  store: Store,
  productionEnvironments: readonly string[] = ['production'],
): Firewall {
  const engine = CedarPolicyEngine.create(loadDefaultPolicyFiles());
  if (!engine.ok) throw new Error('the default policy does not compile');
  return new Firewall({
    store,
    engine: () => engine.value,
    clock: systemClock,
    ids: randomIds,
    decide: { productionEnvironments, approvalsObtainable: 2 },
    freeze: { maxDenials: 50, windowMs: 600_000 },
    approvals: DEFAULT_APPROVAL_OPTIONS,
  });
}
