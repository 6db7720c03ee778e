import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonValue } from '../../core/index.js';
import { runPgTool } from './pg-tools.js';
import type { SnapshotRequest } from './session.js';
import { toExactPattern, toSnapshotScope } from './snapshot-scope.js';
import type { UpstreamTarget } from './upstream-connection.js';
import type { SnapshotManifestV1 } from './vault.js';
import { DUMP_FILE, createSnapshotFolder, newSnapshotId, sha256OfFile, vaultPlacementProblem, writeManifest } from './vault.js';

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
 * writes its manifest and records it. Throws on any failure, which blocks the statement.
 */
export async function takeSnapshot(options: SnapshotterOptions, request: SnapshotRequest, now = new Date()): Promise<SnapshotManifestV1> {
  const problem = vaultPlacementProblem(options.vaultDir, options.dataDir);
  if (problem !== undefined) throw new Error(problem);
  const scope = toSnapshotScope(request.classified.actions, options.upstream.database, request.classified.sql);
  const id = newSnapshotId(now);
  const folder = createSnapshotFolder(options.vaultDir, id);
  const file = join(folder, DUMP_FILE);
  const database = scope.kind === 'database' ? scope.name : options.upstream.database;
  const selection = scope.kind === 'tables' ? scope.names.map((name) => `--table=${toExactPattern(name)}`) : scope.kind === 'schemas' ? scope.names.map((name) => `--schema=${toExactPattern(name)}`) : [];
  await runPgTool(options.pgDump ?? 'pg_dump', options.upstream, ['--format=custom', `--lock-wait-timeout=${LOCK_WAIT_TIMEOUT_MS}`, `--file=${file}`, `--dbname=${database}`, ...selection], options.timeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS);
  const approvalId = request.decision.approval?.id;
  const manifest: SnapshotManifestV1 = {
    v: 1,
    id,
    upstream: options.upstreamName,
    database,
    takenAt: now.toISOString(),
    scope,
    file: DUMP_FILE,
    location: folder,
    sha256: await sha256OfFile(file),
    bytes: statSync(file).size,
    statement: request.classified.sql,
    requestDigest: request.classified.digest,
    decisionId: request.decision.id,
    ...(approvalId === undefined ? {} : { approvalId }),
  };
  writeManifest(folder, manifest);
  await options.record(manifest);
  return manifest;
}

/** The audit record's data for a snapshot: where it is and its checksum, never a credential. */
export function toSnapshotAuditData(manifest: SnapshotManifestV1): { readonly [key: string]: JsonValue } {
  return {
    snapshotId: manifest.id,
    upstream: manifest.upstream,
    database: manifest.database,
    scope: manifest.scope.kind === 'database' ? { kind: 'database', name: manifest.scope.name } : { kind: manifest.scope.kind, names: [...manifest.scope.names] },
    location: manifest.location,
    sha256: manifest.sha256,
    bytes: manifest.bytes,
    requestDigest: manifest.requestDigest,
    decisionId: manifest.decisionId,
    ...(manifest.approvalId === undefined ? {} : { approvalId: manifest.approvalId }),
  };
}
