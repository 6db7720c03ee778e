import pg from 'pg';
import type { SnapshotScope } from './snapshot-scope.js';
import type { UpstreamTarget } from './upstream-connection.js';

/** What of a snapshot scope exists now: the pg_dump selection of exactly that, and what matched nothing. */
export interface ExistingScope {
  /** The existing objects, by exact name (`schema.table`, `schema`, or the database's name). */
  readonly names: readonly string[];
  /** pg_dump options selecting exactly `names` (none for a whole database). */
  readonly selection: readonly string[];
  /** Names of the scope that match nothing that exists. */
  readonly missing: readonly string[];
}

/** Whether a scope's objects exist could not be told; the snapshot fails. */
export class ExistenceUncertain extends Error {
  override readonly name = 'ExistenceUncertain';
}

const CHECK_TIMEOUT_MS = 10_000;

// Relations pg_dump --table selects: tables, partitioned tables, views, materialized views,
// sequences, foreign tables. Temporary ones are left out: pg_dump cannot read another session's,
// and they end with their session anyway.
const RELATIONS = `SELECT n.nspname AS schema, c.relname AS name FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relpersistence <> 't'
  ORDER BY 1, 2`;
const SCHEMAS =
  'SELECT nspname AS name FROM pg_catalog.pg_namespace WHERE nspname = ANY($1::text[]) ORDER BY 1';
const DATABASES = 'SELECT datname AS name FROM pg_catalog.pg_database WHERE datname = $1';
// A session with an open transaction that renamed or created a table holds an access exclusive
// lock on it until it ends (a prepared transaction too, with no pid); while any does, a name
// missing here may exist in that session.
const UNCOMMITTED_TABLES = `SELECT count(*)::int AS held FROM pg_catalog.pg_locks
  WHERE locktype = 'relation' AND mode = 'AccessExclusiveLock' AND granted AND pid IS DISTINCT FROM pg_backend_pid()
    AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())`;

/**
 * Finds which objects of `scope` exist, on a connection of Airlock's own to `target`'s database.
 *
 * SECURITY: the agent's session may see names differently (its search_path, a schema renamed in
 * its open transaction), and a name the classifier gives unquoted (`a.b`) may be one quoted name
 * or a qualified one. So a table name matches every relation, in any schema, whose name is the
 * whole name or any part after a dot: more is dumped than may be needed, never less. A name
 * counts as missing only while no other session holds uncommitted table changes (a table
 * renamed to that name in an open transaction exists there); otherwise `ExistenceUncertain`.
 */
export async function findExistingScope(
  target: UpstreamTarget,
  scope: SnapshotScope,
): Promise<ExistingScope> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    connectionTimeoutMillis: CHECK_TIMEOUT_MS,
    statement_timeout: CHECK_TIMEOUT_MS,
  });
  await client.connect();
  try {
    const existing = await existingIn(client, scope);
    if (existing.missing.length > 0) {
      const held = (await client.query<{ held: number }>(UNCOMMITTED_TABLES)).rows[0]?.held ?? 1;
      if (held > 0) {
        throw new ExistenceUncertain(
          `cannot tell whether ${existing.missing.map((name) => `\`${name}\``).join(', ')} exist: another session has uncommitted table changes; retry once its transaction ends`,
        );
      }
    }
    return existing;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function existingIn(client: pg.Client, scope: SnapshotScope): Promise<ExistingScope> {
  if (scope.kind === 'database') {
    const found = (await client.query<{ name: string }>(DATABASES, [scope.name])).rows.length > 0;
    return found
      ? { names: [scope.name], selection: [], missing: [] }
      : { names: [], selection: [], missing: [scope.name] };
  }
  const candidates = [...new Set(scope.names.flatMap(toNameCandidates))];
  if (scope.kind === 'schemas') {
    const rows = (await client.query<{ name: string }>(SCHEMAS, [candidates])).rows;
    const found = rows.map((row) => row.name);
    return {
      names: found,
      selection: found.map((name) => `--schema=${quoteIdentifier(name)}`),
      missing: scope.names.filter(
        (name) => !toNameCandidates(name).some((candidate) => found.includes(candidate)),
      ),
    };
  }
  const rows = (await client.query<{ schema: string; name: string }>(RELATIONS, [candidates])).rows;
  const found = new Set(rows.map((row) => row.name));
  return {
    names: rows.map((row) => `${row.schema}.${row.name}`),
    selection: rows.map(
      (row) => `--table=${quoteIdentifier(row.schema)}.${quoteIdentifier(row.name)}`,
    ),
    missing: scope.names.filter(
      (name) => !toNameCandidates(name).some((candidate) => found.has(candidate)),
    ),
  };
}

/** The object names a (possibly qualified) name may end in: the whole name and every part after a dot. */
function toNameCandidates(name: string): string[] {
  const candidates = [name];
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1))
    candidates.push(name.slice(dot + 1));
  return candidates.filter((candidate) => candidate !== '');
}

/** An identifier quoted for a pg_dump pattern or SQL: exactly this name, whatever its case or characters. */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
