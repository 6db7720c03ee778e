import type { Command } from 'commander';
import type { HookClient } from '../../adapters/hooks/index.js';
import { HOOK_CLIENTS } from '../../adapters/hooks/index.js';
import { homeOf } from '../context.js';
import { registerDoctorCommand } from '../commands/doctor/doctor-command.js';
import { answerHook } from './hook-main.js';
import { HOOK_TOKEN_ENV } from './hook-standalone.js';
import { registerInstallHooksCommand } from '../commands/install-hooks/install-hooks-command.js';

export { HOOK_TOKEN_ENV };

/**
 * Registers `airlock hook CLIENT` (the pre-tool hook each agent client calls; the same answer as
 * the fast entry `bin/airlock-hook.cjs` that install-hooks writes), and beside it the commands that
 * set hooks up: `airlock install-hooks` and `airlock doctor`.
 */
export function registerHookCommands(program: Command): void {
  const hook = program
    .command('hook')
    .description(
      `answer an agent client's pre-tool hook (JSON on stdin; token from $${HOOK_TOKEN_ENV})`,
    );
  for (const client of HOOK_CLIENTS) {
    hook
      .command(client)
      .description(
        `the ${client} hook: judge the shell command, file edit or MCP call on stdin, answer in ${client}'s format`,
      )
      .option(
        '--url <url>',
        'forward to this running `airlock serve` (default: $AIRLOCK_URL; unset: judge here)',
      )
      .option(
        '--dry-run',
        'judge without a token and record nothing (what `airlock doctor` probes with)',
      )
      .action(async (flags: { url?: string; dryRun?: boolean }, command: Command) => {
        const input = await readStdin();
        const answer = await answerHook(
          {
            client: client as HookClient,
            home: homeOf(command),
            url: flags.url,
            dryRun: flags.dryRun === true,
            problem: undefined,
          },
          input,
          process.env,
        );
        process.stdout.write(answer.stdout);
        process.stderr.write(answer.stderr);
        process.exitCode = answer.exitCode;
      });
  }
  registerInstallHooksCommand(program);
  registerDoctorCommand(program);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
