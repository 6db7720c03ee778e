import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type {
  RunningPostgresProxy,
  SnapshotManifestV1,
  SqlClassifier,
} from '../src/adapters/postgres/index.js';
import {
  startPostgresProxy,
  takeSnapshot,
  toSnapshotAuditData,
} from '../src/adapters/postgres/index.js';
import type { PolicyEngine, Store } from '../src/core/index.js';
import { EFFECTS, SeededRandom } from '../src/core/index.js';
import { ApprovalService } from '../src/firewall/index.js';
import { TestAuthenticator, createTestFirewall } from '../src/firewall/test-harness.js';
import { MemoryStore } from '../src/stores/index.js';
import type { TestPostgres } from './pg-server.js';

export const UPSTREAM = 'app';

/** What `startGuardedPostgres` may change from its defaults. */
export interface GuardedPostgresOptions {
  readonly vaultDir?: string;
  readonly engine?: PolicyEngine;
  /** The upstream's configured environment; every statement's targets are placed in it. */
  readonly environment?: string;
  /** The pg_dump program snapshots run (default `pg_dump` on the PATH). */
  readonly pgDump?: string;
}

/** A firewall on a memory store, a token for the agent, approvers, and the proxy in front of `server`. */
export async function startGuardedPostgres(
  server: TestPostgres,
  classify: SqlClassifier,
  options: GuardedPostgresOptions = {},
) {
  const store: Store = new MemoryStore();
  // The corpus holds dozens of statements on one token; the hold-flood cap has its own tests.
  const harness = createTestFirewall(store, {
    approvals: { maxPendingPerGrant: 1000 },
    ...(options.engine === undefined ? {} : { engine: options.engine }),
  });
  const { token } = await harness.grants.issue(
    {
      agent: 'db-agent',
      owner: 'alice',
      upstreams: [UPSTREAM],
      environments: ['*'],
      effects: [...EFFECTS],
      resources: ['*'],
      ttlMs: 3_600_000,
    },
    'human:alice',
  );
  const approvals = new ApprovalService({
    store,
    clock: harness.clock,
    random: new SeededRandom('approvers'),
    rules: { denyEndsIt: true, ownerMayApprove: false },
    productionEnvironments: ['production'],
  });
  const phones = new TestAuthenticator({ service: approvals, store, clock: harness.clock });
  for (const name of ['bob', 'carol'])
    await phones.enrol({ name, upstreams: [UPSTREAM], environments: ['*'] });
  const vaultDir = options.vaultDir ?? mkdtempSync(join(tmpdir(), 'airlock-vault-'));
  const target = {
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.user,
    password: server.password,
  };
  const snapshots: SnapshotManifestV1[] = [];
  const proxy: RunningPostgresProxy = await startPostgresProxy({
    name: UPSTREAM,
    upstream: target,
    firewall: harness.firewall,
    clock: harness.clock,
    classify,
    ...(options.environment === undefined ? {} : { environment: options.environment }),
    snapshot: async (request) => {
      const record = async (manifest: SnapshotManifestV1): Promise<void> => {
        await store.appendAudit({
          kind: 'snapshot.taken',
          actor: 'system',
          at: harness.clock.now(),
          data: toSnapshotAuditData(manifest),
        });
      };
      const tool = options.pgDump === undefined ? {} : { pgDump: options.pgDump };
      snapshots.push(
        await takeSnapshot(
          {
            upstreamName: UPSTREAM,
            upstream: target,
            vaultDir,
            dataDir: server.dataDir,
            record,
            ...tool,
          },
          request,
        ),
      );
    },
    approvalsUrl: 'http://127.0.0.1:1/approvals',
    host: '127.0.0.1',
    port: 0,
  });
  /** Approves as every human the approval needs, typing target ids to confirm. */
  const approveAll = async (id: string): Promise<void> => {
    const approval = await approvals.get(id);
    const confirm = approval.actions.flatMap((action) => action.targets.map((t) => t.id));
    for (const name of ['bob', 'carol']) {
      const now = await approvals.get(id);
      if (now.state !== 'pending') break;
      await approvals.approve(id, name, await phones.factor(name), { confirm });
    }
  };
  /** Approves as `name` alone, typing `confirm` (the target ids to confirm, if any). */
  const approveAs = async (
    id: string,
    name: 'bob' | 'carol',
    confirm: string[] = [],
  ): Promise<void> => {
    await approvals.approve(id, name, await phones.factor(name), { confirm });
  };
  const agentClient = (password = token): pg.Client =>
    new pg.Client({
      host: '127.0.0.1',
      port: proxy.port,
      user: 'agent',
      password,
      database: server.database,
    });
  const directClient = (): pg.Client => new pg.Client(target);
  /** Runs `body` on a connected agent session (through Airlock), then ends it. */
  const withAgent = <T>(body: (client: pg.Client) => Promise<T>): Promise<T> =>
    withClient(agentClient(), body);
  /** Runs `body` on a connected session straight to the server, then ends it. */
  const withDirect = <T>(body: (client: pg.Client) => Promise<T>): Promise<T> =>
    withClient(directClient(), body);
  return {
    store,
    proxy,
    token,
    vaultDir,
    snapshots,
    approvals,
    approveAll,
    approveAs,
    firewall: harness.firewall,
    agentClient,
    directClient,
    withAgent,
    withDirect,
    target,
    clock: harness.clock,
    grants: harness.grants,
  };
}

async function withClient<T>(
  client: pg.Client,
  body: (client: pg.Client) => Promise<T>,
): Promise<T> {
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}
