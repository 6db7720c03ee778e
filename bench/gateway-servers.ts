/**
 * The server side of `bench/gateway.bench.ts`, run as its own process pinned to CPU 0 (the load
 * generator pins itself to CPU 1). In one process, on 127.0.0.1, in a temporary home:
 *  (a) the Railway stand-in,
 *  (b) a bare pass-through proxy on the same HTTP client as the gateway (undici, one `Agent`):
 *      body bytes and content-type forwarded, the real credential injected, the answer streamed
 *      back; no parsing, no policy,
 *  (c) Airlock's gateway (firewall, default Cedar policies, SQLite store and audit),
 * plus a control port answering `GET /cpu` with this process's `process.cpuUsage()`.
 *
 * Prints one JSON line (`ServersReadyV1`) once everything listens. Shuts down and removes its
 * home on SIGTERM, SIGINT or when stdin closes (so it never outlives the load generator).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';
import { DEFAULT_APPROVAL_OPTIONS, Firewall, GrantService } from '../src/firewall/index.js';
import { cryptoRandom, randomIds, systemClock } from '../src/platform/index.js';
import { CedarPolicyEngine, loadDefaultPolicyFiles } from '../src/policy/index.js';
import { createGraphqlRoute } from '../src/adapters/graphql/index.js';
import { startGateway } from '../src/server/index.js';
import { startRailwayStandin } from '../src/standins/index.js';
import { openSqliteStore } from '../src/stores/index.js';

/** What the load generator reads from the first stdout line. */
export interface ServersReadyV1 {
  readonly v: 1;
  /** (a) the stand-in's GraphQL endpoint. */
  readonly direct: string;
  /** The credential (a) is called with; (b) and (c) inject it themselves. */
  readonly upstreamCredential: string;
  /** (b) the pass-through proxy's endpoint. */
  readonly passThrough: string;
  /** (c) the gateway's Railway endpoint. */
  readonly gateway: string;
  /** An Airlock token: upstream railway, environments *, effects read. */
  readonly agentToken: string;
  /** `GET` answers `{ user, system }` in µs, this process's `process.cpuUsage()`. */
  readonly cpu: string;
  /**
   * `GET` answers `{ p99Ms, maxMs }`, this process's event-loop delay since the last `GET`: a
   * stall there delays every server at once.
   */
  readonly loop: string;
}

const PRODUCTION = ['production'];

const home = mkdtempSync(join(tmpdir(), 'airlock-gateway-bench-'));
const store = openSqliteStore({ path: join(home, 'airlock.db'), backgroundCheckpoint: true });
const credential = `standin_${Buffer.from(cryptoRandom.bytes(18)).toString('base64url')}`;
const standin = await startRailwayStandin({
  port: 0,
  host: '127.0.0.1',
  statePath: join(home, 'railway-standin.json'),
  tokens: { account: [credential] },
  seed: true,
});

const engine = CedarPolicyEngine.create(loadDefaultPolicyFiles());
if (!engine.ok) throw new Error(`default policies invalid: ${engine.error[0]?.message}`);
const policy = engine.value;
const firewall = new Firewall({
  store,
  engine: () => policy,
  clock: systemClock,
  ids: randomIds,
  decide: { productionEnvironments: PRODUCTION, approvalsObtainable: 2 },
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
const issued = await grants.issue(
  {
    agent: 'bench-agent',
    owner: 'bench',
    upstreams: ['railway'],
    environments: ['*'],
    effects: ['read'],
    resources: ['*'],
    ttlMs: 3_600_000,
  },
  'human:bench',
);
const gateway = await startGateway({
  approvals: store,
  routes: (urls) => [
    createGraphqlRoute({
      firewall,
      upstreams: { railway: { kind: 'graphql', url: standin.url, credential } },
      productionEnvironments: PRODUCTION,
      approvalsUrl: urls.approvalsUrl,
    }),
  ],
  host: '127.0.0.1',
  port: 0,
});

// (b): the same client as the gateway's (an undici Agent with the same keep-alive), nothing else.
const passDispatcher = new Agent({ keepAliveTimeout: 10_000 });
const passThrough = await listen((req, res) => {
  passOn(req, res).catch(() => {
    if (!res.headersSent) {
      res.writeHead(502);
      res.end();
    } else res.destroy();
  });
});

async function passOn(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = { authorization: `Bearer ${credential}` };
  const contentType = req.headers['content-type'];
  if (contentType !== undefined) headers['content-type'] = contentType;
  const answer = await request(standin.url, {
    method: 'POST',
    dispatcher: passDispatcher,
    headers,
    body: Buffer.concat(chunks),
  });
  const back: Record<string, string> = {};
  const answerType = answer.headers['content-type'];
  if (typeof answerType === 'string') back['content-type'] = answerType;
  res.writeHead(answer.statusCode, back);
  await pipeline(answer.body, res);
}

const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const control = await listen((req, res) => {
  let body = '{}';
  if (req.method === 'GET' && req.url === '/cpu') body = JSON.stringify(process.cpuUsage());
  if (req.method === 'GET' && req.url === '/loop') {
    body = JSON.stringify({ p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 });
    loopDelay.reset();
  }
  res.writeHead(body === '{}' ? 404 : 200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});

const ready: ServersReadyV1 = {
  v: 1,
  direct: standin.url,
  upstreamCredential: credential,
  passThrough: `${passThrough.url}/graphql`,
  gateway: `${gateway.url}/graphql/railway`,
  agentToken: issued.token,
  cpu: `${control.url}/cpu`,
  loop: `${control.url}/loop`,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(1), 5_000);
  timer.unref();
  try {
    await Promise.allSettled([
      gateway.close(),
      passThrough.close(),
      control.close(),
      standin.close(),
    ]);
    await passDispatcher.close();
    await store.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
process.stdin.resume();

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
