import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonValue } from '../../core/index.js';
import type { ExistingScope } from './existing-scope.js';
import { findExistingScope } from './existing-scope.js';
import { runPgTool } from './pg-tools.js';
import type { SnapshotRequest } from './session/relay.js';
import type { SnapshotScope } from './snapshot-scope.js';
import { toSnapshotScope } from './snapshot-scope.js';
import type { UpstreamTarget } from './upstream-connection.js';
import type { SnapshotManifestV1 } from './vault.js';
import {
  DUMP_FILE,
  createSnapshotFolder,
  newSnapshotId,
  sha256OfFile,
  vaultPlacementProblem,
  writeManifest,
} from './vault.js';

/** Where snapshots go and how they are taken. */
export interface SnapshotterOptions {
  readonly upstreamName: string;
  readonly upstream: UpstreamTarget;
  readonly vaultDir: string;
  /** The database's data directory when known, to refuse a vault on the same filesystem. */
  readonly dataDir: string | undefined;
  readonly pgDump?: string;
  readonly timeoutMs?: number;
  /** Records the snapshot in the audit log; a snapshot that cannot be recorded blocks the statement. */
  readonly record: (manifest: SnapshotManifestV1) => Promise<void>;
}

const DEFAULT_SNAPSHOT_TIMEOUT_MS = 10 * 60_000;
// A dump that waits on a lock the agent's own transaction holds would wait forever.
const LOCK_WAIT_TIMEOUT_MS = 10_000;

/**
 * Dumps what a statement will destroy into the vault (pg_dump custom format), checksums it,
 * writes its manifest and records it. Only what exists is dumped; when nothing in the scope
 * exists (`DROP TABLE IF EXISTS` of a missing table) the snapshot says so and has no dump.
 * Throws on any failure (including not being able to tell what exists), which blocks the statement.
 */
export async function takeSnapshot(
  options: SnapshotterOptions,
  request: SnapshotRequest,
  now = new Date(),
): Promise<SnapshotManifestV1> {
  const problem = vaultPlacementProblem(options.vaultDir, options.dataDir);
  if (problem !== undefined) throw new Error(problem);
  const scope = toSnapshotScope(
    request.classified.actions,
    options.upstream.database,
    request.classified.sql,
  );
  const existing = await findExistingScope(options.upstream, scope);
  const id = newSnapshotId(now);
  const folder = createSnapshotFolder(options.vaultDir, id);
  const database = scope.kind === 'database' ? scope.name : options.upstream.database;
  const dump =
    existing.names.length === 0 ? undefined : await dumpInto(options, folder, database, existing);
  const approvalId = request.decision.approval?.id;
  const manifest: SnapshotManifestV1 = {
    v: 1,
    id,
    upstream: options.upstreamName,
    database,
    takenAt: now.toISOString(),
    scope,
    file: dump === undefined ? '' : DUMP_FILE,
    location: folder,
    sha256: dump?.sha256 ?? '',
    bytes: dump?.bytes ?? 0,
    dumped: [...existing.names],
    ...(existing.missing.length === 0 ? {} : { missing: [...existing.missing] }),
    ...(dump === undefined ? { nothingExisted: true as const } : {}),
    statement: request.classified.sql,
    requestDigest: request.classified.digest,
    decisionId: request.decision.id,
    ...(approvalId === undefined ? {} : { approvalId }),
  };
  writeManifest(folder, manifest);
  await options.record(manifest);
  return manifest;
}

/** Runs pg_dump of exactly the existing objects into `folder`; its checksum and size. */
async function dumpInto(
  options: SnapshotterOptions,
  folder: string,
  database: string,
  existing: ExistingScope,
): Promise<{ sha256: string; bytes: number }> {
  const file = join(folder, DUMP_FILE);
  const args = [
    '--format=custom',
    `--lock-wait-timeout=${LOCK_WAIT_TIMEOUT_MS}`,
    `--file=${file}`,
    `--dbname=${database}`,
    ...existing.selection,
  ];
  await runPgTool(
    options.pgDump ?? 'pg_dump',
    options.upstream,
    args,
    options.timeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS,
  );
  return { sha256: await sha256OfFile(file), bytes: statSync(file).size };
}

/** The audit record's data for a snapshot: where it is and its checksum, never a credential. */
export function toSnapshotAuditData(manifest: SnapshotManifestV1): {
  readonly [key: string]: JsonValue;
} {
  return {
    snapshotId: manifest.id,
    upstream: manifest.upstream,
    database: manifest.database,
    scope: toScopeData(manifest.scope),
    location: manifest.location,
    sha256: manifest.sha256,
    bytes: manifest.bytes,
    ...(manifest.dumped === undefined ? {} : { dumped: [...manifest.dumped] }),
    ...(manifest.missing === undefined ? {} : { missing: [...manifest.missing] }),
    ...(manifest.nothingExisted === true ? { nothingExisted: true } : {}),
    requestDigest: manifest.requestDigest,
    decisionId: manifest.decisionId,
    ...(manifest.approvalId === undefined ? {} : { approvalId: manifest.approvalId }),
  };
}

function toScopeData(scope: SnapshotScope): JsonValue {
  return scope.kind === 'database'
    ? { kind: 'database', name: scope.name }
    : { kind: scope.kind, names: [...scope.names] };
}
