import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { TargetResolver } from '../src/adapters/graphql/index.js';
import type { Effect } from '../src/core/index.js';
import { ApprovalService, DEFAULT_APPROVAL_OPTIONS, GrantService } from '../src/firewall/index.js';
import { TestAuthenticator } from '../src/firewall/test-harness.js';
import { cryptoRandom, randomIds, systemClock } from '../src/platform/index.js';
import type { GatewayOptions } from '../src/server/index.js';
import { createGraphqlRoute } from '../src/adapters/graphql/index.js';
import { startGateway } from '../src/server/index.js';
import { startRailwayStandin } from '../src/standins/index.js';
import type { RailwayStandin } from '../src/standins/index.js';
import type { SqliteStore } from '../src/stores/index.js';
import { openSqliteStore } from '../src/stores/index.js';
import { defaultPolicyFirewall } from './default-firewall.js';

/** What an agent got back from the gateway. */
export interface GatewayReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly json: unknown;
}

const PRODUCTION = ['production'];

/**
 * A gateway over real HTTP in front of an upstream (a Railway stand-in by default), with a SQLite
 * store in a temporary folder and the shipped Cedar default policy. `secret` is Airlock's own
 * credential for the upstream: the planted secret the tests grep for.
 */
export async function startTestGateway(options: {
  readonly upstreamUrl: string;
  readonly secret: string;
  readonly resolver?: TargetResolver;
}) {
  const home = mkdtempSync(join(tmpdir(), 'airlock-gateway-'));
  const store: SqliteStore = openSqliteStore({ path: join(home, 'airlock.db') });
  const firewall = defaultPolicyFirewall(store, PRODUCTION);
  const grants = new GrantService({
    store,
    clock: systemClock,
    ids: randomIds,
    random: cryptoRandom,
    limits: { maxTtlMs: 86_400_000 },
  });
  const approvalService = new ApprovalService({
    store,
    clock: systemClock,
    random: cryptoRandom,
    rules: DEFAULT_APPROVAL_OPTIONS,
    productionEnvironments: PRODUCTION,
  });
  const phones = new TestAuthenticator({ service: approvalService, store, clock: systemClock });
  await phones.enrol({ name: 'bob', upstreams: ['*'], environments: ['*'] });
  const upstreams = {
    railway: { kind: 'graphql', url: options.upstreamUrl, credential: options.secret },
  } as const;
  const gatewayOptions: GatewayOptions = {
    approvals: store,
    routes: (urls) => [
      createGraphqlRoute({
        firewall,
        upstreams,
        productionEnvironments: PRODUCTION,
        approvalsUrl: urls.approvalsUrl,
        ...(options.resolver === undefined ? {} : { resolver: options.resolver }),
      }),
    ],
  };
  const gateway = await startGateway(gatewayOptions);
  const replies: GatewayReply[] = [];

  /** Issues an Airlock token for the agent, scoped to `environments` and `effects`. */
  const token = async (environments: string[], effects: Effect[]): Promise<string> =>
    (
      await grants.issue(
        {
          agent: 'cursor-agent',
          owner: 'alice',
          upstreams: ['railway'],
          environments,
          effects,
          resources: ['*'],
          ttlMs: 3_600_000,
        },
        'human:alice',
      )
    ).token;

  /** Sends a GraphQL request as an agent would; every reply is kept for the leak check. */
  const send = async (
    agentToken: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<GatewayReply> => {
    const response = await request(`${gateway.url}/graphql/railway`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${agentToken}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.body.text();
    const reply = {
      status: response.statusCode,
      headers: response.headers,
      text,
      json: parseOrText(text),
    };
    replies.push(reply);
    return reply;
  };

  return {
    gateway,
    store,
    token,
    send,
    replies,
    approve: async (id: string) => approvalService.approve(id, 'bob', await phones.factor('bob')),
    close: async () => {
      await gateway.close();
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A gateway started by `startTestGateway`. */
export type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;

/**
 * The seeded Railway stand-in, which takes `secret` as an account token, and a gateway in front
 * of it holding `secret` as Airlock's credential; `close` stops both.
 */
export async function startGatewayOverRailway(
  secret: string,
): Promise<{ railway: RailwayStandin; airlock: TestGateway; close(): Promise<void> }> {
  const railway = await startRailwayStandin({ port: 0, tokens: { account: [secret] }, seed: true });
  const airlock = await startTestGateway({ upstreamUrl: railway.url, secret });
  return {
    railway,
    airlock,
    close: async () => {
      await airlock.close();
      await railway.close();
    },
  };
}

/** A fresh secret that looks like a real upstream credential. */
export function plantedSecret(): string {
  return `railway_${randomBytes(20).toString('hex')}`;
}

/** The GraphQL body for `volumeDelete` with the id in a variable, as the incident's agent sent it. */
export function volumeDelete(volumeId: string): unknown {
  return {
    query: 'mutation VolumeDelete($id: String!) { volumeDelete(volumeId: $id) }',
    variables: { id: volumeId },
  };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
