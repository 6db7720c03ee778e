import { homedir } from 'node:os';
import { join } from 'node:path';
import type { HookClient } from '../../../adapters/hooks/index.js';

/**
 * Where each agent client reads hooks that the project it works in cannot edit or skip
 * (docs/agent-hooks.md): the user's own settings, or the machine's managed (enterprise) settings.
 * Never the project's shared files: those are committed, and an absolute path of this machine in
 * them is a missing command on every other machine, which most clients answer by running the call.
 */

/** Where install-hooks writes: the user's files (the default) or the machine's managed files (root). */
export type HookScope = 'user' | 'managed';

/** Every scope install-hooks writes to, in the order doctor reports them. */
export const HOOK_SCOPES: readonly HookScope[] = ['user', 'managed'];

/**
 * Prefixes every managed location (`$AIRLOCK_MANAGED_ROOT/etc/...`), so tests and packagers can
 * write them somewhere other than `/`.
 */
export const MANAGED_ROOT_ENV = 'AIRLOCK_MANAGED_ROOT';

/** The folder each client's managed files live in, below the managed root (Linux). */
const MANAGED_FILES: Readonly<Record<HookClient, string>> = {
  'claude-code': join('etc', 'claude-code', 'managed-settings.json'),
  cursor: join('etc', 'cursor', 'hooks.json'),
  codex: join('etc', 'codex', 'hooks.json'),
  gemini: join('etc', 'gemini-cli', 'settings.json'),
};

/** Codex's admin-enforced requirements: where managed installs pin hooks on. */
export const CODEX_MANAGED_REQUIREMENTS = join('etc', 'codex', 'requirements.toml');

/** The user's home folder as the clients see it ($HOME). */
export function userHome(env: NodeJS.ProcessEnv): string {
  return env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
}

/** The managed root: `$AIRLOCK_MANAGED_ROOT`, else `/`. */
export function managedRoot(env: NodeJS.ProcessEnv): string {
  const root = env[MANAGED_ROOT_ENV];
  return root !== undefined && root !== '' ? root : '/';
}

/** Codex's home (`$CODEX_HOME`, else `~/.codex`), where its user config and hooks live. */
export function codexHome(env: NodeJS.ProcessEnv): string {
  const named = env.CODEX_HOME;
  return named !== undefined && named !== '' ? named : join(userHome(env), '.codex');
}

/** The file install-hooks writes for a client in a scope. */
export function hookFileFor(client: HookClient, scope: HookScope, env: NodeJS.ProcessEnv): string {
  if (scope === 'managed') return join(managedRoot(env), MANAGED_FILES[client]);
  const home = userHome(env);
  switch (client) {
    case 'claude-code': {
      const dir = env.CLAUDE_CONFIG_DIR;
      return join(dir !== undefined && dir !== '' ? dir : join(home, '.claude'), 'settings.json');
    }
    case 'cursor':
      return join(home, '.cursor', 'hooks.json');
    case 'codex':
      return join(codexHome(env), 'hooks.json');
    case 'gemini': {
      const dir = env.GEMINI_CLI_HOME;
      return join(dir !== undefined && dir !== '' ? dir : home, '.gemini', 'settings.json');
    }
  }
}

/**
 * The project files earlier Airlock versions wrote hooks into (relative to the project). They
 * are only ever cleaned of Airlock's entries, never written with new ones.
 */
export const PROJECT_HOOK_FILES: Readonly<Record<HookClient, readonly string[]>> = {
  'claude-code': [join('.claude', 'settings.json'), join('.claude', 'settings.local.json')],
  cursor: [join('.cursor', 'hooks.json')],
  codex: [join('.codex', 'hooks.json')],
  gemini: [join('.gemini', 'settings.json')],
};
