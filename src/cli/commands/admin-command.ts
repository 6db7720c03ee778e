import type { Command } from 'commander';
import { enrolmentLines, readNewCredential } from './approver-command.js';
import { approvalServiceOf, withContext } from '../context.js';
import { printJson, printLines } from '../output.js';

/** Registers `airlock admin bootstrap NAME`. */
export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('the administrators of this home');
  admin
    .command('bootstrap <name>')
    .description(
      'create the first administrator, once, directly in the store: run it as the service user (only it can write the home)',
    )
    .option(
      '--inbox-login',
      'also set a web inbox login credential, read from the terminal (or stdin), never argv or env',
    )
    .option('--json', 'print JSON')
    .action(
      async (name: string, flags: { inboxLogin?: boolean; json?: boolean }, command: Command) =>
        // SECURITY: no server is asked: whoever can write the home's store is its owner already,
        // and the service refuses (store.conflict) once any administrator exists.
        withContext(command, async (context) => {
          const service = approvalServiceOf(context.loaded, context.store);
          const credential = flags.inboxLogin === true ? readNewCredential(name) : undefined;
          const enrolled = await service.bootstrapAdmin(
            { name, ...(credential === undefined ? {} : { credential }) },
            context.actor,
          );
          if (flags.json) printJson(enrolled);
          else
            printLines(
              `created the first administrator ${enrolled.approver.name}: every upstream and environment`,
              ...enrolmentLines(enrolled.totp),
            );
        }),
    );
}
