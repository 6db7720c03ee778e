/**
 * How many rows one statement may change before a human must see it. Guessing reach from the
 * text cannot win (`WHERE id < 1000000000`, `WHERE name <> ''` reach every row and look scoped),
 * so Airlock lets the server run the statement under a savepoint, reads how many rows it changed
 * in which tables, and rolls back and holds it when that is more than these limits allow.
 */

/** Limits for one table. */
export interface TableLimit {
  /** More changed rows than this is held. */
  readonly rows: number;
  /** At least `shareFloor` changed rows that are more than this share of the table is held. */
  readonly share: number;
}

/** The limits of one upstream. */
export interface BlastRadius extends TableLimit {
  /**
   * The share rule applies from this many changed rows: deleting the one row of a one-row table
   * is an everyday statement, emptying a table of thousands is not.
   */
  readonly shareFloor: number;
  /** Limits by table name (as written in statements, or schema-qualified). */
  readonly tables?: Readonly<Record<string, Partial<TableLimit>>>;
}

/** The defaults (`blastRadius` in airlock.yaml overrides them). */
export const DEFAULT_BLAST_RADIUS: BlastRadius = { rows: 1000, share: 0.5, shareFloor: 10 };

/** What one statement changed in one table. */
export interface TableChange {
  /** The table as the statement names it, or as the server names it (`public.users`). */
  readonly table: string;
  /** SQL that names the table in this session (quoted as needed), for counting it. */
  readonly reference: string;
  readonly updated: number;
  readonly deleted: number;
  /** Rows the statement inserted (they count against nothing, but tell the table's size). */
  readonly inserted: number;
}

/** A change over its limit, with the table's size before it when known. */
export interface OverLimit {
  readonly change: TableChange;
  /** The table's rows before the statement; undefined when not counted. */
  readonly tableRows: number | undefined;
  /** More than this many rows in the table (the count stopped there). */
  readonly atLeast: boolean;
}

/** The limit that applies to `table`. */
export function limitFor(radius: BlastRadius, table: string): TableLimit {
  const tables = radius.tables ?? {};
  const own = tables[table] ?? tables[unqualified(table)];
  return { rows: own?.rows ?? radius.rows, share: own?.share ?? radius.share };
}

/** Rows a change loses: overwritten or deleted. */
export function changedRows(change: TableChange): number {
  return change.updated + change.deleted;
}

/** Whether a change is over the row limit alone (no count of the table needed). */
export function overRowLimit(radius: BlastRadius, change: TableChange): boolean {
  return changedRows(change) > limitFor(radius, change.table).rows;
}

/**
 * How many rows of the table (as it is now, inside the savepoint) must be counted to tell
 * whether the change is more than its share of the table before it; undefined when the share
 * rule does not apply. The count stops there, so it costs no more than the change did.
 */
export function shareCountLimit(radius: BlastRadius, change: TableChange): number | undefined {
  const changed = changedRows(change);
  if (changed < radius.shareFloor) return undefined;
  const { share } = limitFor(radius, change.table);
  // before = now + deleted - inserted; over when changed > share × before, i.e. when
  // now < changed / share - deleted + inserted.
  return Math.max(1, Math.ceil(changed / share - change.deleted + change.inserted) + 1);
}

/** Whether a change is more than its share of a table that now holds `rowsNow` rows. */
export function overShare(radius: BlastRadius, change: TableChange, rowsNow: number): boolean {
  const changed = changedRows(change);
  if (changed < radius.shareFloor) return false;
  const before = rowsNow + change.deleted - change.inserted;
  return before <= 0 || changed > limitFor(radius, change.table).share * before;
}

/** "would delete 48,213 of 48,213 rows in users" — what the approver and the agent read. */
export function describeOverLimit(over: OverLimit): string {
  const { change } = over;
  const verb =
    change.deleted > 0 && change.updated === 0
      ? 'delete'
      : change.updated > 0 && change.deleted === 0
        ? 'overwrite'
        : 'change';
  const count = changedRows(change).toLocaleString('en-US');
  const size =
    over.tableRows === undefined
      ? ''
      : ` of ${over.atLeast ? 'more than ' : ''}${over.tableRows.toLocaleString('en-US')}`;
  return `would ${verb} ${count}${size} rows in ${change.table}`;
}

function unqualified(table: string): string {
  const dot = table.lastIndexOf('.');
  return dot < 0 ? table : table.slice(dot + 1);
}
