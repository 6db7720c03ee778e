import type { Command } from 'commander';
import { MIN_APPROVER_CREDENTIAL_LENGTH } from '../../firewall/index.js';
import { adminAuthOf, withAdmin } from '../admin-client.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printJson, printLines } from '../output.js';
import { readSecretLine } from '../read-secret.js';

const AS_ADMIN = [
  '--as <admin>',
  'the administrator making the change; their TOTP code is read from the terminal (needed when a server owns the home)',
] as const;

interface AddFlags {
  upstream: string[];
  env: string[];
  admin?: boolean;
  inboxLogin?: boolean;
  as?: string;
  json?: boolean;
}

/** Registers `airlock approver add | list | remove | set-credential`. */
export function registerApproverCommands(program: Command): void {
  const approver = program
    .command('approver')
    .description('manage the humans who may approve held requests');
  approver
    .command('add <name>')
    .description(
      'add an approver and enrol their authenticator app: the TOTP secret is shown this once',
    )
    .requiredOption('--upstream <names...>', 'upstreams they may approve for (`*` for any)')
    .requiredOption(
      '--env <names...>',
      'environments they may approve for (`*` for any, needed for unknown ones)',
    )
    .option('--admin', 'may also administer: tokens, approvers, policy reload')
    .option(
      '--inbox-login',
      'also set a web inbox login credential, read from the terminal (or the next line of stdin), never argv or env',
    )
    .option(...AS_ADMIN)
    .option('--json', 'print JSON')
    .action(async (name: string, flags: AddFlags, command: Command) =>
      withAdmin(command, async (admin) => {
        // In this order on stdin: the administrator's code, then the new approver's credential.
        const auth = adminAuthOf(admin, flags.as);
        const credential = flags.inboxLogin === true ? readNewCredential(name) : undefined;
        const added = await admin.call('addApprover', {
          auth,
          name,
          upstreams: flags.upstream,
          environments: flags.env,
          admin: flags.admin === true,
          ...(credential === undefined ? {} : { credential }),
        });
        if (flags.json) printJson({ approver: added.approver, totp: added.totp });
        else
          printLines(
            `added approver ${added.approver.name}${added.approver.admin === true ? ' (administrator)' : ''}: upstreams=${added.approver.scope.upstreams.join(',')} envs=${added.approver.scope.environments.join(',')}`,
            ...enrolmentLines(added.totp),
          );
      }),
    );
  approver
    .command('list')
    .description('list approvers (never their credentials or secrets)')
    .option('--json', 'one JSON object per approver')
    .action(async (flags: { json?: boolean }, command: Command) =>
      withAdmin(command, async (admin) => {
        const { approvers } = await admin.call('listApprovers', {});
        if (flags.json) for (const a of approvers) printJson(a);
        else if (approvers.length === 0)
          printLines(
            'no approvers yet: `airlock admin bootstrap NAME`, then `airlock approver add --help`',
          );
        else
          printLines(
            ...approvers.map(
              (a) =>
                `${a.name}${a.admin === true ? ' (admin)' : ''}  upstreams=${a.scope.upstreams.join(',')} envs=${a.scope.environments.join(',')} totp=${a.totpEnrolled === true ? 'enrolled' : 'none'}`,
            ),
          );
      }),
    );
  approver
    .command('remove <name>')
    .description('remove an approver; their past votes stay on the record')
    .option(...AS_ADMIN)
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { as?: string; json?: boolean }, command: Command) =>
      withAdmin(command, async (admin) => {
        await admin.call('removeApprover', { auth: adminAuthOf(admin, flags.as), name });
        if (flags.json) printJson({ removed: name });
        else printLines(`removed approver ${name}`);
      }),
    );
  approver
    .command('set-credential <name>')
    .description(
      "set an approver's web inbox login credential (read from the terminal); ends their inbox sessions",
    )
    .option(
      '--as <name>',
      'who makes the change: the approver themselves or an administrator; their TOTP code is read first',
    )
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { as?: string; json?: boolean }, command: Command) =>
      withAdmin(command, async (admin) => {
        const auth = adminAuthOf(admin, flags.as);
        const { approver: shown } = await admin.call('setApproverCredential', {
          auth,
          name,
          credential: readNewCredential(name),
        });
        if (flags.json) printJson({ approver: shown });
        else
          printLines(`set the inbox credential of ${name}; their earlier inbox sessions are ended`);
      }),
    );
}

/** What enrolment prints, once: the secret and URI an authenticator app takes. */
export function enrolmentLines(totp: { secret: string; uri: string }): string[] {
  return [
    "TOTP enrolment, shown this once: add it to the approver's authenticator app (on their phone, not this machine)",
    `  secret: ${totp.secret}`,
    `  uri:    ${totp.uri}`,
  ];
}

/** A new inbox login credential from the terminal (hidden) or stdin; refused when weak. */
export function readNewCredential(name: string): string {
  const credential = readSecretLine(`new inbox login credential for ${name}: `, { hidden: true });
  if (credential.length < MIN_APPROVER_CREDENTIAL_LENGTH) {
    throw new CliFailure(
      `the approver credential is too weak: use at least ${MIN_APPROVER_CREDENTIAL_LENGTH} characters`,
      EXIT.invalidInput,
    );
  }
  return credential;
}
