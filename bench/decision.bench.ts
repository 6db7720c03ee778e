/**
 * `npm run bench`: cost of a full decision (token lookup, scope check, Cedar, audit append on a
 * SQLite file) at 5, 200 and 2,000 policies, beside one bare Cedar call on the same input
 * measured in the same run. Pinned to one CPU by the npm script (taskset), so ratios hold.
 *
 * Workload: 20 agents, each with its own token; each request is a read, a write or a
 * production delete of one of 16 volumes, cycled. "warm" is the steady state (the decision
 * cache has seen the request shape); "cold" turns the answer cache off so every decision
 * pays for Cedar on its policy slice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import type { Action, Effect } from '../src/core/index.js';
import { EFFECTS, SeededRandom, digestRequest } from '../src/core/index.js';
import type { JudgeRequest } from '../src/firewall/index.js';
import { DEFAULT_APPROVAL_OPTIONS, Firewall, GrantService } from '../src/firewall/index.js';
import { randomIds, systemClock } from '../src/platform/index.js';
import {
  CedarPolicyEngine,
  compilePolicySet,
  loadDefaultPolicyFiles,
} from '../src/policy/index.js';
import { toAuthorizationCall, toCedarRequestParts } from '../src/policy/cedar-request.js';
import { generatePolicyText } from '../src/policy/generated-policies.js';
import { openSqliteStore } from '../src/stores/index.js';

/** A request and the token it is judged for. */
type TokenRequest = JudgeRequest & { readonly token: string };

function judgeOne(firewall: Firewall, request: TokenRequest) {
  return firewall.judge(request, request.token);
}

const AGENTS = 20;
const VOLUMES = 16;
const MEASURED = Number(process.env['BENCH_REQUESTS'] ?? 4000);

interface Stats {
  readonly medianUs: number;
  readonly p99Us: number;
  readonly perSecond: number;
  readonly cpuUsPerOp: number;
}

async function measure(count: number, op: (i: number) => unknown): Promise<Stats> {
  for (let i = 0; i < Math.min(500, count); i++) await op(i);
  const samples = new Float64Array(count);
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await op(i);
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  const wallUs = Number(process.hrtime.bigint() - wallBefore) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  samples.sort();
  return {
    medianUs: samples[Math.floor(count / 2)] ?? 0,
    p99Us: samples[Math.floor(count * 0.99)] ?? 0,
    perSecond: (count / wallUs) * 1e6,
    cpuUsPerOp: (cpu.user + cpu.system) / count,
  };
}

// The generator also makes policies that error at run time (for the engine's fail-closed tests);
// a deployed set would not keep one, and each would turn every decision it reaches into a deny.
const ERRORING = ['Airlock::Agent::"agent-3".owner', '9223372036854775807'];

// Forbids that name no agent would deny most of the workload; a team's set forbids narrowly.
const isBroadForbid = (policy: string) =>
  policy.includes('forbid') && !policy.includes('principal ==');

function policyFiles(total: number) {
  const defaults = loadDefaultPolicyFiles();
  const compiledDefaults = compilePolicySet(defaults);
  const defaultCount = compiledDefaults.ok ? compiledDefaults.value.policies.length : 0;
  const extra = Math.max(0, total - defaultCount);
  const generated = generatePolicyText(extra * 2, 3, AGENTS)
    .split(';\n')
    .filter(
      (policy) =>
        policy.trim() !== '' &&
        !ERRORING.some((bad) => policy.includes(bad)) &&
        !isBroadForbid(policy),
    )
    .slice(0, extra)
    .map((policy) => `${policy};\n`);
  return extra === 0
    ? defaults
    : [...defaults, { name: 'generated.cedar', text: generated.join('\n') }];
}

function action(kind: number, volume: number): Action {
  const effect: Effect = (['read', 'write', 'destructive'] as const)[kind % 3] ?? 'read';
  const environment = effect === 'destructive' ? 'production' : 'staging';
  const operation = {
    read: 'volume',
    write: 'volumeUpdate',
    destructive: 'volumeDelete',
    unknown: '?',
  }[effect];
  const request = { operation, id: `vol_${volume}` };
  return {
    upstream: 'railway',
    surface: 'graphql',
    operation,
    effect,
    reversible: effect !== 'destructive',
    targets: [{ type: 'volume', id: `vol_${volume}`, environment, attrs: {} }],
    digest: digestRequest(request),
  };
}

async function benchPolicies(total: number): Promise<void> {
  const files = policyFiles(total);
  const compiled = compilePolicySet(files);
  if (!compiled.ok) throw new Error(`bench policies invalid: ${compiled.error[0]?.message}`);
  const home = mkdtempSync(join(tmpdir(), 'airlock-bench-'));
  const store = openSqliteStore({ path: join(home, 'airlock.db') });
  const grants = new GrantService({
    store,
    clock: systemClock,
    ids: randomIds,
    random: new SeededRandom('bench'),
    limits: { maxTtlMs: 86_400_000 },
  });
  const tokens: string[] = [];
  for (let a = 0; a < AGENTS; a++) {
    const issued = await grants.issue(
      {
        agent: `agent-${a}`,
        owner: 'bench',
        upstreams: ['railway'],
        environments: ['*'],
        effects: [...EFFECTS],
        resources: ['*'],
        ttlMs: 86_400_000,
      },
      'human:bench',
    );
    tokens.push(issued.token);
  }
  // Each request with the token it is judged for.
  const requests: TokenRequest[] = [];
  for (let i = 0; i < 240; i++) {
    const act = action(i, i % VOLUMES);
    requests.push({
      token: tokens[i % AGENTS] ?? '',
      surface: 'graphql',
      digest: act.digest,
      actions: [act],
    });
  }
  const firewallWith = (engine: CedarPolicyEngine) =>
    new Firewall({
      store,
      engine: () => engine,
      clock: systemClock,
      ids: randomIds,
      decide: { productionEnvironments: ['production'], approvalsObtainable: 2 },
      // Generated policies deny some requests; the bench measures decisions, not freezing.
      freeze: { maxDenials: Number.MAX_SAFE_INTEGER, windowMs: 1 },
      approvals: DEFAULT_APPROVAL_OPTIONS,
    });
  const warm = firewallWith(new CedarPolicyEngine(compiled.value));
  const cold = firewallWith(new CedarPolicyEngine(compiled.value, { maxCachedAnswers: 0 }));
  const verdicts = new Map<string, number>();
  for (const request of requests) {
    const { decision } = await warm.judge(request, request.token);
    verdicts.set(decision.verdict, (verdicts.get(decision.verdict) ?? 0) + 1);
  }

  const wholeSet = `bench-whole-${total}`;
  preparsePolicySet(wholeSet, {
    staticPolicies: Object.fromEntries(compiled.value.policies.map((p) => [p.id, p.text])),
  });
  const first = requests[0]?.actions[0] as Action;
  const bareCall = toAuthorizationCall(
    toCedarRequestParts({
      grantId: 'g',
      agent: 'agent-0',
      owner: 'bench',
      action: first,
      target: first.targets[0],
      production: false,
      approvals: 0,
    }),
    wholeSet,
  );

  const bare = await measure(MEASURED, () => statefulIsAuthorized(bareCall));
  const full = await measure(MEASURED, (i) =>
    judgeOne(warm, requests[i % requests.length] as TokenRequest),
  );
  const miss = await measure(Math.min(MEASURED, 1500), (i) =>
    judgeOne(cold, requests[i % requests.length] as TokenRequest),
  );
  const concurrent = await measureConcurrent(warm, requests, MEASURED);
  // The floor under every decision: one audit record of a decision's size, one SQLite commit.
  const auditData = (await store.tailAudit(1))[0]?.data ?? {};
  const append = await measure(MEASURED, () =>
    store.appendAudit({ kind: 'decision', actor: 'agent:bench', at: Date.now(), data: auditData }),
  );
  await store.close();
  rmSync(home, { recursive: true, force: true });

  const row = (name: string, s: Stats) =>
    `  ${name.padEnd(34)} median ${s.medianUs.toFixed(1).padStart(7)} µs  p99 ${s.p99Us.toFixed(1).padStart(8)} µs  ${s.perSecond.toFixed(0).padStart(6)}/s  cpu ${s.cpuUsPerOp.toFixed(1).padStart(7)} µs/op  ×bare ${(s.medianUs / bare.medianUs).toFixed(2)}`;
  console.log(
    `\n${compiled.value.policies.length} policies (verdict mix: ${[...verdicts].map(([v, n]) => `${v} ${n}`).join(', ')})`,
  );
  console.log(row('bare Cedar call, whole set', bare));
  console.log(row('full decision, warm', full));
  console.log(row('full decision, cold (no cache)', miss));
  console.log(row('audit append alone (the floor)', append));
  console.log(
    `  ${'16 in flight, warm (group commit)'.padEnd(34)} ${concurrent.perSecond.toFixed(0)}/s  cpu ${concurrent.cpuUsPerOp.toFixed(1)} µs/op`,
  );
}

async function measureConcurrent(
  firewall: Firewall,
  requests: readonly TokenRequest[],
  count: number,
) {
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await judgeOne(firewall, requests[i % requests.length] as TokenRequest);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const wallUs = Number(process.hrtime.bigint() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: (count / wallUs) * 1e6, cpuUsPerOp: (cpu.user + cpu.system) / count };
}

console.log(`airlock decision bench: ${MEASURED} requests per row, node ${process.version}`);
// The shipped default set has 6 policies: the smallest row.
for (const total of [5, 200, 2000]) await benchPolicies(total);
