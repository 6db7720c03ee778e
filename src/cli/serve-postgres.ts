import { resolve } from 'node:path';
import pg from 'pg';
import type { LoadedConfig } from '../config/index.js';
import { readSecretField } from '../config/index.js';
import type { Store } from '../core/index.js';
import type { GatewayUrls } from '../server/index.js';
import type { BlastRadius, SnapshotManifestV1, UpstreamTarget } from '../adapters/postgres/index.js';
import { startPostgresProxy, takeSnapshot, toSnapshotAuditData, vaultPlacementProblem } from '../adapters/postgres/index.js';
import { classifySqlText } from '../classify/index.js';
import { authenticate } from '../firewall/index.js';
import { systemClock } from '../platform/index.js';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './output.js';
import type { RunningPart, ServePartFactory } from './serve-part.js';

/** A postgres upstream of the config, resolved: where it is, its credential, its vault. */
export interface ResolvedPostgresUpstream {
  readonly name: string;
  readonly target: UpstreamTarget;
  readonly listenPort: number;
  /** Absolute path of the vault folder. */
  readonly vaultDir: string;
  readonly dataDir: string | undefined;
  /** Where the database lives, as configured; undefined counts as production. */
  readonly environment?: string;
  /** How many rows a statement may change before it is rolled back and held. */
  readonly blastRadius: BlastRadius;
}

/** The `blastRadius` section of a postgres upstream, as the config schema gives it. */
interface BlastRadiusConfig {
  readonly rows: number;
  readonly share: number;
  readonly shareFloor: number;
  readonly tables?: Readonly<Record<string, { readonly rows?: number | undefined; readonly share?: number | undefined }>> | undefined;
}

/** The proxy's limits from the config's: a table's bound left out is the upstream's. */
function toBlastRadius(config: BlastRadiusConfig): BlastRadius {
  const { rows, share, shareFloor, tables } = config;
  if (tables === undefined) return { rows, share, shareFloor };
  const own = Object.entries(tables).map(([name, limit]) => [name, { ...(limit.rows === undefined ? {} : { rows: limit.rows }), ...(limit.share === undefined ? {} : { share: limit.share }) }] as const);
  return { rows, share, shareFloor, tables: Object.fromEntries(own) };
}

/**
 * The config's postgres upstreams with their credentials; refuses listing every problem.
 * `needCredential: false` lets `snapshots list` run without the password.
 */
export function postgresUpstreamsOf(loaded: LoadedConfig, env: NodeJS.ProcessEnv, needCredential = true): ResolvedPostgresUpstream[] {
  const problems: string[] = [];
  const resolved: ResolvedPostgresUpstream[] = [];
  for (const [name, upstream] of Object.entries(loaded.config.upstreams)) {
    if (upstream.kind !== 'postgres') continue;
    const at = `upstreams.${name}`;
    if (upstream.url === undefined) problems.push(`${at}.url: required for a postgres upstream`);
    if (upstream.vault === undefined) problems.push(`${at}.vault.dir: required: snapshots go there before any destructive statement runs`);
    // Without a credential (trust authentication) the server is asked for no password.
    const password = readSecretField(upstream, 'credential', at, { env, home: loaded.home }, needCredential ? problems : [], false);
    if (upstream.url === undefined || upstream.vault === undefined) continue;
    const url = new URL(upstream.url);
    resolved.push({
      name,
      target: {
        host: url.hostname,
        port: Number(url.port || 5432),
        database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
        user: decodeURIComponent(url.username) || 'postgres',
        password,
      },
      listenPort: upstream.listen.port,
      vaultDir: resolve(loaded.home, upstream.vault.dir),
      dataDir: upstream.dataDir === undefined ? undefined : resolve(loaded.home, upstream.dataDir),
      ...(upstream.environment === undefined ? {} : { environment: upstream.environment }),
      blastRadius: toBlastRadius(upstream.blastRadius),
    });
  }
  if (problems.length > 0) throw new CliFailure('invalid postgres upstream configuration', EXIT.invalidInput, problems);
  return resolved;
}

/** `airlock serve`'s part for PostgreSQL: one wire-protocol listener per postgres upstream. */
export const postgresServePart: ServePartFactory = async (context) => {
  const configured = postgresUpstreamsOf(context.loaded, context.env);
  if (configured.length === 0) return undefined;
  // Refused before anything listens: a vault that shares the database's disk is no safeguard.
  const upstreams: ResolvedPostgresUpstream[] = [];
  const problems: string[] = [];
  for (const upstream of configured) {
    const dataDir = upstream.dataDir ?? (await askDataDirectory(upstream.target));
    const problem = vaultPlacementProblem(upstream.vaultDir, dataDir);
    if (problem !== undefined) problems.push(`upstreams.${upstream.name}.vault.dir: ${problem}`);
    upstreams.push({ ...upstream, dataDir });
  }
  if (problems.length > 0) throw new CliFailure('cannot start the postgres listener', EXIT.invalidInput, problems);
  return {
    name: `postgres upstreams ${upstreams.map((upstream) => upstream.name).join(', ')}`,
    start: async (urls) => {
      const running: RunningPart[] = [];
      try {
        for (const upstream of upstreams) running.push(await startOne(upstream, context.store, context, urls));
      } catch (error) {
        for (const part of running) await part.close();
        throw error;
      }
      return {
        lines: running.flatMap((part) => part.lines),
        info: { postgres: running.map((part) => part.info) },
        close: async () => {
          for (const part of running) await part.close();
        },
      };
    },
  };
};

async function startOne(upstream: ResolvedPostgresUpstream, store: Store, context: Parameters<ServePartFactory>[0], urls: GatewayUrls): Promise<RunningPart> {
  const { dataDir } = upstream;
  const proxy = await startPostgresProxy({
    name: upstream.name,
    upstream: upstream.target,
    firewall: context.firewall,
    clock: systemClock,
    classify: classifySqlText,
    authenticateToken: async (token) => (await authenticate(store, token, Date.now())).ok,
    snapshot: async (request) => {
      await takeSnapshot({ upstreamName: upstream.name, upstream: upstream.target, vaultDir: upstream.vaultDir, dataDir, record: recordIn(store) }, request);
    },
    approvalsUrl: urls.approvalsUrl,
    approvalPagesUrl: `${urls.url}/inbox/approvals`,
    productionEnvironments: context.loaded.config.environments.production,
    blastRadius: upstream.blastRadius,
    ...(upstream.environment === undefined ? {} : { environment: upstream.environment }),
    host: context.host,
    port: upstream.listenPort,
  });
  const url = `postgres://AGENT:TOKEN@${proxy.host}:${proxy.port}/${upstream.target.database}`;
  return {
    lines: [`postgres ${upstream.name}: ${url} (password: an Airlock token)`],
    info: { name: upstream.name, host: proxy.host, port: proxy.port, database: upstream.target.database, vault: upstream.vaultDir },
    close: () => proxy.close(),
  };
}

/** Appends a snapshot's record to the audit log. */
export function recordIn(store: Store): (manifest: SnapshotManifestV1) => Promise<void> {
  return async (manifest) => {
    await store.appendAudit({ kind: 'snapshot.taken', actor: 'system', at: Date.now(), data: toSnapshotAuditData(manifest) });
  };
}

/** The server's data directory when Airlock may read it (superuser or pg_read_all_settings). */
async function askDataDirectory(target: UpstreamTarget): Promise<string | undefined> {
  const client = new pg.Client({ host: target.host, port: target.port, user: target.user, password: target.password, database: target.database, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const result = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    return result.rows[0]?.dir;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
