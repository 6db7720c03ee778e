import pg from 'pg';
import { classifySqlText } from '../../classify/index.js';
import { err, ok } from '../../core/index.js';
import type { RunningSurface, Surface, SurfaceDeps } from '../shared/index.js';
import type { PostgresUpstreamConfig, ResolvedPostgresUpstream } from './config.js';
import { postgresUpstreamsOf } from './config.js';
import { startPostgresProxy } from './proxy.js';
import { takeSnapshot, toSnapshotAuditData } from './snapshot.js';
import type { UpstreamTarget } from './upstream-connection.js';
import { vaultPlacementProblem } from './vault.js';

/** PostgreSQL upstreams (`kind: postgres`): one wire-protocol listener each, its own port. */
export const postgresSurface: Surface<PostgresUpstreamConfig, ResolvedPostgresUpstream[]> = {
  name: 'postgres',
  async validate(sections, settings) {
    const configured = postgresUpstreamsOf(sections, settings);
    if (!configured.ok)
      return err({ title: 'invalid postgres upstream configuration', problems: configured.error });
    if (configured.value.length === 0) return ok(undefined);
    // Refused before anything listens: a vault that shares the database's disk is no safeguard.
    const upstreams: ResolvedPostgresUpstream[] = [];
    const problems: string[] = [];
    for (const upstream of configured.value) {
      const dataDir = upstream.dataDir ?? (await askDataDirectory(upstream.target));
      const problem = vaultPlacementProblem(upstream.vaultDir, dataDir);
      if (problem !== undefined) problems.push(`upstreams.${upstream.name}.vault.dir: ${problem}`);
      upstreams.push({ ...upstream, dataDir });
    }
    return problems.length > 0
      ? err({ title: 'cannot start the postgres listener', problems })
      : ok(upstreams);
  },
  async start(upstreams, deps) {
    const running: RunningSurface[] = [];
    try {
      for (const upstream of upstreams) running.push(await startOne(upstream, deps));
    } catch (error) {
      for (const one of running) await one.close();
      throw error;
    }
    return {
      lines: running.flatMap((one) => one.lines),
      info: { postgres: running.map((one) => one.info ?? {}) },
      close: async () => {
        for (const one of running) await one.close();
      },
    };
  },
};

async function startOne(
  upstream: ResolvedPostgresUpstream,
  deps: SurfaceDeps,
): Promise<RunningSurface> {
  const { dataDir } = upstream;
  // Appends a snapshot's record to the audit log; a snapshot that cannot be recorded blocks the statement.
  const record = async (manifest: Parameters<typeof toSnapshotAuditData>[0]) => {
    await deps.appendAudit({
      kind: 'snapshot.taken',
      actor: 'system',
      at: deps.clock.now(),
      data: toSnapshotAuditData(manifest),
    });
  };
  const proxy = await startPostgresProxy({
    name: upstream.name,
    upstream: upstream.target,
    firewall: deps.firewall,
    clock: deps.clock,
    classify: classifySqlText,
    snapshot: async (request) => {
      await takeSnapshot(
        {
          upstreamName: upstream.name,
          upstream: upstream.target,
          vaultDir: upstream.vaultDir,
          dataDir,
          record,
        },
        request,
        new Date(deps.clock.now()),
      );
    },
    approvalsUrl: deps.urls.approvalsUrl,
    approvalPagesUrl: `${deps.urls.url}/inbox/approvals`,
    productionEnvironments: deps.decide.productionEnvironments,
    blastRadius: upstream.blastRadius,
    ...(upstream.environment === undefined ? {} : { environment: upstream.environment }),
    host: deps.host,
    port: upstream.listenPort,
  });
  const url = `postgres://AGENT:TOKEN@${proxy.host}:${proxy.port}/${upstream.target.database}`;
  return {
    lines: [`postgres ${upstream.name}: ${url} (password: an Airlock token)`],
    info: {
      name: upstream.name,
      host: proxy.host,
      port: proxy.port,
      database: upstream.target.database,
      vault: upstream.vaultDir,
    },
    close: () => proxy.close(),
  };
}

/** The server's data directory when Airlock may read it (superuser or pg_read_all_settings). */
async function askDataDirectory(target: UpstreamTarget): Promise<string | undefined> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    connectionTimeoutMillis: 10_000,
  });
  try {
    await client.connect();
    const result = await client.query<{ dir: string }>(
      "SELECT current_setting('data_directory') AS dir",
    );
    return result.rows[0]?.dir;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
