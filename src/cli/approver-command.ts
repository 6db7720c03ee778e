import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { MIN_APPROVER_CREDENTIAL_LENGTH } from '../firewall/index.js';
import { APPROVER_CREDENTIAL_ENV, approvalServiceOf } from './approvals-command.js';
import { withContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { CliFailure, printJson, printLines } from './output.js';

/** Registers `airlock approver add | list | remove`. */
export function registerApproverCommands(program: Command): void {
  const approver = program.command('approver').description('manage the humans who may approve held requests');
  approver
    .command('add <name>')
    .description(`add an approver; the credential comes from $${APPROVER_CREDENTIAL_ENV} or stdin, never argv`)
    .requiredOption('--upstream <names...>', 'upstreams they may approve for (`*` for any)')
    .requiredOption('--env <names...>', 'environments they may approve for (`*` for any, needed for unknown ones)')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { upstream: string[]; env: string[]; json?: boolean }, command: Command) =>
      withContext(command, async (context) => {
        const credential = readNewCredential();
        const shown = await approvalServiceOf(context).addApprover({ name, credential, upstreams: flags.upstream, environments: flags.env }, context.actor);
        if (flags.json) printJson({ approver: shown });
        else printLines(`added approver ${shown.name}: upstreams=${shown.scope.upstreams.join(',')} envs=${shown.scope.environments.join(',')}`);
      }),
    );
  approver
    .command('list')
    .description('list approvers (never their credentials)')
    .option('--json', 'one JSON object per approver')
    .action(async (flags: { json?: boolean }, command: Command) =>
      withContext(command, async (context) => {
        const approvers = await approvalServiceOf(context).listApprovers();
        if (flags.json) for (const a of approvers) printJson(a);
        else if (approvers.length === 0) printLines('no approvers yet: `airlock approver add --help`');
        else printLines(...approvers.map((a) => `${a.name}  upstreams=${a.scope.upstreams.join(',')} envs=${a.scope.environments.join(',')}`));
      }),
    );
  approver
    .command('remove <name>')
    .description('remove an approver; their past votes stay on the record')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { json?: boolean }, command: Command) =>
      withContext(command, async (context) => {
        await approvalServiceOf(context).removeApprover(name, context.actor);
        if (flags.json) printJson({ removed: name });
        else printLines(`removed approver ${name}`);
      }),
    );
}

function readNewCredential(): string {
  const fromEnv = process.env[APPROVER_CREDENTIAL_ENV];
  const credential = fromEnv !== undefined && fromEnv !== '' ? fromEnv : readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (credential.length < MIN_APPROVER_CREDENTIAL_LENGTH) {
    throw new CliFailure(`the approver credential is too weak: use at least ${MIN_APPROVER_CREDENTIAL_LENGTH} characters`, EXIT.invalidInput);
  }
  return credential;
}
