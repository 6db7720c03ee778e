/**
 * What the PostgreSQL guard costs, for reads and for writes: pgbench transactions per second
 *  (a) direct to PostgreSQL,
 *  (b) through a bare TCP pass-through (no framing, no policy): the floor any proxy pays,
 *  (c) through Airlock's wire proxy (framing, classification, Cedar, SQLite audit, reuse),
 * for four workloads in one run: TPC-B (pgbench's built-in tpcb-like: BEGIN, three UPDATEs, a
 * SELECT, an INSERT, END) in the simple, extended and prepared protocols (`-M`), and select-only
 * (`-S`, simple). PostgreSQL (the postmaster and every process it forks), the pass-through and
 * Airlock (this process, every thread) run on CPU 0; pgbench runs on CPU 1. Within each round the
 * targets of a workload run back to back, so ratios compare runs seconds apart; medians of the
 * rounds are reported. Each workload is warmed up through Airlock first (BENCH_PG_WARMUP_SECONDS):
 * V8 tiers up the WebAssembly of the SQL parser and Cedar for several CPU-seconds, which would
 * otherwise be charged to the first measured run. Beside each rate: the CPU this process spent
 * per transaction (the proxy's cost; the pass-through runs in this process too).
 *
 * Run: node --import tsx bench/postgres.bench.ts
 * Knobs: BENCH_PG_SECONDS per run (default 5), BENCH_PG_ROUNDS (default 3), BENCH_PG_WARMUP_SECONDS
 * per workload (default 5), BENCH_PG_CLIENTS (default 8), BENCH_PG_SCALE (pgbench -i -s, default 1),
 * BENCH_PG_WORKLOADS (comma-separated subset of tpcb-simple, tpcb-extended, tpcb-prepared,
 * select-simple; default all). Quick try: BENCH_PG_SECONDS=2 BENCH_PG_ROUNDS=1 BENCH_PG_WARMUP_SECONDS=2.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { startTestPostgres } from '../test/pg-server.js';
import { pinServerTo, postmasterPid, run } from './pg-pinning.js';
import { startBenchProxy, startPassThrough } from './pg-targets.js';
import { median, pgbench, WORKLOADS } from './pg-workloads.js';
import type { Workload } from './pg-workloads.js';

const SECONDS = Number(process.env['BENCH_PG_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_PG_ROUNDS'] ?? 3);
const WARMUP_SECONDS = Number(process.env['BENCH_PG_WARMUP_SECONDS'] ?? 5);
const CLIENTS = Number(process.env['BENCH_PG_CLIENTS'] ?? 8);
const SCALE = Number(process.env['BENCH_PG_SCALE'] ?? 1);
const CHOSEN = (
  process.env['BENCH_PG_WORKLOADS'] ?? WORKLOADS.map((workload) => workload.name).join(',')
).split(',');

/** Where pgbench connects for one target. */
interface Target {
  readonly label: string;
  readonly port: number;
  readonly password: string;
}

/** One pgbench run's rate, and the CPU this process (the proxy under test) spent per transaction. */
interface Measured {
  readonly tps: number;
  readonly cpuUsPerTransaction: number;
}

/** Statements pgbench sent through Airlock (warm-ups included), to check each is on the record. */
let statementsThroughAirlock = 0;

async function measure(
  workload: Workload,
  target: Target,
  database: string,
  seconds: number,
  airlock: boolean,
): Promise<Measured> {
  const before = process.cpuUsage();
  const { tps, transactions } = await pgbench(workload, {
    port: target.port,
    password: target.password,
    database,
    seconds,
    clients: CLIENTS,
  });
  const used = process.cpuUsage(before);
  if (airlock) statementsThroughAirlock += transactions * workload.statementsPerTransaction;
  return { tps, cpuUsPerTransaction: (used.user + used.system) / Math.max(1, transactions) };
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function printWorkload(
  workload: Workload,
  targets: readonly Target[],
  runs: readonly (readonly Measured[])[],
): boolean {
  const [direct = [], bare = [], airlock = []] = runs;
  const ratioTo = (of: readonly Measured[], base: readonly Measured[]) =>
    median(of.map((run, round) => run.tps / (base[round]?.tps ?? Number.NaN)));
  console.log(`\n${workload.title}`);
  console.log(
    '  target                   median tps   of pipe   of direct   proxy CPU µs/tx   rounds (tps)',
  );
  for (const [index, target] of targets.entries()) {
    const of = runs[index] ?? [];
    const cpu = index === 0 ? '-' : median(of.map((run) => run.cpuUsPerTransaction)).toFixed(0);
    const line = [
      target.label.padEnd(24),
      median(of.map((run) => run.tps))
        .toFixed(0)
        .padStart(10),
      percent(ratioTo(of, bare)).padStart(9),
      percent(ratioTo(of, direct)).padStart(11),
      cpu.padStart(17),
      of.map((run) => run.tps.toFixed(0)).join(' '),
    ];
    console.log(`  ${line.join('   ')}`);
  }
  const met = ratioTo(airlock, bare) >= workload.targetOfPipe;
  console.log(
    `  target: Airlock >= ${percent(workload.targetOfPipe)} of the pipe: ${met ? 'met' : 'NOT met'}`,
  );
  return met;
}

async function main(): Promise<void> {
  const workloads = WORKLOADS.filter((workload) => CHOSEN.includes(workload.name));
  if (workloads.length === 0)
    throw new Error(
      `BENCH_PG_WORKLOADS names none of ${WORKLOADS.map((workload) => workload.name).join(', ')}`,
    );
  // Every thread: V8's compiler and GC threads count as the proxy's cost too. PostgreSQL is
  // started from this process, so the postmaster inherits CPU 0 before it forks anything.
  await run('taskset', ['-a', '-cp', '0', String(process.pid)]);
  const server = await startTestPostgres();
  try {
    const postmaster =
      server.dataDir === undefined
        ? undefined
        : postmasterPid(join(server.dataDir, 'postmaster.pid'));
    const env = { PGPASSWORD: server.password, PGSSLMODE: 'disable' };
    await run(
      'pgbench',
      [
        '-i',
        '-s',
        String(SCALE),
        '-q',
        '-h',
        server.host,
        '-p',
        String(server.port),
        '-U',
        server.user,
        server.database,
      ],
      env,
    );

    const proxy = await startBenchProxy(server);
    const pipe = await startPassThrough(server.host, server.port);
    const targets: Target[] = [
      { label: 'direct', port: server.port, password: server.password },
      {
        label: 'bare TCP pass-through',
        port: (pipe.address() as AddressInfo).port,
        password: server.password,
      },
      { label: 'through Airlock', port: proxy.port, password: proxy.token },
    ];
    const airlockTarget = targets[2] as Target;
    for (const workload of workloads)
      await measure(workload, airlockTarget, server.database, WARMUP_SECONDS, true);

    const runs = new Map(
      workloads.map((workload) => [workload.name, targets.map(() => [] as Measured[])]),
    );
    const offCpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const workload of workloads) {
        // Re-pin every round: anything forked since (autovacuum workers, backends) is checked too.
        if (postmaster !== undefined) offCpu.push(await pinServerTo(postmaster, 0));
        for (const [index, target] of targets.entries()) {
          runs
            .get(workload.name)
            ?.[index]?.push(await measure(workload, target, server.database, SECONDS, index === 2));
        }
      }
    }

    const [load1, load5] = loadavg();
    console.log(
      `pgbench, ${CLIENTS} clients, scale ${SCALE}; ${ROUNDS} interleaved rounds of ${SECONDS} s per target after ${WARMUP_SECONDS} s warm-ups through Airlock`,
    );
    console.log(
      `PostgreSQL, pipe and Airlock on CPU 0, pgbench on CPU 1; load average ${load1?.toFixed(2)} / ${load5?.toFixed(2)} (1 / 5 min)`,
    );
    console.log(
      postmaster === undefined
        ? 'PostgreSQL from DATABASE_URL: not pinned by this bench'
        : `PostgreSQL processes found off CPU 0 at the rounds' re-pins: ${offCpu.join(', ')}`,
    );
    let allMet = true;
    for (const workload of workloads)
      allMet = printWorkload(workload, targets, runs.get(workload.name) ?? []) && allMet;

    const record = await proxy.close();
    const covered = record.judged + record.reused >= statementsThroughAirlock;
    console.log(
      `\naudit: ${record.judged} statements judged in full + ${record.reused} counted in ${record.reuseRecords} decision.reused records, for ${statementsThroughAirlock} statements pgbench sent through Airlock: ${covered ? 'every statement is on the record' : 'NOT every statement is on the record'}`,
    );
    console.log(allMet ? 'all targets met' : 'some targets NOT met');
    pipe.close();
  } finally {
    await server.stop();
  }
}

await main();
