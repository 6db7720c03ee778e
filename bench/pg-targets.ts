/** The proxies the PostgreSQL bench measures: a bare TCP pipe, and Airlock as the gateway wires it. */
import { mkdtempSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresProxy } from '../src/adapters/postgres/index.js';
import type { SqlClassifier } from '../src/adapters/postgres/index.js';
import { classifySqlText, loadSqlParser } from '../src/classify/sql/index.js';
import { EFFECTS } from '../src/core/index.js';
import { DEFAULT_APPROVAL_OPTIONS, Firewall, GrantService } from '../src/firewall/index.js';
import { cryptoRandom, randomIds, systemClock } from '../src/platform/index.js';
import { CedarPolicyEngine, loadDefaultPolicyFiles } from '../src/policy/index.js';
import { openSqliteStore } from '../src/stores/index.js';
import type { SqliteStore } from '../src/stores/index.js';
import type { TestPostgres } from '../test/pg-server.js';

/** A TCP pipe with nothing in it: the floor any proxy pays. */
export function startPassThrough(host: string, port: number): Promise<Server> {
  const server = createServer((client) => {
    client.setNoDelay(true);
    const upstream = connect({ host, port }, () => upstream.setNoDelay(true));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** What the audit log holds of the SQL statements after the proxy closed. */
export interface AuditTally {
  readonly judged: number;
  readonly reused: number;
  readonly reuseRecords: number;
}

/** Airlock's PostgreSQL proxy in front of `server`, with the token an agent connects with. */
export interface BenchProxy {
  readonly port: number;
  readonly token: string;
  readonly store: SqliteStore;
  /** Closes the proxy (writing the last reuse counts) and the store; tallies the audit log. */
  close(): Promise<AuditTally>;
}

/** Hooks the profiling script uses to time the parts of a judgment; the bench passes none. */
export interface BenchProxyHooks {
  readonly classify?: (classify: SqlClassifier) => SqlClassifier;
  readonly inspect?: (parts: { readonly store: SqliteStore; readonly firewall: Firewall }) => void;
}

/**
 * A firewall as the gateway builds it, on a SQLite audit log in a fresh folder (WAL checkpoints
 * off the request path), the default policy, and a grant service: what every PostgreSQL bench judges with.
 */
export function benchFirewall(prefix: string): {
  readonly store: SqliteStore;
  readonly firewall: Firewall;
  readonly grants: GrantService;
} {
  const store = openSqliteStore({
    path: join(mkdtempSync(join(tmpdir(), prefix)), 'airlock.db'),
    backgroundCheckpoint: true,
  });
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
  const grants = new GrantService({
    store,
    clock: systemClock,
    ids: randomIds,
    random: cryptoRandom,
    limits: { maxTtlMs: 86_400_000 },
  });
  return { store, firewall, grants };
}

/** Starts the proxy with the default policy, a SQLite audit log and a grant for every effect. */
export async function startBenchProxy(
  server: TestPostgres,
  hooks: BenchProxyHooks = {},
): Promise<BenchProxy> {
  await loadSqlParser();
  const { store, firewall, grants } = benchFirewall('airlock-bench-');
  hooks.inspect?.({ store, firewall });
  const { token } = await grants.issue(
    {
      agent: 'bench',
      owner: 'alice',
      upstreams: ['app'],
      environments: ['*'],
      effects: [...EFFECTS],
      resources: ['*'],
      ttlMs: 3_600_000,
    },
    'human:alice',
  );
  const upstream = {
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.user,
    password: server.password,
  };
  const proxy = await startPostgresProxy({
    name: 'app',
    upstream,
    firewall,
    clock: systemClock,
    classify: hooks.classify?.(classifySqlText) ?? classifySqlText,
    approvalsUrl: 'http://127.0.0.1:1/approvals',
    host: '127.0.0.1',
    port: 0,
  });
  return {
    port: proxy.port,
    token,
    store,
    close: async () => {
      await proxy.close();
      const records = await store.readAudit();
      const reuses = records.filter((record) => record.kind === 'decision.reused');
      await store.close();
      return {
        judged: records.filter(
          (record) => record.kind === 'decision' && record.data['surface'] === 'sql',
        ).length,
        reused: reuses.reduce((sum, record) => sum + Number(record.data['count']), 0),
        reuseRecords: reuses.length,
      };
    },
  };
}
