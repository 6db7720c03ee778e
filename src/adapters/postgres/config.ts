import { resolve } from 'node:path';
import type { Config, SecretContext } from '../../config/index.js';
import { readSecretField } from '../../config/index.js';
import type { Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';
import type { BlastRadius } from './blast-radius.js';
import type { UpstreamTarget } from './upstream-connection.js';

/** A `kind: postgres` section of the config's `upstreams`. */
export type PostgresUpstreamConfig = Extract<Config['upstreams'][string], { kind: 'postgres' }>;

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

/** The proxy's limits from the config's: a table's bound left out is the upstream's. */
function toBlastRadius(config: PostgresUpstreamConfig['blastRadius']): BlastRadius {
  const { rows, share, shareFloor, tables } = config;
  if (tables === undefined) return { rows, share, shareFloor };
  const own = Object.entries(tables).map(
    ([name, limit]) =>
      [
        name,
        {
          ...(limit.rows === undefined ? {} : { rows: limit.rows }),
          ...(limit.share === undefined ? {} : { share: limit.share }),
        },
      ] as const,
  );
  return { rows, share, shareFloor, tables: Object.fromEntries(own) };
}

/**
 * The config's postgres upstreams with their credentials, or every problem.
 * `needCredential: false` lets `snapshots list` run without the password.
 */
export function postgresUpstreamsOf(
  sections: Readonly<Record<string, PostgresUpstreamConfig>>,
  secrets: SecretContext,
  needCredential = true,
): Result<ResolvedPostgresUpstream[], string[]> {
  const problems: string[] = [];
  const resolved: ResolvedPostgresUpstream[] = [];
  for (const [name, upstream] of Object.entries(sections)) {
    const at = `upstreams.${name}`;
    if (upstream.url === undefined) problems.push(`${at}.url: required for a postgres upstream`);
    if (upstream.vault === undefined)
      problems.push(
        `${at}.vault.dir: required: snapshots go there before any destructive statement runs`,
      );
    // Without a credential (trust authentication) the server is asked for no password.
    const password = readSecretField(
      upstream,
      'credential',
      at,
      secrets,
      needCredential ? problems : [],
      false,
    );
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
      vaultDir: resolve(secrets.home, upstream.vault.dir),
      dataDir: upstream.dataDir === undefined ? undefined : resolve(secrets.home, upstream.dataDir),
      ...(upstream.environment === undefined ? {} : { environment: upstream.environment }),
      blastRadius: toBlastRadius(upstream.blastRadius),
    });
  }
  return problems.length > 0 ? err(problems) : ok(resolved);
}
