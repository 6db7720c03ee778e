import type { Command } from 'commander';
import type { Approval, ApprovalState } from '../../core/index.js';
import { approvalDetail, approvalLine, toShownApproval } from './approval-view.js';
import { voterAuthOf, withAdmin } from '../admin-client.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printJson, printLines } from '../output.js';

const STATES: readonly ApprovalState[] = [
  'pending',
  'approved',
  'denied',
  'expired',
  'cancelled',
  'executed',
];

/** How every vote reads the approver's code: from the terminal or stdin, never argv or env. */
const CODE_NOTE = 'your TOTP code is read from the terminal (or stdin), never from an argument';

/** Registers `airlock approvals list | show | approve | deny | cancel`. */
export function registerApprovalCommands(program: Command): void {
  const approvals = program.command('approvals').description('review and decide held requests');
  approvals
    .command('list')
    .description('list approvals, oldest first')
    .option('--state <state>', `only this state: ${STATES.join(', ')}`)
    .option('--json', 'one JSON object per approval')
    .action(async (flags: { state?: string; json?: boolean }, command: Command) =>
      withAdmin(command, async (admin) => {
        const answer = await admin.call(
          'listApprovals',
          flags.state === undefined ? {} : { state: parseState(flags.state) },
        );
        const list = answer.approvals as Approval[];
        if (flags.json)
          for (const a of list) printJson(toShownApproval(a, answer.productionEnvironments));
        else
          printLines(
            ...(list.length === 0
              ? ['no approvals']
              : list.map((a) => approvalLine(a, answer.productionEnvironments))),
          );
      }),
    );
  approvals
    .command('show <id>')
    .description('show exactly what an approval would let run, who asked, and what held it')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) =>
      withAdmin(command, async (admin) => {
        const answer = await admin.call('showApproval', { id });
        const approval = answer.approval as Approval;
        if (flags.json) printJson(toShownApproval(approval, answer.productionEnvironments));
        else printLines(...approvalDetail(approval, answer.productionEnvironments));
      }),
    );
  approvals
    .command('approve <id>')
    .description(`approve as an approver; ${CODE_NOTE}`)
    .requiredOption('--as <name>', 'your approver name')
    .option('--confirm <target-ids...>', 'type the target ids of an irreversible production action')
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        flags: { as: string; confirm?: string[]; json?: boolean },
        command: Command,
      ) =>
        withAdmin(command, async (admin) => {
          const answer = await admin.call('approve', {
            auth: voterAuthOf(flags.as),
            id,
            confirm: flags.confirm ?? [],
          });
          report(answer, flags.json === true, `approved ${id} as ${flags.as}`);
        }),
    );
  approvals
    .command('deny <id>')
    .description(`deny as an approver; ${CODE_NOTE}`)
    .requiredOption('--as <name>', 'your approver name')
    .option('--reason <text>', 'why, kept on the record')
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        flags: { as: string; reason?: string; json?: boolean },
        command: Command,
      ) =>
        withAdmin(command, async (admin) => {
          const answer = await admin.call('deny', {
            auth: voterAuthOf(flags.as),
            id,
            ...(flags.reason === undefined ? {} : { reason: flags.reason }),
          });
          report(answer, flags.json === true, `denied ${id} as ${flags.as}`);
        }),
    );
  approvals
    .command('cancel <id>')
    .description(`cancel as an approver (also within a delayed action's undo window); ${CODE_NOTE}`)
    .requiredOption('--as <name>', 'your approver name')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { as: string; json?: boolean }, command: Command) =>
      withAdmin(command, async (admin) => {
        const answer = await admin.call('cancel', { auth: voterAuthOf(flags.as), id });
        report(answer, flags.json === true, `cancelled ${id} as ${flags.as}`);
      }),
    );
}

function report(
  answer: { approval: unknown; productionEnvironments: string[] },
  json: boolean,
  done: string,
): void {
  const shown = toShownApproval(answer.approval as Approval, answer.productionEnvironments);
  if (json) printJson(shown);
  else
    printLines(`${done}: now ${shown.state}, ${shown.approvalsSoFar} of ${shown.needed} approvals`);
}

function parseState(text: string): ApprovalState {
  if (!(STATES as readonly string[]).includes(text)) {
    throw new CliFailure(`unknown state \`${text}\`: use ${STATES.join(', ')}`, EXIT.invalidInput);
  }
  return text as ApprovalState;
}
