/**
 * Where Airlock's PostgreSQL path spends its time, for one pgbench workload: a CPU profile of
 * this process (the proxy) over the measured run, read into µs per statement by part of
 * Airlock; the wall time of each step of a full judgment (classify, authenticate, the audit
 * append, the whole firewall judgment); and how long each message waits in the proxy (pipes
 * in front of and behind it time every message).
 *
 * Run: node --import tsx bench/postgres-profile.ts
 * Knobs: BENCH_PG_WORKLOAD (tpcb-simple, the default, or another of the bench's), BENCH_PG_SECONDS
 * (default 10), BENCH_PG_WARMUP_SECONDS (default 5), BENCH_PG_CLIENTS (default 8),
 * BENCH_PG_PROFILE_OUT (a file to keep the .cpuprofile in, for Chrome's DevTools),
 * BENCH_PG_TIMING_PIPES=0 (no pipes: a CPU profile without their cost, and no wait times),
 * BENCH_PG_PROFILE_TARGET=pipe (time the bare pass-through instead of Airlock: the floor of the waits),
 * BENCH_PG_BEFORE (comma-separated workloads run through the same proxy first, as the bench does).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { Socket as NetSocket } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startTestPostgres } from '../test/pg-server.js';
import { summarizeProfile, topFunctions } from './cpu-profile-summary.js';
import type { CpuProfile } from './cpu-profile-summary.js';
import { FrameTimer } from './frame-timer.js';
import { run } from './pg-pinning.js';
import { startBenchProxy, startPassThrough } from './pg-targets.js';
import { median, pgbench, WORKLOADS } from './pg-workloads.js';

const WORKLOAD = process.env['BENCH_PG_WORKLOAD'] ?? 'tpcb-simple';
const SECONDS = Number(process.env['BENCH_PG_SECONDS'] ?? 10);
const WARMUP_SECONDS = Number(process.env['BENCH_PG_WARMUP_SECONDS'] ?? 5);
const CLIENTS = Number(process.env['BENCH_PG_CLIENTS'] ?? 8);
const PROFILE_OUT = process.env['BENCH_PG_PROFILE_OUT'];
const TIMING_PIPES = process.env['BENCH_PG_TIMING_PIPES'] !== '0';
const BARE_PIPE = process.env['BENCH_PG_PROFILE_TARGET'] === 'pipe';
const BEFORE = (process.env['BENCH_PG_BEFORE'] ?? '').split(',').filter((name) => name !== '');

/** Wall-time samples (µs) of one step, by name. */
const steps = new Map<string, number[]>();

function timed<A extends unknown[], R>(
  name: string,
  call: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const started = performance.now();
    try {
      return await call(...args);
    } finally {
      const list = steps.get(name) ?? [];
      list.push((performance.now() - started) * 1000);
      steps.set(name, list);
    }
  };
}

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

function row(label: string, values: readonly number[], perStatement: number): string {
  const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  return `  ${label.padEnd(34)} ${String(values.length).padStart(8)} ${(values.length / perStatement).toFixed(2).padStart(9)} ${median(values).toFixed(0).padStart(9)} ${mean.toFixed(0).padStart(9)} ${percentile(values, 0.9).toFixed(0).padStart(9)}`;
}

/** Counts socket writes from now until `stop`: each is a syscall and, often, a wake-up of the other side. */
function countSocketWrites(): { stop(): number } {
  const prototype = NetSocket.prototype as unknown as {
    _writeGeneric: (...args: unknown[]) => unknown;
  };
  const original = prototype._writeGeneric;
  let count = 0;
  prototype._writeGeneric = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  return {
    stop: () => {
      prototype._writeGeneric = original;
      return count;
    },
  };
}

async function main(): Promise<void> {
  const workload = WORKLOADS.find((candidate) => candidate.name === WORKLOAD);
  if (workload === undefined)
    throw new Error(
      `BENCH_PG_WORKLOAD is none of ${WORKLOADS.map((candidate) => candidate.name).join(', ')}`,
    );
  await run('taskset', ['-a', '-cp', '0', String(process.pid)]);
  const server = await startTestPostgres();
  try {
    await run(
      'pgbench',
      [
        '-i',
        '-s',
        '1',
        '-q',
        '-h',
        server.host,
        '-p',
        String(server.port),
        '-U',
        server.user,
        server.database,
      ],
      { PGPASSWORD: server.password, PGSSLMODE: 'disable' },
    );
    const timer = new FrameTimer();
    const back = TIMING_PIPES ? await timer.back(server.port) : undefined;
    const upstreamPort = back === undefined ? server.port : (back.address() as AddressInfo).port;
    const bare = BARE_PIPE ? await startPassThrough(server.host, upstreamPort) : undefined;
    const proxy = await startBenchProxy(
      { ...server, port: upstreamPort },
      {
        classify: (classify) => timed('classify (parse + walk)', classify),
        inspect: ({ store, firewall }) => {
          firewall.judge = timed('firewall.judge (whole)', firewall.judge.bind(firewall));
          store.appendAudit = timed('store.appendAudit', store.appendAudit.bind(store));
          store.findGrantByTokenHash = timed(
            'store.findGrantByTokenHash',
            store.findGrantByTokenHash.bind(store),
          );
        },
      },
    );
    const measured = bare === undefined ? proxy.port : (bare.address() as AddressInfo).port;
    const front = TIMING_PIPES ? await timer.front(measured) : undefined;
    const at = {
      port: front === undefined ? measured : (front.address() as AddressInfo).port,
      password: bare === undefined ? proxy.token : server.password,
      database: server.database,
      clients: CLIENTS,
    };
    for (const name of BEFORE) {
      const earlier = WORKLOADS.find((candidate) => candidate.name === name);
      if (earlier === undefined)
        throw new Error(`BENCH_PG_BEFORE names ${name}, none of the bench's workloads`);
      await pgbench(earlier, { ...at, seconds: WARMUP_SECONDS });
    }
    await pgbench(workload, { ...at, seconds: WARMUP_SECONDS });
    steps.clear();
    timer.held.length = 0;
    timer.added.clear();

    const inspector = new Session();
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
    await inspector.post('Profiler.start');
    const writes = countSocketWrites();
    const cpuBefore = process.cpuUsage();
    const { tps, transactions } = await pgbench(workload, { ...at, seconds: SECONDS });
    const cpu = process.cpuUsage(cpuBefore);
    const { profile } = (await inspector.post('Profiler.stop')) as { profile: CpuProfile };
    inspector.disconnect();
    if (PROFILE_OUT !== undefined) writeFileSync(PROFILE_OUT, JSON.stringify(profile));

    const statements = transactions * workload.statementsPerTransaction;
    const [load1] = loadavg();
    console.log(
      `${workload.title} through ${bare === undefined ? 'Airlock' : 'the bare pipe'}, ${CLIENTS} clients, ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up)${TIMING_PIPES ? ', timing pipes around it' : ''}; load average ${load1?.toFixed(2)}`,
    );
    console.log(
      `  ${tps.toFixed(0)} tps, ${statements} statements; this process's CPU: ${((cpu.user + cpu.system) / statements).toFixed(1)} µs per statement (pipes included)`,
    );
    console.log(`  socket writes per statement: ${(writes.stop() / statements).toFixed(2)}`);

    const { parts, inclusive, totalUs } = summarizeProfile(profile, [
      'judge',
      'appendAudit',
      'classifySqlText',
      'literalKey',
      'sqlShape',
      'authenticate',
      'decideAction',
      'reused',
      'countExecution',
    ]);
    console.log(
      `\nCPU profile, self time by part, µs per statement (profiled ${(totalUs / 1e6).toFixed(1)} s):`,
    );
    for (const [part, us] of [...parts].sort((a, b) => b[1] - a[1]))
      console.log(`  ${part.padEnd(44)} ${(us / statements).toFixed(1).padStart(8)}`);
    console.log('\nCPU profile, inclusive time of functions, µs per statement:');
    for (const [name, us] of [...inclusive].sort((a, b) => b[1] - a[1]))
      console.log(`  ${name.padEnd(44)} ${(us / statements).toFixed(1).padStart(8)}`);
    console.log('\nCPU profile, top functions by self time, µs per statement:');
    for (const [name, us] of topFunctions(profile, 20))
      console.log(`  ${name.slice(0, 70).padEnd(72)} ${(us / statements).toFixed(1).padStart(8)}`);

    console.log('\nwall time of the steps of a full judgment (µs):');
    console.log(
      '  step                                  calls  per stmt    median      mean       p90',
    );
    for (const [name, values] of steps) console.log(row(name, values, statements));

    if (TIMING_PIPES)
      console.log(
        `\ntime each message waited in ${bare === undefined ? 'Airlock' : 'the bare pipe'} (front pipe to back pipe, µs):`,
      );
    console.log(
      '  message                               count  per stmt    median      mean       p90',
    );
    const byKind = new Map<string, number[]>();
    for (const held of timer.held) {
      const list = byKind.get(held.kind) ?? [];
      list.push(held.heldUs);
      byKind.set(held.kind, list);
    }
    for (const [kind, values] of [...byKind].sort()) console.log(row(kind, values, statements));
    if (TIMING_PIPES) {
      const added = [...timer.added]
        .map(([kind, count]) => `${kind} ${(count / statements).toFixed(2)}`)
        .join(', ');
      console.log(
        `messages the proxy sent that pgbench did not, per statement: ${added || 'none'}`,
      );
    }
    await proxy.close();
    for (const pipe of [front, back, bare]) pipe?.close();
  } finally {
    await server.stop();
  }
}

await main();
