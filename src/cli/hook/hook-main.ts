import type { HookAnswer } from '../../adapters/hooks/index.js';
import type { HookArgs, StandaloneAnswer } from './hook-fast.js';
import { answerHookWith, main as fastMain } from './hook-fast.js';

/**
 * The hook with its standalone judge: what `airlock hook CLIENT` runs, and what the fast entry
 * (`hook-fast.ts`) loads when there is no server to forward to. Bundled as an ES module with the
 * standalone part split off, so it is loaded only when needed.
 */

/** Judges in this process from the Airlock home (the policy engine and the store). */
export const standaloneAnswer: StandaloneAnswer = async (client, input, options) => {
  const [{ runStandaloneHook }, { resolveHome }] = await Promise.all([
    import('./hook-standalone.js'),
    import('../../config/index.js'),
  ]);
  return runStandaloneHook(client, input, {
    home: resolveHome(options.home, options.env),
    dryRun: options.dryRun,
    env: options.env,
  });
};

/** Answers one hook call in either mode; every failure becomes the client's deny. */
export function answerHook(
  args: HookArgs,
  input: string,
  env: NodeJS.ProcessEnv,
): Promise<HookAnswer> {
  return answerHookWith(args, input, env, async () => standaloneAnswer);
}

/** The process entry when run from the TypeScript sources (no bundle built). */
export function main(argv: readonly string[]): Promise<void> {
  return fastMain(argv, async () => standaloneAnswer);
}
