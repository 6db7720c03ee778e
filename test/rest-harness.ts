import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import type { RestUpstream } from '../src/adapters/http/index.js';
import { createRestProxy } from '../src/adapters/http/index.js';
import type { Effect } from '../src/core/index.js';
import { ApprovalService, DEFAULT_APPROVAL_OPTIONS, GrantService } from '../src/firewall/index.js';
import { TestAuthenticator } from '../src/firewall/test-harness.js';
import { cryptoRandom, randomIds, systemClock } from '../src/platform/index.js';
import { startGateway } from '../src/server/index.js';
import { openSqliteStore } from '../src/stores/index.js';
import { defaultPolicyFirewall } from './default-firewall.js';

/** What reached a recording upstream. */
export interface Arrival {
  readonly method: string;
  /** The raw request target, as it arrived. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * A local HTTP server that records every request and answers with `reply` (by default a JSON
 * echo of the Authorization header it got, to prove reflected credentials are scrubbed).
 */
export async function startRecordingUpstream() {
  const arrivals: Arrival[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      arrivals.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const echo = JSON.stringify({ ok: true, youSent: req.headers.authorization ?? null });
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-echo-auth': String(req.headers.authorization ?? ''),
      });
      res.end(echo);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A gateway with REST upstreams mounted at `/http/NAME`, the shipped Cedar policy and SQLite. */
export async function startRestGateway(upstreams: Readonly<Record<string, RestUpstream>>) {
  const home = mkdtempSync(join(tmpdir(), 'airlock-rest-'));
  const store = openSqliteStore({ path: join(home, 'airlock.db') });
  const firewall = defaultPolicyFirewall(store, ['production']);
  const grants = new GrantService({
    store,
    clock: systemClock,
    ids: randomIds,
    random: cryptoRandom,
    limits: { maxTtlMs: 86_400_000 },
  });
  const approvals = new ApprovalService({
    store,
    clock: systemClock,
    random: cryptoRandom,
    rules: DEFAULT_APPROVAL_OPTIONS,
    productionEnvironments: ['production'],
  });
  const phones = new TestAuthenticator({ service: approvals, store, clock: systemClock });
  await phones.enrol({ name: 'bob', upstreams: ['*'], environments: ['*'] });
  const dispatcher = new Agent();
  const gateway = await startGateway({
    approvals: store,
    routes: (urls) =>
      Object.entries(upstreams).map(([name, upstream]) => {
        const proxy = createRestProxy({
          name,
          upstream,
          firewall,
          dispatcher,
          approvalsUrl: urls.approvalsUrl,
        });
        return { prefix: `/http/${name}`, handle: (req, res) => proxy(req, res) };
      }),
  });
  return {
    url: gateway.url,
    store,
    token: async (upstream: string, environments: string[], effects: Effect[]) =>
      (
        await grants.issue(
          {
            agent: 'agent',
            owner: 'alice',
            upstreams: [upstream],
            environments,
            effects,
            resources: ['*'],
            ttlMs: 3_600_000,
          },
          'human:alice',
        )
      ).token,
    approve: async (id: string) => approvals.approve(id, 'bob', await phones.factor('bob')),
    close: async () => {
      await gateway.close();
      await dispatcher.close();
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A fresh secret that looks like a real platform credential. */
export function plantedRestSecret(prefix: string): string {
  return `${prefix}${randomBytes(20).toString('hex')}`;
}
