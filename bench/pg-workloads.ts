/** The pgbench workloads of the PostgreSQL bench, and running one of them. */
import { run } from './pg-pinning.js';

/** One pgbench workload. */
export interface Workload {
  readonly name: string;
  readonly title: string;
  /** pgbench's arguments choosing the script and the protocol. */
  readonly args: readonly string[];
  /** SQL statements one transaction sends (to check the audit record covers them). */
  readonly statementsPerTransaction: number;
  /** The least share of the bare pipe's rate Airlock must reach (issue 16). */
  readonly targetOfPipe: number;
}

// TPC-B: BEGIN; UPDATE accounts; SELECT abalance; UPDATE tellers; UPDATE branches; INSERT history; END.
const TPCB_STATEMENTS = 7;

/** Every workload the bench knows, in the order it runs them. */
export const WORKLOADS: readonly Workload[] = [
  {
    name: 'tpcb-simple',
    title: 'TPC-B (tpcb-like), -M simple',
    args: ['-M', 'simple'],
    statementsPerTransaction: TPCB_STATEMENTS,
    targetOfPipe: 0.85,
  },
  {
    name: 'tpcb-extended',
    title: 'TPC-B (tpcb-like), -M extended',
    args: ['-M', 'extended'],
    statementsPerTransaction: TPCB_STATEMENTS,
    targetOfPipe: 0.85,
  },
  {
    name: 'tpcb-prepared',
    title: 'TPC-B (tpcb-like), -M prepared',
    args: ['-M', 'prepared'],
    statementsPerTransaction: TPCB_STATEMENTS,
    targetOfPipe: 0.85,
  },
  {
    name: 'select-simple',
    title: 'select-only (-S), -M simple',
    args: ['-S', '-M', 'simple'],
    statementsPerTransaction: 1,
    targetOfPipe: 0.95,
  },
];

/** Where and how long pgbench runs. */
export interface PgbenchRun {
  readonly port: number;
  readonly password: string;
  readonly database: string;
  readonly seconds: number;
  readonly clients: number;
}

/** Runs pgbench on CPU 1; its rate without connection time, and the transactions it completed. */
export async function pgbench(
  workload: Workload,
  at: PgbenchRun,
): Promise<{ tps: number; transactions: number }> {
  const args = [
    '-c',
    '1',
    'pgbench',
    '-n',
    ...workload.args,
    '-c',
    String(at.clients),
    '-j',
    '1',
    '-T',
    String(at.seconds),
    '-h',
    '127.0.0.1',
    '-p',
    String(at.port),
    '-U',
    'postgres',
    at.database,
  ];
  const out = await run('taskset', args, { PGPASSWORD: at.password, PGSSLMODE: 'disable' });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1];
  if (tps === undefined) throw new Error(`pgbench printed no tps: ${out.slice(-400)}`);
  const transactions = Number(
    /number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? 0,
  );
  return { tps: Number(tps), transactions };
}

/** The median of some numbers (NaN for none). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
