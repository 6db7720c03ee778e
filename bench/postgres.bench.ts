/**
 * What the PostgreSQL guard costs: `pgbench -S` (select-only) transactions per second
 *  (a) direct to PostgreSQL,
 *  (b) through a bare TCP pass-through (no framing, no policy),
 *  (c) through Airlock's wire proxy (framing, classification, Cedar, SQLite audit; a plain read
 *      shape seen within the last second reuses its recorded allow and is counted),
 * in one run, as ratios to (a). PostgreSQL, the pass-through and Airlock (this process) are
 * pinned to CPU 0 (every thread); pgbench runs on CPU 1. Targets run in interleaved rounds and
 * medians are reported. Each target gets a warm-up first
 * (BENCH_PG_WARMUP_SECONDS, default 10): V8 tiers up the WebAssembly of the SQL parser and
 * Cedar for several CPU-seconds, which would otherwise be charged to the first target run.
 * Beside each rate: the CPU this process spent per transaction (the proxy's cost).
 *
 * Run: node --import tsx bench/postgres.bench.ts
 * Knobs: BENCH_PG_SECONDS per run (default 5), BENCH_PG_ROUNDS (default 3), BENCH_PG_CLIENTS
 * (default 8), BENCH_PG_MODE
 * (pgbench -M: simple, the default, or extended / prepared).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresProxy } from '../src/adapters/postgres/index.js';
import { classifySqlText, loadSqlParser } from '../src/classify/sql/index.js';
import { EFFECTS } from '../src/core/index.js';
import { DEFAULT_APPROVAL_OPTIONS, Firewall, GrantService, authenticate } from '../src/firewall/index.js';
import { cryptoRandom, randomIds, systemClock } from '../src/platform/index.js';
import { CedarPolicyEngine, loadDefaultPolicyFiles } from '../src/policy/index.js';
import { openSqliteStore } from '../src/stores/index.js';
import { startTestPostgres } from '../test/pg-server.js';

const SECONDS = Number(process.env['BENCH_PG_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_PG_ROUNDS'] ?? 3);
const WARMUP_SECONDS = Number(process.env['BENCH_PG_WARMUP_SECONDS'] ?? 10);
const CLIENTS = Number(process.env['BENCH_PG_CLIENTS'] ?? 8);
const MODE = process.env['BENCH_PG_MODE'] ?? 'simple';

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${out.slice(-400)}`))));
  });
}

/** A TCP pipe with nothing in it: the floor any proxy pays. */
function startPassThrough(host: string, port: number): Promise<Server> {
  const server = createServer((client) => {
    client.setNoDelay(true);
    const upstream = connect({ host, port }, () => upstream.setNoDelay(true));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** One pgbench run's rate, and the CPU this process (the proxy under test) spent per transaction. */
interface Measured {
  readonly tps: number;
  readonly proxyCpuUsPerTransaction: number;
}

/** Where pgbench connects for one target. */
interface Target {
  readonly label: string;
  readonly port: number;
  readonly password: string;
}

async function measure(target: Target, database: string): Promise<Measured> {
  const before = process.cpuUsage();
  const tps = await pgbench(target.port, target.password, database, SECONDS);
  const used = process.cpuUsage(before);
  return { tps, proxyCpuUsPerTransaction: (used.user + used.system) / (tps * SECONDS) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Transactions pgbench ran per target (warm-ups included), to check Airlock's are all on the record. */
const transactionsByPort = new Map<number, number>();

async function pgbench(port: number, password: string, database: string, seconds: number): Promise<number> {
  const out = await run('taskset', ['-c', '1', 'pgbench', '-n', '-S', '-M', MODE, '-c', String(CLIENTS), '-j', '1', '-T', String(seconds), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database], { PGPASSWORD: password, PGSSLMODE: 'disable' });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1];
  if (tps === undefined) throw new Error(`pgbench printed no tps: ${out.slice(-400)}`);
  const processed = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? 0);
  transactionsByPort.set(port, (transactionsByPort.get(port) ?? 0) + processed);
  return Number(tps);
}

async function main(): Promise<void> {
  // Every thread: V8's compiler and GC threads count as the proxy's cost too.
  await run('taskset', ['-a', '-cp', '0', String(process.pid)]);
  const server = await startTestPostgres();
  try {
    if (server.dataDir !== undefined) {
      const postmaster = readFileSync(join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '';
      // Backends fork from the postmaster and inherit its CPU.
      await run('taskset', ['-a', '-cp', '0', postmaster]);
    }
    const env = { PGPASSWORD: server.password, PGSSLMODE: 'disable' };
    await run('pgbench', ['-i', '-s', '1', '-q', '-h', server.host, '-p', String(server.port), '-U', server.user, server.database], env);

    await loadSqlParser();
    const store = openSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'airlock-bench-')), 'airlock.db') });
    const compiled = CedarPolicyEngine.create(loadDefaultPolicyFiles());
    if (!compiled.ok) throw new Error('default policy does not load');
    const engine = compiled.value;
    const firewall = new Firewall({
      store,
      engine: () => engine,
      clock: systemClock,
      ids: randomIds,
      decide: { productionEnvironments: ['production', 'prod'], approvalsObtainable: 2 },
      freeze: { maxDenials: 5, windowMs: 600_000 },
      approvals: { ...DEFAULT_APPROVAL_OPTIONS, ttlMs: 3_600_000 },
    });
    const grants = new GrantService({ store, clock: systemClock, ids: randomIds, random: cryptoRandom, limits: { maxTtlMs: 86_400_000 } });
    const { token } = await grants.issue({ agent: 'bench', owner: 'alice', upstreams: ['app'], environments: ['*'], effects: [...EFFECTS], resources: ['*'], ttlMs: 3_600_000 }, 'human:alice');
    const target = { host: server.host, port: server.port, database: server.database, user: server.user, password: server.password };
    const proxy = await startPostgresProxy({
      name: 'app',
      upstream: target,
      firewall,
      classify: classifySqlText,
      authenticateToken: async (candidate) => (await authenticate(store, candidate, Date.now())).ok,
      approvalsUrl: 'http://127.0.0.1:1/approvals',
      host: '127.0.0.1',
      port: 0,
    });
    const pipe = await startPassThrough(server.host, server.port);

    const targets: Target[] = [
      { label: 'direct', port: server.port, password: server.password },
      { label: 'bare TCP pass-through', port: (pipe.address() as AddressInfo).port, password: server.password },
      { label: 'through Airlock', port: proxy.port, password: token },
    ];
    // Warm-up, not measured: V8 compiles the hot parts of the SQL parser's and Cedar's
    // WebAssembly with its optimizing tier in the first seconds, on background threads.
    for (const target of targets) await pgbench(target.port, target.password, server.database, WARMUP_SECONDS);
    // Interleaved rounds: drift on a shared host then moves every target alike, and each round's
    // ratios compare runs seconds apart.
    const runs = targets.map(() => [] as Measured[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, target] of targets.entries()) runs[index]?.push(await measure(target, server.database));
    }
    const throughAirlock = transactionsByPort.get(proxy.port) ?? 0;

    const [direct = [], bare = [], airlock = []] = runs;
    const ratio = (of: readonly Measured[]) => median(of.map((run, round) => run.tps / (direct[round]?.tps ?? Number.NaN)));
    console.log(`pgbench -S -M ${MODE}, ${CLIENTS} clients; ${ROUNDS} interleaved rounds of ${SECONDS} s per target after ${WARMUP_SECONDS} s warm-ups; servers on CPU 0, pgbench on CPU 1`);
    console.log('  target                     median tps   of direct (median of rounds)   proxy CPU µs/transaction   rounds (tps)');
    for (const [index, target] of targets.entries()) {
      const of = runs[index] ?? [];
      const cpu = index === 0 ? '-' : median(of.map((run) => run.proxyCpuUsPerTransaction)).toFixed(1);
      console.log(`  ${target.label.padEnd(26)} ${median(of.map((run) => run.tps)).toFixed(0).padStart(10)}   ${(ratio(of) * 100).toFixed(1).padStart(27)}%   ${cpu.padStart(24)}   ${of.map((run) => run.tps.toFixed(0)).join(' ')}`);
    }
    const airlockRatio = ratio(airlock);
    console.log(`  Airlock / pass-through: ${((median(airlock.map((run) => run.tps)) / median(bare.map((run) => run.tps))) * 100).toFixed(1)}%   target: Airlock >= 70% of direct (${airlockRatio >= 0.7 ? 'met' : 'NOT met'})`);
    // Closing the proxy writes the last reuse counts.
    await proxy.close();
    const records = await store.readAudit();
    const judged = records.filter((record) => record.kind === 'decision' && record.data['surface'] === 'sql').length;
    const reuses = records.filter((record) => record.kind === 'decision.reused');
    const reused = reuses.reduce((sum, record) => sum + Number(record.data['count']), 0);
    // pgbench's own setup queries (its scale check) come on top of the transactions.
    const covered = judged + reused >= throughAirlock ? 'every transaction is on the record' : 'NOT every transaction is on the record';
    console.log(`  audit: ${judged} statements judged in full + ${reused} counted in ${reuses.length} decision.reused records, for ${throughAirlock} transactions through Airlock: ${covered}`);
    pipe.close();
    await store.close();
  } finally {
    await server.stop();
  }
}

await main();
