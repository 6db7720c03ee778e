import type { TableChange } from './blast-radius.js';
import { toExactPattern } from './snapshot-scope.js';

/**
 * The rows this transaction has updated, deleted and inserted so far, per table, as the server
 * counts them (its per-transaction statistics include the running subtransaction, and rows
 * changed by triggers, cascades and data-modifying CTEs). Read before and after a statement, the
 * difference is what the statement changed. Only tables with changes are listed.
 */
export const TRANSACTION_CHANGES_SQL = `SELECT c.oid::pg_catalog.regclass::pg_catalog.text,
  pg_catalog.pg_stat_get_xact_tuples_updated(c.oid), pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid),
  pg_catalog.pg_stat_get_xact_tuples_inserted(c.oid)
FROM pg_catalog.pg_class c
WHERE c.relkind IN ('r', 'm', 't')
  AND pg_catalog.pg_stat_get_xact_tuples_updated(c.oid) + pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid) > 0`;

/** Per-table changes between two readings of `TRANSACTION_CHANGES_SQL`. */
export function changesBetween(
  before: readonly (readonly (string | null)[])[],
  after: readonly (readonly (string | null)[])[],
): TableChange[] {
  const earlier = new Map(before.map((row) => [row[0] ?? '', row] as const));
  const changes: TableChange[] = [];
  for (const row of after) {
    const table = row[0] ?? '';
    const was = earlier.get(table);
    const delta = (index: number): number => Number(row[index] ?? 0) - Number(was?.[index] ?? 0);
    const change = {
      table,
      reference: table,
      updated: delta(1),
      deleted: delta(2),
      inserted: delta(3),
    };
    if (change.updated > 0 || change.deleted > 0) changes.push(change);
  }
  return changes;
}

/** The rows a CommandComplete tag reports (`UPDATE 5`, `DELETE 3`, `INSERT 0 5`); undefined for others. */
export function taggedRows(tag: string): number | undefined {
  const match = /^(?:UPDATE|DELETE|MERGE|INSERT \d+) (\d+)$/.exec(tag);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** SQL naming a table the classifier reported (`public.users`, `"Odd Name"`). */
export function tableReference(id: string): string {
  return toExactPattern(id);
}

/** Counts a table's rows, stopping at `limit`: `SELECT count(*) FROM (SELECT 1 FROM t LIMIT n)`. */
export function boundedCountSql(reference: string, limit: number): string {
  return `SELECT pg_catalog.count(*) FROM (SELECT 1 FROM ${reference} LIMIT ${Math.max(1, Math.floor(limit))}) airlock_rows`;
}

/**
 * What a session needs to know of a table it changes: whether its UPDATE/DELETE tag counts every
 * row such a statement changes (an ordinary table with no triggers — foreign keys with ON DELETE
 * CASCADE are triggers — no rules and no inheritance children), and its columns with a unique,
 * immediate, whole-table index of their own, which pinned to one value reach at most one row.
 */
export function tableFactsSql(reference: string): string {
  return `SELECT c.relkind = 'r' AND NOT c.relhastriggers AND NOT c.relhasrules AND NOT c.relhassubclass,
  pg_catalog.array_to_json(ARRAY(SELECT a.attname::pg_catalog.text FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
    WHERE i.indrelid = c.oid AND i.indisunique AND i.indnatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL
      AND i.indisvalid AND i.indimmediate))
FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass('${reference.replaceAll("'", "''")}')`;
}

/** What `tableFactsSql` answers. */
export interface TableFacts {
  readonly plain: boolean;
  readonly uniqueColumns: ReadonlySet<string>;
}

/** Reads the row `tableFactsSql` answers; undefined when there is none (no such table). */
export function toTableFacts(row: readonly (string | null)[] | undefined): TableFacts | undefined {
  if (row === undefined) return undefined;
  let columns: unknown;
  try {
    columns = JSON.parse(row[1] ?? '[]');
  } catch {
    columns = [];
  }
  const names = Array.isArray(columns)
    ? columns.filter((name): name is string => typeof name === 'string')
    : [];
  return { plain: row[0] === 't', uniqueColumns: new Set(names) };
}
