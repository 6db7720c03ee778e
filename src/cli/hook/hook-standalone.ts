import type { HookAnswer, HookClient, HookDeps } from '../../adapters/hooks/index.js';
import { existsSync } from 'node:fs';
import {
  dryRunJudge,
  HookInputError,
  loadHookClassifiers,
  runHook,
} from '../../adapters/hooks/index.js';
import type { LoadedConfig } from '../../config/index.js';
import { envSecret, loadConfig } from '../../config/index.js';
import { createFirewall, decideOptionsOf } from '../context.js';
import { loadEngineFor } from '../policy-loading.js';

/** The environment variable the agent's Airlock token is read from (never argv: it would show in ps). */
export const HOOK_TOKEN_ENV = 'AIRLOCK_TOKEN';

/** How a standalone hook run is wired. */
export interface StandaloneHookOptions {
  /** The Airlock home (config, policies, store). */
  readonly home: string;
  /** Judge without a token and record nothing (see `HookDeps.dryRun`). */
  readonly dryRun: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Answers one hook call in this process, from the Airlock home: the local policy and store.
 * The store is opened only when a call needs judging, and closed before returning; a dry run
 * opens no store at all. Never throws: every failure is the client's deny (see `runHook`).
 */
export async function runStandaloneHook(
  client: HookClient,
  input: string,
  options: StandaloneHookOptions,
): Promise<HookAnswer> {
  const closers: (() => Promise<void>)[] = [];
  try {
    return await runHook(client, input, () => wireStandalone(options, closers));
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

async function wireStandalone(
  options: StandaloneHookOptions,
  closers: (() => Promise<void>)[],
): Promise<HookDeps> {
  // A hook pointing at a home that is not there is misinstalled: deny rather than judge with defaults.
  if (!existsSync(options.home))
    throw new HookInputError(`the Airlock home ${options.home} does not exist`);
  const loaded = loadConfig(options.home);
  if (!loaded.ok) throw new Error('invalid Airlock configuration');
  const [engine, classify] = await Promise.all([
    loadEngineFor(loaded.value.policyDir),
    loadHookClassifiers(loaded.value),
  ]);
  if (options.dryRun)
    return {
      token: undefined,
      dryRun: true,
      ...classify,
      judge: dryRunJudge(engine, decideOptionsOf(loaded.value)),
    };
  const store = await openHookStore(loaded.value);
  closers.push(() => store.close());
  const firewall = createFirewall(loaded.value, store, engine);
  return {
    token: envSecret(HOOK_TOKEN_ENV, options.env),
    ...classify,
    judge: (request) => firewall.judge(request, request.token),
  };
}

async function openHookStore(loaded: LoadedConfig) {
  const { MemoryStore, openSqliteStore } = await import('../../stores/index.js');
  if (loaded.config.store.kind === 'memory') return new MemoryStore();
  return openSqliteStore({ path: loaded.storeFile, backgroundCheckpoint: false });
}
