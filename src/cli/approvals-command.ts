import type { Command } from 'commander';
import type { ApprovalState } from '../core/index.js';
import { ApprovalService } from '../firewall/index.js';
import { cryptoRandom, systemClock } from '../platform/index.js';
import { approvalDetail, approvalLine, toShownApproval } from './approval-view.js';
import type { CliContext } from './context.js';
import { withContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { CliFailure, printJson, printLines } from './output.js';

/** The variable an approver's credential is read from; never a command-line argument. */
export const APPROVER_CREDENTIAL_ENV = 'AIRLOCK_APPROVER_CREDENTIAL';

const STATES: readonly ApprovalState[] = ['pending', 'approved', 'denied', 'expired', 'cancelled', 'executed'];

/** The approval service wired on a CLI context. */
export function approvalServiceOf(context: CliContext): ApprovalService {
  const { approvals, environments } = context.loaded.config;
  return new ApprovalService({
    store: context.store,
    clock: systemClock,
    random: cryptoRandom,
    rules: { denyEndsIt: approvals.denyEndsIt, ownerMayApprove: approvals.ownerMayApprove },
    productionEnvironments: environments.production,
  });
}

/** Registers `airlock approvals list | show | approve | deny | cancel`. */
export function registerApprovalCommands(program: Command): void {
  const approvals = program.command('approvals').description('review and decide held requests');
  approvals
    .command('list')
    .description('list approvals, oldest first')
    .option('--state <state>', `only this state: ${STATES.join(', ')}`)
    .option('--json', 'one JSON object per approval')
    .action(async (flags: { state?: string; json?: boolean }, command: Command) =>
      withContext(command, async (context) => {
        const list = await approvalServiceOf(context).list(flags.state === undefined ? {} : { state: parseState(flags.state) });
        const production = context.loaded.config.environments.production;
        if (flags.json) for (const a of list) printJson(toShownApproval(a, production));
        else printLines(...(list.length === 0 ? ['no approvals'] : list.map(approvalLine)));
      }),
    );
  approvals
    .command('show <id>')
    .description('show exactly what an approval would let run, who asked, and what held it')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) =>
      withContext(command, async (context) => {
        const approval = await approvalServiceOf(context).get(id);
        const production = context.loaded.config.environments.production;
        if (flags.json) printJson(toShownApproval(approval, production));
        else printLines(...approvalDetail(approval, production));
      }),
    );
  approvals
    .command('approve <id>')
    .description(`approve as an approver; the credential comes from $${APPROVER_CREDENTIAL_ENV}`)
    .requiredOption('--as <name>', 'your approver name')
    .option('--confirm <target-ids...>', 'type the target ids of an irreversible production action')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { as: string; confirm?: string[]; json?: boolean }, command: Command) =>
      withContext(command, async (context) => {
        const service = approvalServiceOf(context);
        const approval = await service.approve(id, flags.as, readApproverCredential(), { confirm: flags.confirm ?? [] });
        report(approval, context, flags.json === true, `approved ${id} as ${flags.as}`);
      }),
    );
  approvals
    .command('deny <id>')
    .description(`deny as an approver; the credential comes from $${APPROVER_CREDENTIAL_ENV}`)
    .requiredOption('--as <name>', 'your approver name')
    .option('--reason <text>', 'why, shown to the agent and kept on the record')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { as: string; reason?: string; json?: boolean }, command: Command) =>
      withContext(command, async (context) => {
        const approval = await approvalServiceOf(context).deny(id, flags.as, flags.reason, readApproverCredential());
        report(approval, context, flags.json === true, `denied ${id} as ${flags.as}`);
      }),
    );
  approvals
    .command('cancel <id>')
    .description(`cancel as an approver (also within a delayed action's undo window); the credential comes from $${APPROVER_CREDENTIAL_ENV}`)
    .requiredOption('--as <name>', 'your approver name')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { as: string; json?: boolean }, command: Command) =>
      withContext(command, async (context) => {
        const approval = await approvalServiceOf(context).cancelAsApprover(id, flags.as, readApproverCredential());
        report(approval, context, flags.json === true, `cancelled ${id} as ${flags.as}`);
      }),
    );
}

/** The approver credential from the environment; refused when absent. */
export function readApproverCredential(): string {
  const credential = process.env[APPROVER_CREDENTIAL_ENV];
  if (credential === undefined || credential === '') {
    throw new CliFailure(`put your approver credential in $${APPROVER_CREDENTIAL_ENV}; it is never taken as an argument`, EXIT.invalidInput);
  }
  return credential;
}

function report(approval: Parameters<typeof toShownApproval>[0], context: CliContext, json: boolean, done: string): void {
  const shown = toShownApproval(approval, context.loaded.config.environments.production);
  if (json) printJson(shown);
  else printLines(`${done}: now ${shown.state}, ${shown.approvalsSoFar} of ${shown.needed} approvals`);
}

function parseState(text: string): ApprovalState {
  if (!(STATES as readonly string[]).includes(text)) {
    throw new CliFailure(`unknown state \`${text}\`: use ${STATES.join(', ')}`, EXIT.invalidInput);
  }
  return text as ApprovalState;
}
