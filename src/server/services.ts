import type { Config, LoadedConfig } from '../config/index.js';
import type { ApprovalRules, PolicyEngine, Store } from '../core/index.js';
import type { DecideOptions, FactorThrottle } from '../firewall/index.js';
import { ApprovalService, Firewall, GrantService } from '../firewall/index.js';
import { cryptoRandom, randomIds, systemClock } from '../platform/index.js';

/** The decision settings the config implies. */
export function decideOptionsOf(loaded: LoadedConfig): DecideOptions {
  return {
    productionEnvironments: loaded.config.environments.production,
    approvalsObtainable: loaded.config.approvals.obtainable,
  };
}

/**
 * The firewall the config describes, on a given store and policy engine; give a getter for an
 * engine that may be swapped (`policy reload`), which the firewall then reads per request.
 */
export function createFirewall(
  loaded: LoadedConfig,
  store: Store,
  engine: PolicyEngine | (() => PolicyEngine),
): Firewall {
  const { freeze, approvals } = loaded.config;
  return new Firewall({
    store,
    engine: typeof engine === 'function' ? engine : () => engine,
    clock: systemClock,
    ids: randomIds,
    decide: decideOptionsOf(loaded),
    freeze: { maxDenials: freeze.maxDenials, windowMs: freeze.window },
    approvals: {
      ttlMs: approvals.ttl,
      ...approvalRulesOf(loaded.config),
      maxPendingPerGrant: approvals.maxPendingPerGrant,
    },
    undo: approvals.undo.map((rule) => ({
      upstreams: rule.upstreams,
      operations: rule.operations,
      effects: rule.effects,
      delayMs: rule.delay,
    })),
  });
}

/** The approval rules the config sets, as the approval state machine takes them. */
export function approvalRulesOf(config: Config): ApprovalRules {
  return {
    denyEndsIt: config.approvals.denyEndsIt,
    ownerMayApprove: config.approvals.ownerMayApprove,
  };
}

/** The approval service the config describes, on a given store; give serve's shared throttle where there is one. */
export function approvalServiceOf(
  loaded: LoadedConfig,
  store: Store,
  factorThrottle?: FactorThrottle,
): ApprovalService {
  return new ApprovalService({
    store,
    clock: systemClock,
    random: cryptoRandom,
    rules: approvalRulesOf(loaded.config),
    productionEnvironments: loaded.config.environments.production,
    ...(factorThrottle === undefined ? {} : { factorThrottle }),
  });
}

/** The grant service the config describes, on a given store. */
export function createGrantService(loaded: LoadedConfig, store: Store): GrantService {
  return new GrantService({
    store,
    clock: systemClock,
    ids: randomIds,
    random: cryptoRandom,
    limits: { maxTtlMs: loaded.config.tokens.maxTtl },
  });
}
