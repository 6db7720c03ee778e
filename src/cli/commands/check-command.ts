import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { SurfaceKind } from '../../core/index.js';
import { classifierFor, shellClassifier } from '../../classify/index.js';
import { dryRunLine } from '../../firewall/index.js';
import { decideOptionsOf, loadConfigOf } from '../context.js';
import { hookShellContext } from '../hook/hook-context.js';
import { printJson } from '../output.js';
import { loadEngineFor } from '../policy-loading.js';

/** Registers `airlock check`: the dry run over corpus-format cases on stdin. */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      'dry run: judge corpus-format cases from stdin, one JSON verdict per line; no audit, no network',
    )
    .option(
      '--policy <dir>',
      'policy folder (default: the configured one, else the shipped default)',
    )
    .action(async (flags: { policy?: string }, command: Command) => {
      const loaded = loadConfigOf(command);
      const engine = await loadEngineFor(
        flags.policy === undefined ? loaded.policyDir : resolve(flags.policy),
        flags.policy !== undefined,
      );
      // Shell cases are judged as the hooks judge them: scripts read from this machine, Airlock's paths guarded.
      const shell = shellClassifier(hookShellContext(loaded));
      const classify = (surface: SurfaceKind) =>
        surface === 'shell' ? shell : classifierFor(surface);
      const options = { engine, decide: decideOptionsOf(loaded), classify };
      const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
      for await (const line of lines) {
        if (line.trim() === '') continue;
        printJson(await dryRunLine(line, options));
      }
    });
}
