import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { AuditRecord } from '../../core/index.js';
import { AUDIT_SIGNING_KEY_FILE, readAuditPublicKey } from '../../platform/index.js';
import { withAdmin } from '../admin-client.js';
import type { AuditVerifyReport } from '../audit-verify.js';
import { verifyAuditLogOf } from '../audit-verify.js';
import { homeOf, loadConfigOf } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printJson, printLines } from '../output.js';

/** Registers `airlock audit tail | verify | public-key`. */
export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('read and verify the tamper-evident audit log');
  audit
    .command('tail')
    .description('show the latest audit records')
    .option('-n, --count <n>', 'how many records', '20')
    .option('--json', 'one JSON record per line')
    .action(async (flags: { count: string; json?: boolean }, command: Command) =>
      // Through the server while it owns the home: the human reading the log cannot open its store.
      withAdmin(command, async (client) => {
        const count = Number.parseInt(flags.count, 10);
        const { records } = await client.call('auditTail', {
          count: Number.isFinite(count) && count > 0 ? Math.min(count, 10_000) : 20,
        });
        for (const record of records as AuditRecord[]) {
          if (flags.json) printJson(record);
          else printLines(formatRecord(record));
        }
      }),
    );
  audit
    .command('verify')
    .description(
      'walk the hash chain and check it against the signed checkpoints; exit 1 naming what is wrong',
    )
    .option('--json', 'print the result as JSON')
    .option(
      '--public-key <file>',
      "check checkpoint signatures with this PEM key (default: the home's signing key)",
    )
    .option(
      '--witness <file>',
      'compare with a witness copy of the checkpoints (repeatable)',
      collect,
      [],
    )
    .action(
      async (
        flags: { json?: boolean; publicKey?: string; witness: string[] },
        command: Command,
      ) => {
        const report = canRead(homeOf(command))
          ? await verifyAuditLogOf(loadConfigOf(command), {
              publicKeyFile: flags.publicKey,
              witnessFiles: flags.witness,
            })
          : await verifyThroughServer(command, flags);
        if (flags.json) printJson(report);
        else printLines(...formatVerifyReport(report));
        if (!report.ok) process.exitCode = EXIT.failed;
      },
    );
  audit
    .command('public-key')
    .description("print the public key the server's audit checkpoints are signed with")
    .option('--json', 'print key id and PEM as JSON')
    .action((flags: { json?: boolean }, command: Command) => {
      const path = join(homeOf(command), AUDIT_SIGNING_KEY_FILE);
      const key = readAuditPublicKey(path);
      if (key === undefined)
        throw new CliFailure(
          `no audit signing key at \`${path}\`: \`airlock serve\` creates it when it first starts`,
          EXIT.invalidInput,
        );
      // SECURITY: only the public half is ever printed.
      if (flags.json)
        printJson({ algorithm: 'ed25519', keyId: key.keyId, publicKey: key.publicKeyPem });
      else process.stdout.write(key.publicKeyPem);
    });
}

/** Whether this process may read the home's config: the service user and root may, its group may not. */
function canRead(home: string): boolean {
  try {
    accessSync(home, constants.R_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The check run by the server that owns the home, for a human in its group who cannot read the
 * home: the chain against the home's signed checkpoints. Witness copies and another public key
 * are files of the caller's, compared where the home is readable (as the service user or root).
 */
async function verifyThroughServer(
  command: Command,
  flags: { publicKey?: string; witness: string[] },
): Promise<AuditVerifyReport> {
  if (flags.witness.length > 0 || flags.publicKey !== undefined) {
    throw new CliFailure(
      '--witness and --public-key compare files against the home itself: run `airlock audit verify` as the service user or root',
      EXIT.invalidInput,
    );
  }
  return withAdmin(
    command,
    async (client) => (await client.call('auditVerify', {})) as unknown as AuditVerifyReport,
  );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A verify report as lines a person reads. */
export function formatVerifyReport(report: AuditVerifyReport): string[] {
  const { checkpoints } = report;
  const lines = [
    report.badSeq === undefined
      ? `audit chain intact: ${report.count} record(s)`
      : `audit chain broken at record ${report.badSeq}: ${report.problem ?? ''}`,
  ];
  if (report.storeId !== undefined) lines.push(`store id: ${report.storeId}`);
  if (checkpoints.keyId === undefined)
    lines.push('checkpoints: none (this home was never served, or its signing key is gone)');
  else {
    const at =
      checkpoints.lastAt === undefined ? '' : ` (${new Date(checkpoints.lastAt).toISOString()})`;
    const last =
      checkpoints.lastSeq === undefined
        ? 'none for this store'
        : `the last at record ${checkpoints.lastSeq}${at}`;
    lines.push(
      `checkpoints: ${checkpoints.count} signed by key ${checkpoints.keyId} in ${checkpoints.file}; ${last}`,
    );
  }
  for (const witness of report.witnesses)
    lines.push(`witness ${witness.file}: ${witness.count} signed checkpoint(s)`);
  if (checkpoints.notYetCheckpointed > 0)
    lines.push(
      `not yet checkpointed: ${checkpoints.notYetCheckpointed} record(s), appended since the last checkpoint`,
    );
  for (const note of report.notes) lines.push(`note: ${note}`);
  for (const problem of report.problems)
    lines.push(
      `problem: ${problem.message}${problem.source.startsWith('witness') ? ` (${problem.source})` : ''}`,
    );
  const count = report.problems.length + (report.badSeq === undefined ? 0 : 1);
  lines.push(report.ok ? 'audit log verified' : `audit log NOT verified: ${count} problem(s)`);
  return lines;
}

/** One audit record as a line a person reads (`audit tail` without `--json`). */
export function formatRecord(record: AuditRecord): string {
  const { data } = record;
  let summary: string;
  if (record.kind === 'decision') {
    summary = `${String(data['verdict'])} ${(data['policyIds'] as string[] | undefined)?.join(',') ?? ''} — ${(data['reasons'] as string[] | undefined)?.join('; ') ?? ''}`;
  } else if (record.kind === 'decision.reused') {
    summary = `${String(data['count'])} more on decision ${String(data['decisionId'])} (${String(data['surface'])}: ${String(data['shape'])})`;
  } else {
    summary = JSON.stringify(data);
  }
  return `#${record.seq} ${new Date(record.at).toISOString()} ${record.kind} by ${record.actor}: ${summary}`;
}
