import { join } from 'node:path';
import type { Action } from '../../src/core/index.js';
import type { FileReader } from '../../src/classify/index.js';
import { classifierFor, shellClassifier } from '../../src/classify/index.js';
import { hookShellContext } from '../../src/cli/hook/hook-context.js';
import { compilePolicyDir } from '../../src/cli/policy-loading.js';
import { decideOptionsOf } from '../../src/cli/context.js';
import { loadConfig } from '../../src/config/index.js';
import type { CheckVerdict } from '../../src/firewall/index.js';
import { dryRunLine } from '../../src/firewall/index.js';
import { SANDBOX_HOME } from './seed-project.js';

/** Airlock's verdict on one shell line, with the actions it judged. */
export interface LineJudgment {
  readonly verdict: CheckVerdict['verdict'];
  readonly actions: readonly Action[];
}

/** Judges one shell line run in `cwd` as `airlock check` does. */
export type JudgeLine = (command: string, cwd: string) => Promise<LineJudgment>;

/**
 * A judge equal to `airlock check` with the shipped default policy and a fresh Airlock home
 * (`check-command.ts`): same classifier context, same dry run. One difference, so that Airlock
 * reads the same files the sandbox runs: the classifier's reads of the case's working folder and
 * home go to the seed's `project/` and `home/` (the host has no `/repo`).
 */
export async function createJudge(
  airlockHome: string,
  seed: { project: string; home: string },
): Promise<JudgeLine> {
  const loaded = loadConfig(airlockHome);
  if (!loaded.ok) throw new Error(`default config did not load: ${loaded.error.join('; ')}`);
  const compiled = await compilePolicyDir(join(airlockHome, 'no-policy-folder'));
  if (!compiled.ok) throw new Error(`shipped policy did not compile: ${compiled.error.join('; ')}`);
  const context = hookShellContext(loaded.value);
  return async (command, cwd) => {
    const files =
      context.files === undefined
        ? undefined
        : redirected(context.files, [
            [cwd, seed.project],
            [SANDBOX_HOME, seed.home],
          ]);
    const shell = shellClassifier({ ...context, ...(files === undefined ? {} : { files }) });
    let actions: Action[] = [];
    const capture = async (input: unknown) => {
      actions = await shell(input);
      return actions;
    };
    const line = JSON.stringify({ id: 'sandbox', surface: 'shell', input: { command, cwd } });
    const verdict = await dryRunLine(line, {
      engine: compiled.value.engine,
      decide: decideOptionsOf(loaded.value),
      classify: (surface) => (surface === 'shell' ? capture : classifierFor(surface)),
    });
    return { verdict: verdict.verdict, actions };
  };
}

/** A reader that reads `from/…` at `to/…` instead, for each pair. */
function redirected(files: FileReader, pairs: readonly (readonly [string, string])[]): FileReader {
  return {
    read: (path) => {
      for (const [from, to] of pairs) {
        if (path === from || path.startsWith(`${from}/`))
          return files.read(to + path.slice(from.length));
      }
      return files.read(path);
    },
  };
}
