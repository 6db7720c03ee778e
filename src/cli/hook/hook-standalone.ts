import type { HookAnswer, HookClient, HookDeps } from '../../adapters/hooks/index.js';
import { existsSync } from 'node:fs';
import { dryRunJudge, HOOK_SHELL_UPSTREAM, HookInputError, runHook } from '../../adapters/hooks/index.js';
import type { Action } from '../../core/index.js';
import type { LoadedConfig } from '../../config/index.js';
import { loadConfig } from '../../config/index.js';
import { createFirewall, decideOptionsOf } from '../context.js';
import { hookShellContext } from './hook-context.js';
import { loadEngineFor } from '../policy-loading.js';
import { withCredentialChecks } from '../../scan/index.js';

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
export async function runStandaloneHook(client: HookClient, input: string, options: StandaloneHookOptions): Promise<HookAnswer> {
  const closers: (() => Promise<void>)[] = [];
  try {
    return await runHook(client, input, () => wireStandalone(options, closers));
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

async function wireStandalone(options: StandaloneHookOptions, closers: (() => Promise<void>)[]): Promise<HookDeps> {
  // A hook pointing at a home that is not there is misinstalled: deny rather than judge with defaults.
  if (!existsSync(options.home)) throw new HookInputError(`the Airlock home ${options.home} does not exist`);
  const loaded = loadConfig(options.home);
  if (!loaded.ok) throw new Error('invalid Airlock configuration');
  const [engine, classifiers] = await Promise.all([loadEngineFor(loaded.value.policyDir), import('../../classify/index.js')]);
  const classify = hookClassifiers(classifiers, loaded.value);
  if (options.dryRun) return { token: undefined, dryRun: true, ...classify, judge: dryRunJudge(engine, decideOptionsOf(loaded.value)) };
  const store = await openHookStore(loaded.value);
  closers.push(() => store.close());
  const firewall = createFirewall(loaded.value, store, engine);
  return { token: options.env[HOOK_TOKEN_ENV], ...classify, judge: (request) => firewall.judge(request) };
}

async function openHookStore(loaded: LoadedConfig) {
  const { MemoryStore, openSqliteStore } = await import('../../stores/index.js');
  if (loaded.config.store.kind === 'memory') return new MemoryStore();
  return openSqliteStore({ path: loaded.storeFile, backgroundCheckpoint: false });
}

/**
 * The classifiers a hook judges with: the shell surface's registered classifier (its upstream is
 * the hooks' shell upstream), the file-tool classifier under the same upstream, and the MCP
 * tool-call classifier the MCP proxy uses.
 */
export function hookClassifiers(classifiers: typeof import('../../classify/index.js'), loaded: LoadedConfig): Pick<HookDeps, 'classifyShell' | 'classifyFile' | 'classifyMcp'> {
  const context = hookShellContext(loaded);
  const shell = classifiers.shellClassifier(context);
  // Issue 24: a call that would read a provider credential is held, whatever it is (src/scan).
  return withCredentialChecks({
    classifyShell: async (line: string, cwd: string): Promise<Action[]> => {
      const actions = await shell({ command: line, cwd });
      // Grants name the hooks' shell upstream; the registered classifier uses the same name.
      return actions.map((action) => (action.upstream === HOOK_SHELL_UPSTREAM ? action : { ...action, upstream: HOOK_SHELL_UPSTREAM }));
    },
    // File tools are judged like the shell's writes, against the same guarded paths.
    classifyFile: async (call) => classifiers.classifyFileTool(call, HOOK_SHELL_UPSTREAM, context),
    classifyMcp: async (call) => classifiers.classifyMcpToolCall({ ...call, annotations: {} }),
  }, context.guard?.userHome);
}
