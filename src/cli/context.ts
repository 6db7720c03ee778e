import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config, LoadedConfig } from '../config/index.js';
import { loadConfig, resolveCliActor, resolveHome } from '../config/index.js';
import type { ApprovalRules, PolicyEngine, Store } from '../core/index.js';
import type { DecideOptions, FactorThrottle } from '../firewall/index.js';
import { ApprovalService, Firewall, GrantService } from '../firewall/index.js';
import { cryptoRandom, randomIds, systemClock } from '../platform/index.js';
import { MemoryStore, openSqliteStore } from '../stores/index.js';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './output.js';

/** Everything a command may use, wired from the home folder's config. */
export interface CliContext {
  readonly loaded: LoadedConfig;
  readonly store: Store;
  readonly grants: GrantService;
  readonly actor: string;
  close(): Promise<void>;
}

/** The home folder named by the global `--home` option, $AIRLOCK_HOME, or ./.airlock. */
export function homeOf(command: Command): string {
  const flag = command.optsWithGlobals<{ home?: string }>().home;
  return resolveHome(flag, process.env);
}

/** Loads and validates the config; refuses with every problem listed. */
export function loadConfigOf(command: Command): LoadedConfig {
  const loaded = loadConfig(homeOf(command));
  if (!loaded.ok) throw new CliFailure('invalid configuration', EXIT.invalidInput, loaded.error);
  return loaded.value;
}

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
export function createFirewall(loaded: LoadedConfig, store: Store, engine: PolicyEngine | (() => PolicyEngine)): Firewall {
  const { freeze, approvals } = loaded.config;
  return new Firewall({
    store,
    engine: typeof engine === 'function' ? engine : () => engine,
    clock: systemClock,
    ids: randomIds,
    decide: decideOptionsOf(loaded),
    freeze: { maxDenials: freeze.maxDenials, windowMs: freeze.window },
    approvals: { ttlMs: approvals.ttl, ...approvalRulesOf(loaded.config), maxPendingPerGrant: approvals.maxPendingPerGrant },
    undo: approvals.undo.map((rule) => ({ upstreams: rule.upstreams, operations: rule.operations, effects: rule.effects, delayMs: rule.delay })),
  });
}

/** The approval rules the config sets, as the approval state machine takes them. */
export function approvalRulesOf(config: Config): ApprovalRules {
  return { denyEndsIt: config.approvals.denyEndsIt, ownerMayApprove: config.approvals.ownerMayApprove };
}

/** The approval service the config describes, on a given store; give serve's shared throttle where there is one. */
export function approvalServiceOf(loaded: LoadedConfig, store: Store, factorThrottle?: FactorThrottle): ApprovalService {
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
  return new GrantService({ store, clock: systemClock, ids: randomIds, random: cryptoRandom, limits: { maxTtlMs: loaded.config.tokens.maxTtl } });
}

/**
 * Opens the store and wires the grant service. The policy engine is not loaded here: commands
 * that manage tokens or read the audit log should not pay for compiling Cedar.
 */
export async function openContext(command: Command, use: StoreUse = 'command'): Promise<CliContext> {
  const loaded = loadConfigOf(command);
  const store = openStore(loaded, use);
  const grants = createGrantService(loaded, store);
  return { loaded, store, grants, actor: resolveCliActor(process.env), close: () => store.close() };
}

/** Runs a command body with an open context and always closes the store. */
export async function withContext<T>(command: Command, body: (context: CliContext) => Promise<T>): Promise<T> {
  const context = await openContext(command);
  try {
    return await body(context);
  } finally {
    await context.close();
  }
}

/** A short command, or the long-running gateway whose tail latency WAL checkpoints would set. */
export type StoreUse = 'command' | 'server';

function openStore(loaded: LoadedConfig, use: StoreUse): Store {
  if (loaded.config.store.kind === 'memory') return new MemoryStore();
  // SECURITY: a store the CLI creates (`admin bootstrap` as the service user, a first command in
  // a dev home) is the owner's alone; SQLite gives its -wal and -shm files the database's mode.
  const previous = process.umask(0o077);
  try {
    mkdirSync(loaded.home, { recursive: true });
    return openSqliteStore({ path: loaded.storeFile, backgroundCheckpoint: use === 'server' });
  } finally {
    process.umask(previous);
  }
}
