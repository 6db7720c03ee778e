/**
 * `npm run bench` (second half): what the gateway costs on the wire. One allowed GraphQL read,
 * `query { project(id: "prj_acme_rentals") { id name } }`, sent
 *  (a) direct to the Railway stand-in,
 *  (b) through a bare pass-through proxy on the same HTTP client (undici), no parsing or policy,
 *  (c) through Airlock's gateway (classify, judge with Cedar, audit to SQLite, forward, scrub),
 * all three in one run. The servers live in a child process pinned to CPU 0
 * (bench/gateway-servers.ts); this load generator is pinned to CPU 1 by the npm script.
 *
 * 1. Saturation: closed loop, 16 in flight, BENCH_REQUESTS (default 3000) per target after a
 *    300-request warm-up: throughput, p50/p99, and the server process's CPU µs per request.
 * 2. Half of (b)'s saturation rate: open loop at that fixed rate for BENCH_OPEN_REQUESTS
 *    (default 2000) requests; latency counts from each request's scheduled send time, so a
 *    stall is not hidden by the requests it delays (no coordinated omission). The servers' own
 *    event-loop delay over the run is printed beside it, to tell a stall in the servers' process
 *    from one elsewhere on the machine.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';
import type { ServersReadyV1 } from './gateway-servers.js';

const MEASURED = positiveInt('BENCH_REQUESTS', 3000);
const OPEN_MEASURED = positiveInt('BENCH_OPEN_REQUESTS', 2000);
const WARMUP = 300;
const IN_FLIGHT = 16;
const SERVERS_READY_TIMEOUT_MS = 30_000;
const PHASE_TIMEOUT_MS = 120_000;
const REQUEST_TIMEOUT_MS = 10_000;
// Past this many open-loop requests outstanding the target is not keeping up; stop, say so.
const OPEN_MAX_OUTSTANDING = 2_000;

const QUERY = JSON.stringify({ query: 'query { project(id: "prj_acme_rentals") { id name } }' });
const EXPECTED = '"prj_acme_rentals"';

interface Target {
  readonly label: string;
  readonly pool: Pool;
  readonly path: string;
  readonly headers: Record<string, string>;
}

interface Saturation {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly serverCpuUsPerRequest: number;
  /** Server CPU time over wall time: near 1 means the server's core was the limit. */
  readonly serverBusy: number;
  readonly clientBusy: number;
}

interface OpenLoop {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly achievedPerSecond: number;
  readonly maxOutstanding: number;
  readonly serverCpuUsPerRequest: number;
  /** The servers' event-loop delay during the run: a stall there shows in every latency. */
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

function createTarget(label: string, endpoint: string, headers: Record<string, string>): Target {
  const url = new URL(endpoint);
  const pool = new Pool(url.origin, {
    connections: IN_FLIGHT,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  return {
    label,
    pool,
    path: url.pathname,
    headers: { 'content-type': 'application/json', ...headers },
  };
}

async function send(target: Target): Promise<void> {
  const answer = await target.pool.request({
    method: 'POST',
    path: target.path,
    headers: target.headers,
    body: QUERY,
  });
  const text = await answer.body.text();
  if (answer.statusCode !== 200 || !text.includes(EXPECTED) || text.includes('"errors"')) {
    throw new Error(
      `${target.label}: unexpected answer ${answer.statusCode}: ${text.slice(0, 300)}`,
    );
  }
}

async function serverLoopDelay(loopUrl: string): Promise<{ p99Ms: number; maxMs: number }> {
  const answer = await request(loopUrl, {
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  return (await answer.body.json()) as { p99Ms: number; maxMs: number };
}

async function serverCpuUs(cpuUrl: string): Promise<number> {
  const answer = await request(cpuUrl, {
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  const usage = (await answer.body.json()) as { user: number; system: number };
  return usage.user + usage.system;
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
}

function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${PHASE_TIMEOUT_MS} ms`)),
      PHASE_TIMEOUT_MS,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

async function closedLoop(target: Target, count: number): Promise<Float64Array> {
  const samples = new Float64Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const start = process.hrtime.bigint();
      await send(target);
      samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
    }
  };
  await withDeadline(
    Promise.all(Array.from({ length: IN_FLIGHT }, worker)),
    `${target.label} closed loop`,
  );
  return samples;
}

async function saturate(target: Target, cpuUrl: string): Promise<Saturation> {
  await closedLoop(target, WARMUP);
  const serverBefore = await serverCpuUs(cpuUrl);
  const clientBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  const samples = await closedLoop(target, MEASURED);
  const wallUs = Number(process.hrtime.bigint() - wallBefore) / 1000;
  const client = process.cpuUsage(clientBefore);
  const serverUs = (await serverCpuUs(cpuUrl)) - serverBefore;
  samples.sort();
  return {
    perSecond: (MEASURED / wallUs) * 1e6,
    p50Ms: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
    serverCpuUsPerRequest: serverUs / MEASURED,
    serverBusy: serverUs / wallUs,
    clientBusy: (client.user + client.system) / wallUs,
  };
}

/** Sends `count` requests at `rate` per second regardless of answers; latency from the scheduled time. */
async function openLoop(
  target: Target,
  rate: number,
  count: number,
  cpuUrl: string,
  loopUrl: string,
): Promise<OpenLoop> {
  await closedLoop(target, WARMUP);
  const serverBefore = await serverCpuUs(cpuUrl);
  await serverLoopDelay(loopUrl);
  const samples = new Float64Array(count);
  const intervalNs = 1e9 / rate;
  let sent = 0;
  let done = 0;
  let outstanding = 0;
  let maxOutstanding = 0;
  const start = Number(process.hrtime.bigint()) + 1e6;
  let finishedAt = start;
  const run = new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown): void => {
      failed = true;
      reject(error);
    };
    const tick = (): void => {
      if (failed) return;
      const now = Number(process.hrtime.bigint());
      while (sent < count && start + sent * intervalNs <= now) {
        const i = sent++;
        const scheduled = start + i * intervalNs;
        outstanding++;
        maxOutstanding = Math.max(maxOutstanding, outstanding);
        send(target).then(() => {
          const end = Number(process.hrtime.bigint());
          samples[i] = (end - scheduled) / 1e6;
          outstanding--;
          if (++done === count) {
            finishedAt = end;
            resolve();
          }
        }, fail);
      }
      if (outstanding > OPEN_MAX_OUTSTANDING)
        return fail(
          new Error(
            `${target.label}: more than ${OPEN_MAX_OUTSTANDING} requests outstanding at ${rate.toFixed(0)}/s`,
          ),
        );
      // setImmediate, not a timer: sub-millisecond send times; I/O is polled between ticks.
      if (sent < count) setImmediate(tick);
    };
    tick();
  });
  await withDeadline(run, `${target.label} open loop`);
  const serverUs = (await serverCpuUs(cpuUrl)) - serverBefore;
  const loop = await serverLoopDelay(loopUrl);
  samples.sort();
  return {
    p50Ms: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
    achievedPerSecond: (count / (finishedAt - start)) * 1e9,
    maxOutstanding,
    serverCpuUsPerRequest: serverUs / count,
    loopP99Ms: loop.p99Ms,
    loopMaxMs: loop.maxMs,
  };
}

async function startServers(): Promise<{ child: ChildProcess; ready: ServersReadyV1 }> {
  const script = fileURLToPath(new URL('./gateway-servers.ts', import.meta.url));
  const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = await new Promise<ServersReadyV1>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('servers did not start in time')),
      SERVERS_READY_TIMEOUT_MS,
    );
    child.once('exit', (code) => reject(new Error(`servers exited early (code ${code})`)));
    child.once('error', reject);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as ServersReadyV1);
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { child, ready };
}

async function stopServers(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function cpusAllowed(pid: number | 'self'): string {
  try {
    return (
      /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?'
    );
  } catch {
    return '?';
  }
}

const ms = (value: number) => value.toFixed(3).padStart(7);
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

const { child, ready } = await startServers();
const targets = [
  createTarget('(a) direct', ready.direct, { authorization: `Bearer ${ready.upstreamCredential}` }),
  createTarget('(b) pass-through', ready.passThrough, {
    authorization: `Bearer ${ready.agentToken}`,
  }),
  createTarget('(c) airlock', ready.gateway, { authorization: `Bearer ${ready.agentToken}` }),
] as const;
const [direct, passThrough, airlock] = targets;
try {
  console.log(
    `\nairlock gateway bench: node ${process.version}, servers on CPU ${cpusAllowed(child.pid ?? 0)}, load generator on CPU ${cpusAllowed('self')}, load average ${loadavg()[0]?.toFixed(2)} (other work on the machine skews every row)`,
  );
  console.log(`query: ${QUERY}`);
  console.log(
    `\n1) saturation: closed loop, ${IN_FLIGHT} in flight, ${MEASURED} requests per target after ${WARMUP} warm-up`,
  );
  console.log(
    `  ${'target'.padEnd(18)} ${'req/s'.padStart(7)}  ${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'server cpu µs/req'.padStart(17)}  server busy  client busy`,
  );
  const saturation = new Map<Target, Saturation>();
  for (const target of targets) {
    const s = await saturate(target, ready.cpu);
    saturation.set(target, s);
    console.log(
      `  ${target.label.padEnd(18)} ${s.perSecond.toFixed(0).padStart(7)}  ${ms(s.p50Ms)}  ${ms(s.p99Ms)}  ${s.serverCpuUsPerRequest.toFixed(1).padStart(17)}  ${pct(s.serverBusy).padStart(11)}  ${pct(s.clientBusy).padStart(11)}`,
    );
  }
  const a = saturation.get(direct) as Saturation;
  const b = saturation.get(passThrough) as Saturation;
  const c = saturation.get(airlock) as Saturation;
  console.log(
    `  throughput ratios: (b)/(a) ${(b.perSecond / a.perSecond).toFixed(3)}   (c)/(b) ${(c.perSecond / b.perSecond).toFixed(3)}   (c)/(a) ${(c.perSecond / a.perSecond).toFixed(3)}`,
  );
  console.log(
    `  server cpu added per request: (b)-(a) ${(b.serverCpuUsPerRequest - a.serverCpuUsPerRequest).toFixed(1)} µs   (c)-(a) ${(c.serverCpuUsPerRequest - a.serverCpuUsPerRequest).toFixed(1)} µs   (c)-(b) ${(c.serverCpuUsPerRequest - b.serverCpuUsPerRequest).toFixed(1)} µs`,
  );

  const rate = b.perSecond / 2;
  console.log(
    `\n2) open loop at half of (b)'s saturation: ${rate.toFixed(0)} req/s, ${OPEN_MEASURED} requests per target (latency from scheduled send)`,
  );
  console.log(
    `  ${'target'.padEnd(18)} ${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'achieved/s'.padStart(10)}  max outstanding  server cpu µs/req  server loop delay p99/max ms`,
  );
  const open = new Map<Target, OpenLoop>();
  for (const target of targets) {
    const o = await openLoop(target, rate, OPEN_MEASURED, ready.cpu, ready.loop);
    open.set(target, o);
    console.log(
      `  ${target.label.padEnd(18)} ${ms(o.p50Ms)}  ${ms(o.p99Ms)}  ${o.achievedPerSecond.toFixed(0).padStart(10)}  ${String(o.maxOutstanding).padStart(15)}  ${o.serverCpuUsPerRequest.toFixed(1).padStart(17)}  ${`${o.loopP99Ms.toFixed(1)}/${o.loopMaxMs.toFixed(1)}`.padStart(27)}`,
    );
  }
  const ob = open.get(passThrough) as OpenLoop;
  const oc = open.get(airlock) as OpenLoop;
  const p99AddedMs = oc.p99Ms - ob.p99Ms;
  console.log(
    `  added over (b) by (c): p50 ${(oc.p50Ms - ob.p50Ms).toFixed(3)} ms   p99 ${p99AddedMs.toFixed(3)} ms`,
  );

  const throughputShare = c.perSecond / b.perSecond;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  console.log('\ntargets (issue 4):');
  console.log(
    `  (c) ≥ 80% of (b)'s throughput: measured ${pct(throughputShare)} (${c.perSecond.toFixed(0)}/s vs ${b.perSecond.toFixed(0)}/s): ${verdict(throughputShare >= 0.8)}`,
  );
  console.log(
    `  p99 added over (b) ≤ 1 ms at half of (b)'s saturation: measured ${p99AddedMs >= 0 ? '+' : ''}${p99AddedMs.toFixed(3)} ms (${oc.p99Ms.toFixed(3)} vs ${ob.p99Ms.toFixed(3)} ms at ${rate.toFixed(0)}/s): ${verdict(p99AddedMs <= 1)}`,
  );
} finally {
  await Promise.allSettled(targets.map((target) => target.pool.close()));
  await stopServers(child);
}
