import type { Command } from 'commander';
import type { AuditRecord, Store } from '../core/index.js';
import { verifyAuditChain } from '../core/index.js';
import { withContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { printJson, printLines } from './output.js';

const VERIFY_PAGE_SIZE = 5_000;

/** Registers `airlock audit tail | verify`. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('read and verify the tamper-evident audit log');
  audit
    .command('tail')
    .description('show the latest audit records')
    .option('-n, --count <n>', 'how many records', '20')
    .option('--json', 'one JSON record per line')
    .action(async (flags: { count: string; json?: boolean }, command: Command) =>
      withContext(command, async ({ store }) => {
        const count = Number.parseInt(flags.count, 10);
        const records = await store.tailAudit(Number.isFinite(count) && count > 0 ? count : 20);
        for (const record of records) {
          if (flags.json) printJson(record);
          else printLines(formatRecord(record));
        }
      }),
    );
  audit
    .command('verify')
    .description('walk the hash chain; exit 1 naming the first bad record')
    .option('--json', 'print the result as JSON')
    .action(async (flags: { json?: boolean }, command: Command) =>
      withContext(command, async ({ store }) => {
        const result = verifyAuditChain(await readAll(store), await store.auditHead());
        if (flags.json) printJson(result);
        else if (result.ok) printLines(`audit chain intact: ${result.count} record(s)`);
        else printLines(`audit chain broken at record ${result.badSeq}: ${result.problem}`);
        if (!result.ok) process.exitCode = EXIT.failed;
      }),
    );
}

async function readAll(store: Store): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for (;;) {
    // Page from the last seq seen, not the count: with rows missing the two differ.
    const fromSeq = (records.at(-1)?.seq ?? 0) + 1;
    const page = await store.readAudit({ fromSeq, limit: VERIFY_PAGE_SIZE });
    records.push(...page);
    if (page.length < VERIFY_PAGE_SIZE) return records;
  }
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
