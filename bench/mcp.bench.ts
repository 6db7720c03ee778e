/**
 * MCP tool-call latency, direct vs through Airlock, in one run. One allowed call,
 * `read_text_file` of a small file inside the allowed folder, on the real
 * `@modelcontextprotocol/server-filesystem` over stdio, sent by the SDK's Client:
 *  (a) direct: Client —stdio→ filesystem server;
 *  (b) Airlock over Streamable HTTP: Client —HTTP→ gateway `/mcp` in this process (classify,
 *      Cedar default policy, audit to SQLite) —stdio→ filesystem server;
 *  (c) Airlock over stdio: Client —stdio→ `airlock mcp` (the real CLI, SQLite store) —stdio→
 *      filesystem server.
 * One call in flight (agents call tools one at a time): BENCH_MCP_CALLS (default 1000) calls per
 * target after 100 warm-up calls; p50 / p99 and the median's ratio to (a).
 * Run pinned, so all processes share one CPU: `taskset -c 1 node --import tsx bench/mcp.bench.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StdioClientTransport,
  getDefaultEnvironment,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpProxy, createMcpHttpRoute } from '../src/adapters/mcp/index.js';
import { MCP_CATALOGS } from '../src/classify/index.js';
import { DEFAULT_APPROVAL_OPTIONS, Firewall, GrantService } from '../src/firewall/index.js';
import { cryptoRandom, randomIds, systemClock } from '../src/platform/index.js';
import { CedarPolicyEngine, loadDefaultPolicyFiles } from '../src/policy/index.js';
import { startGateway } from '../src/server/index.js';
import { openSqliteStore } from '../src/stores/index.js';

const CALLS = Number(process.env['BENCH_MCP_CALLS'] ?? 1000);
const WARMUP = 100;
const ROOT = join(import.meta.dirname, '..');
const FS_SERVER = join(
  ROOT,
  'node_modules',
  '@modelcontextprotocol',
  'server-filesystem',
  'dist',
  'index.js',
);
const BIN = join(ROOT, 'bin', 'airlock.js');

interface Stats {
  readonly label: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function measure(label: string, client: Client, name: string, path: string): Promise<Stats> {
  const once = async () => {
    const result = (await client.callTool({ name, arguments: { path } })) as {
      isError?: boolean;
      content: { text?: string }[];
    };
    if (result.isError === true || result.content[0]?.text !== 'bench\n')
      throw new Error(`${label}: unexpected answer ${JSON.stringify(result).slice(0, 200)}`);
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const samples = new Float64Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    await once();
    samples[i] = performance.now() - start;
  }
  samples.sort();
  return {
    label,
    p50Ms: samples[Math.floor(CALLS * 0.5)] ?? 0,
    p99Ms: samples[Math.floor(CALLS * 0.99)] ?? 0,
  };
}

function cli(home: string, args: string[], env: Record<string, string> = {}): string {
  const run = spawnSync(process.execPath, [BIN, '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (run.status !== 0) throw new Error(`airlock ${args[0]} failed: ${run.stderr}`);
  return run.stdout;
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'airlock-mcp-bench-'));
  const allowed = join(base, 'allowed');
  mkdirSync(allowed);
  const file = join(allowed, 'bench.txt');
  writeFileSync(file, 'bench\n');
  const closers: (() => Promise<void>)[] = [];
  try {
    const stdio = (args: string[], env: Record<string, string> = {}) =>
      new StdioClientTransport({
        command: process.execPath,
        args,
        env: { ...getDefaultEnvironment(), ...env },
        stderr: 'ignore',
      });

    // (a) direct
    const direct = new Client({ name: 'bench', version: '1' });
    await direct.connect(stdio([FS_SERVER, allowed]));
    closers.push(() => direct.close());

    // (b) Airlock in this process over Streamable HTTP
    const store = openSqliteStore({ path: join(base, 'airlock.db') });
    closers.push(async () => store.close());
    const engine = CedarPolicyEngine.create(loadDefaultPolicyFiles());
    if (!engine.ok) throw new Error('the default policy does not compile');
    const firewall = new Firewall({
      store,
      engine: () => engine.value,
      clock: systemClock,
      ids: randomIds,
      decide: { productionEnvironments: ['production'], approvalsObtainable: 2 },
      freeze: { maxDenials: 5, windowMs: 600_000 },
      approvals: DEFAULT_APPROVAL_OPTIONS,
    });
    const grants = new GrantService({
      store,
      clock: systemClock,
      ids: randomIds,
      random: cryptoRandom,
      limits: { maxTtlMs: 86_400_000 },
    });
    const { token } = await grants.issue(
      {
        agent: 'bench',
        owner: 'bench',
        upstreams: ['fs'],
        environments: ['*'],
        effects: ['read', 'write'],
        resources: ['*'],
        ttlMs: 3_600_000,
      },
      'human:bench',
    );
    const filesystem = MCP_CATALOGS['filesystem'];
    const proxy = await McpProxy.start({
      upstreams: [
        {
          name: 'fs',
          transport: {
            kind: 'stdio',
            command: process.execPath,
            args: [FS_SERVER, allowed],
            env: {},
            stderr: 'ignore',
          },
          profile: {
            ...(filesystem === undefined ? {} : { catalog: filesystem }),
            roots: [allowed],
          },
        },
      ],
      firewall,
    });
    closers.unshift(() => proxy.close());
    const gateway = await startGateway({
      routes: (urls) => [
        createMcpHttpRoute(proxy, { prefix: '/mcp', approvalsUrl: urls.approvalsUrl }),
      ],
    });
    closers.unshift(() => gateway.close());
    const viaHttp = new Client({ name: 'bench', version: '1' });
    await viaHttp.connect(
      new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    closers.unshift(() => viaHttp.close());

    // (c) the real `airlock mcp` over stdio, with its own home and SQLite store
    const home = join(base, 'home');
    mkdirSync(home);
    writeFileSync(
      join(home, 'airlock.yaml'),
      `version: 1\nupstreams:\n  fs:\n    kind: mcp\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(FS_SERVER)}, ${JSON.stringify(allowed)}]\n    catalog: filesystem\n    roots: [${JSON.stringify(allowed)}]\n`,
    );
    const issued = JSON.parse(
      cli(home, [
        'token',
        'issue',
        '--agent',
        'bench',
        '--owner',
        'bench',
        '--upstream',
        'fs',
        '--env',
        '*',
        '--effect',
        'read',
        'write',
        '--json',
      ]),
    ) as { token: string };
    const viaStdio = new Client({ name: 'bench', version: '1' });
    await viaStdio.connect(stdio([BIN, '--home', home, 'mcp'], { AIRLOCK_TOKEN: issued.token }));
    closers.unshift(() => viaStdio.close());

    const results = [
      await measure('direct (stdio)', direct, 'read_text_file', file),
      await measure('airlock http → stdio', viaHttp, 'fs__read_text_file', file),
      await measure('airlock stdio → stdio', viaStdio, 'fs__read_text_file', file),
    ];
    const baseline = results[0]?.p50Ms ?? 1;
    console.log(
      `MCP tool call read_text_file, ${CALLS} calls each, one in flight (pinned: ${process.env['BENCH_PINNED'] ?? 'see command'})`,
    );
    console.log(
      `  ${'target'.padEnd(24)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  ×direct (p50)`,
    );
    for (const r of results)
      console.log(
        `  ${r.label.padEnd(24)} ${r.p50Ms.toFixed(3).padStart(8)} ${r.p99Ms.toFixed(3).padStart(8)}  ${(r.p50Ms / baseline).toFixed(2)}`,
      );
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
  }
}

await main();
