import type { LoadedConfig } from '../config/index.js';
import type { Store } from '../core/index.js';
import { cryptoRandom, randomIds, systemClock } from '../platform/index.js';
import type { AdminOperationsOptions } from '../server/index.js';
import { AdminOperations } from '../server/index.js';
import { approvalRulesOf } from './context.js';

/** What differs between the server's admin operations and the CLI's local ones. */
export type AdminOperationsWiring = Pick<AdminOperationsOptions, 'reloadPolicy' | 'channel'> &
  Partial<Pick<AdminOperationsOptions, 'ownerActor' | 'factorThrottle' | 'verifyAudit'>>;

/**
 * The admin operations a home's config describes, on its store: the server's (over the socket)
 * and the CLI's where no server runs are built here alike, so both modes judge alike.
 */
export function adminOperationsOf(
  loaded: LoadedConfig,
  store: Store,
  wiring: AdminOperationsWiring,
): AdminOperations {
  const { config } = loaded;
  return new AdminOperations({
    store,
    clock: systemClock,
    ids: randomIds,
    random: cryptoRandom,
    rules: approvalRulesOf(config),
    productionEnvironments: config.environments.production,
    tokens: { defaultTtlMs: config.tokens.defaultTtl, maxTtlMs: config.tokens.maxTtl },
    ...wiring,
  });
}
