import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import type { LoadedConfig } from '../config/index.js';
import { loadConfig, resolveCliActor, resolveHome } from '../config/index.js';
import type { Result, Store } from '../core/index.js';
import type { GrantService } from '../firewall/index.js';
import { createGrantService } from '../server/index.js';
import { MemoryStore, openSqliteStore } from '../stores/index.js';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './output.js';

// The services the config describes are built by the server's composition; commands reach them here.
export {
  approvalRulesOf,
  approvalServiceOf,
  createFirewall,
  createGrantService,
  decideOptionsOf,
} from '../server/index.js';

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

/** The value of a validation, or a refusal titled `title` listing every problem. */
export function orRefuse<T>(result: Result<T, string[]>, title: string): T {
  if (!result.ok) throw new CliFailure(title, EXIT.invalidInput, result.error);
  return result.value;
}

/** Loads and validates the config; refuses with every problem listed. */
export function loadConfigOf(command: Command): LoadedConfig {
  const loaded = loadConfig(homeOf(command));
  if (!loaded.ok) throw new CliFailure('invalid configuration', EXIT.invalidInput, loaded.error);
  return loaded.value;
}

/**
 * Opens the store and wires the grant service. The policy engine is not loaded here: commands
 * that manage tokens or read the audit log should not pay for compiling Cedar.
 */
export async function openContext(
  command: Command,
  use: StoreUse = 'command',
): Promise<CliContext> {
  const loaded = loadConfigOf(command);
  const store = openStore(loaded, use);
  const grants = createGrantService(loaded, store);
  return { loaded, store, grants, actor: resolveCliActor(process.env), close: () => store.close() };
}

/** Runs a command body with an open context and always closes the store. */
export async function withContext<T>(
  command: Command,
  body: (context: CliContext) => Promise<T>,
): Promise<T> {
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
