import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { SnapshotScope } from './snapshot-scope.js';

/** One snapshot's record in the vault, beside its dump file. */
export interface SnapshotManifestV1 {
  readonly v: 1;
  readonly id: string;
  readonly upstream: string;
  /** The database the dump came from. */
  readonly database: string;
  readonly takenAt: string;
  readonly scope: SnapshotScope;
  /** The dump (pg_dump custom format), relative to the snapshot's folder; `''` when `nothingExisted`. */
  readonly file: string;
  /** Where the snapshot's folder is. */
  readonly location: string;
  /** The dump's checksum and size; `''` and 0 when `nothingExisted`. */
  readonly sha256: string;
  readonly bytes: number;
  /**
   * The objects dumped, by exact name (`schema.table`, `schema` or the database): those of
   * `scope` that existed. Absent in manifests written before existence was checked.
   */
  readonly dumped?: readonly string[];
  /** Names of `scope` that matched nothing that existed: they were not dumped. */
  readonly missing?: readonly string[];
  /**
   * Nothing in `scope` existed when the snapshot was taken, so there is no dump and nothing to
   * restore (a `DROP TABLE IF EXISTS` of a missing table); the statement still ran on the record.
   */
  readonly nothingExisted?: true;
  /** The statement it was taken for, the request digest and the decision that allowed it. */
  readonly statement: string;
  readonly requestDigest: string;
  readonly decisionId: string;
  readonly approvalId?: string;
}

export const MANIFEST_FILE = 'manifest.json';
export const DUMP_FILE = 'dump.pgdump';

/** A fresh snapshot id: sortable by time, unique by randomness. */
export function newSnapshotId(now: Date): string {
  const stamp = now
    .toISOString()
    .replaceAll(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `snap_${stamp}_${randomBytes(4).toString('hex')}`;
}

/** Creates the folder for a new snapshot. */
export function createSnapshotFolder(vaultDir: string, id: string): string {
  const folder = join(vaultDir, id);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  return folder;
}

/** Writes a manifest atomically (a reader never sees half of one). */
export function writeManifest(folder: string, manifest: SnapshotManifestV1): void {
  const temporary = join(folder, `${MANIFEST_FILE}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, join(folder, MANIFEST_FILE));
}

/** Every snapshot in a vault, oldest first; folders without a readable manifest are skipped. */
export function listSnapshots(vaultDir: string): SnapshotManifestV1[] {
  let entries: string[];
  try {
    entries = readdirSync(vaultDir);
  } catch {
    return [];
  }
  const manifests: SnapshotManifestV1[] = [];
  for (const entry of entries.sort()) {
    const manifest = readManifest(join(vaultDir, entry));
    if (manifest !== undefined) manifests.push(manifest);
  }
  return manifests;
}

/** The manifest in a snapshot folder, or undefined. */
export function readManifest(folder: string): SnapshotManifestV1 | undefined {
  try {
    const value = JSON.parse(
      readFileSync(join(folder, MANIFEST_FILE), 'utf8'),
    ) as SnapshotManifestV1;
    return value.v === 1 && typeof value.id === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** SHA-256 of a file, streamed. */
export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Refuses a vault on the same filesystem as the database's data: a disk that dies or fills takes
 * both. Returns a problem sentence, or undefined when they differ or it cannot be told.
 */
export function vaultPlacementProblem(
  vaultDir: string,
  dataDir: string | undefined,
): string | undefined {
  if (dataDir === undefined) return undefined;
  let vaultDevice: number;
  let dataDevice: number;
  try {
    mkdirSync(vaultDir, { recursive: true, mode: 0o700 });
    vaultDevice = statSync(vaultDir).dev;
    dataDevice = statSync(dataDir).dev;
  } catch {
    // The data directory is not visible from here (a remote server): it cannot be told.
    return undefined;
  }
  return vaultDevice === dataDevice
    ? `vault \`${vaultDir}\` is on the same filesystem as the database data \`${dataDir}\`; put it on another disk`
    : undefined;
}
