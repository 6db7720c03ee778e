import { join } from 'node:path';
import pg from 'pg';
import { runPgTool } from './pg-tools.js';
import type { UpstreamTarget } from './upstream-connection.js';
import type { SnapshotManifestV1 } from './vault.js';
import { readManifest, sha256OfFile } from './vault.js';

/** The outcome of a restore. */
export interface RestoreResult {
  readonly snapshot: SnapshotManifestV1;
  readonly database: string;
  readonly created: boolean;
}

/** A restore refused before it touched anything. */
export class RestoreRefused extends Error {
  override readonly name = 'RestoreRefused';
}

const RESTORE_TIMEOUT_MS = 60 * 60_000;

/**
 * Restores a snapshot with pg_restore, in one transaction: into the database it came from
 * (objects in the dump are dropped and recreated from it), or into `into` (created when missing).
 * The dump's checksum is verified first; a mismatch refuses, and so does a snapshot that
 * records that nothing existed (it has no dump).
 */
export async function restoreSnapshot(
  vaultDir: string,
  id: string,
  upstream: UpstreamTarget,
  into?: string,
): Promise<RestoreResult> {
  if (!/^snap_[A-Za-z0-9_]+$/.test(id)) throw new RestoreRefused(`\`${id}\` is not a snapshot id`);
  const folder = join(vaultDir, id);
  const snapshot = readManifest(folder);
  if (snapshot === undefined) throw new RestoreRefused(`no snapshot \`${id}\` in the vault`);
  if (snapshot.nothingExisted === true) {
    const names = snapshot.missing?.map((name) => `\`${name}\``).join(', ') ?? 'what it covered';
    throw new RestoreRefused(
      `snapshot \`${id}\` has no dump to restore: nothing existed when it was taken (${names})`,
    );
  }
  const file = join(folder, snapshot.file);
  let checksum: string;
  try {
    checksum = await sha256OfFile(file);
  } catch {
    throw new RestoreRefused(`the dump of snapshot \`${id}\` is missing`);
  }
  if (checksum !== snapshot.sha256)
    throw new RestoreRefused(`the dump of snapshot \`${id}\` does not match its checksum`);
  const database = into ?? snapshot.database;
  const created = into !== undefined && (await createDatabaseIfMissing(upstream, into));
  const args = ['--single-transaction', '--exit-on-error', '--no-owner', `--dbname=${database}`];
  if (!created) args.push('--clean', '--if-exists');
  await runPgTool('pg_restore', upstream, [...args, file], RESTORE_TIMEOUT_MS);
  return { snapshot, database, created };
}

async function createDatabaseIfMissing(upstream: UpstreamTarget, name: string): Promise<boolean> {
  const client = new pg.Client({
    host: upstream.host,
    port: upstream.port,
    user: upstream.user,
    password: upstream.password,
    database: upstream.database,
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount !== 0) return false;
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}
