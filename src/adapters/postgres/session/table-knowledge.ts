import type { Answer } from '../response-sinks.js';
import type { BlastRadius, OverLimit, TableChange } from '../blast-radius.js';
import { limitFor, overRowLimit, overShare, shareCountLimit } from '../blast-radius.js';
import type { TableFacts } from '../row-counts.js';
import {
  boundedCountSql,
  changesBetween,
  tableFactsSql,
  taggedRows,
  toTableFacts,
} from '../row-counts.js';
import type { ClassifiedText, RowCounting } from './classified-text.js';
import type { StatementGate } from './gate.js';
import type { Markers } from './markers.js';

// What a session learnt of a table's triggers and rules is asked again after this long, and at
// once when any session through this proxy ran a statement that may change the catalog.
const TABLE_FACTS_TTL_MS = 10_000;
// A table over the row limit is counted this far, to tell the approver its size.
const TABLE_SIZE_COUNT_LIMIT = 1_000_000;
// A counted statement's answer is held until it is counted; past this it is rolled back and held.
const MAX_HELD_BYTES = 64 * 1024 * 1024;

interface KnownTable {
  readonly facts: TableFacts | undefined;
  readonly epoch: number;
  readonly at: number;
  readonly asking: boolean;
}

/**
 * What one session knows of the tables its statements change (see `tableFactsSql`): whether a
 * table is plain (no triggers or rules) and which columns have a unique index of their own.
 * It decides how a counted statement is counted, which need no count at all, and which changes
 * went over the blast radius (counting the tables where a share decides).
 */
export class TableKnowledge {
  // Tables this session asked about, by SQL reference.
  readonly #known = new Map<string, KnownTable>();

  readonly #push: () => void;
  readonly #blastRadius: BlastRadius;
  readonly #markers: Markers;
  readonly #gate: StatementGate;
  constructor(
    gate: StatementGate,
    markers: Markers,
    blastRadius: BlastRadius,
    /** Writes what the session holds to the upstream. */
    push: () => void,
  ) {
    this.#push = push;
    this.#blastRadius = blastRadius;
    this.#markers = markers;
    this.#gate = gate;
  }

  /** The changes over their limits, counting the tables (inside the savepoint) where a share decides. */
  async overLimits(
    changes: readonly TableChange[],
    extended: boolean,
  ): Promise<OverLimit[] | undefined> {
    const blastRadius = this.#blastRadius;
    const counts = changes.map((change) => {
      const over = overRowLimit(blastRadius, change);
      const limit = over ? TABLE_SIZE_COUNT_LIMIT : shareCountLimit(blastRadius, change);
      if (limit === undefined) return undefined;
      const sql = boundedCountSql(change.reference, limit);
      return {
        over,
        limit,
        sink: extended ? this.#markers.ownExecute(sql, true) : this.#markers.ownQuery(sql, true),
      };
    });
    if (counts.every((count) => count === undefined)) return [];
    if (extended) this.#markers.askFlush();
    this.#push();
    const overs: OverLimit[] = [];
    for (const [index, change] of changes.entries()) {
      const count = counts[index];
      if (count === undefined) continue;
      const answer = await count.sink.answer;
      const now = Number(answer.rows[0]?.[0] ?? Number.NaN);
      // SECURITY: a table that cannot be counted counts as over its limit.
      if (answer.error !== undefined || !Number.isFinite(now)) {
        overs.push({ change, tableRows: undefined, atLeast: false });
        continue;
      }
      const before = now + change.deleted - change.inserted;
      if (count.over || overShare(blastRadius, change, now))
        overs.push({ change, tableRows: before, atLeast: now >= count.limit });
    }
    return overs;
  }

  /** Whether a text's row changes need no counting: none, or each bounded to one row. */
  needsNoCount(classified: ClassifiedText): boolean {
    return classified.counting.by === 'none' || this.boundedToOneRow(classified.counting);
  }

  /**
   * Whether every row change of a text is bounded to one row: a plain table, with a column the
   * WHERE pins to one value that has a unique index of its own. Such a statement need not be
   * counted: it changes at most one row, under any limit. Only from fresh facts; never asks.
   */
  boundedToOneRow(counting: RowCounting): boolean {
    if (counting.by !== 'tags') return false;
    return counting.statements.every((change) => {
      const facts = this.#freshFacts(change.reference);
      // One row is within any limit that lets a row change at all.
      const oneRowAllowed =
        limitFor(this.#blastRadius, change.table).rows >= 1 && this.#blastRadius.shareFloor > 1;
      return (
        oneRowAllowed &&
        facts?.plain === true &&
        change.pinned.some((column) => facts.uniqueColumns.has(column))
      );
    });
  }

  /**
   * Whether a counted statement's changes must be read from the server's statistics: always for
   * statements whose tag cannot tell, and for UPDATE/DELETE of a table that has triggers or rules
   * (a cascade or a trigger changes rows no tag counts) or that this session has not asked about
   * since the catalog last changed — then it asks, for next time (`extended`: inside a batch).
   */
  countsByStatistics(classified: ClassifiedText, extended: boolean): boolean {
    const { counting } = classified;
    if (counting.by !== 'tags') return counting.by === 'statistics';
    let statistics = false;
    for (const change of counting.statements) {
      const facts = this.#tableFacts(change.reference, extended);
      if (facts?.plain !== true) statistics = true;
    }
    return statistics;
  }

  /**
   * What this session knows of a table, if it is fresh; otherwise undefined, and it is asked now
   * for next time (`extended`: inside a batch).
   */
  #tableFacts(reference: string, extended: boolean): TableFacts | undefined {
    const fresh = this.#freshFacts(reference);
    if (fresh !== undefined || this.#known.get(reference)?.asking === true) return fresh;
    const epoch = this.#gate.catalogEpoch;
    this.#known.set(reference, { facts: undefined, epoch, at: 0, asking: true });
    const sql = tableFactsSql(reference);
    const asked = extended
      ? this.#markers.ownExecute(sql, true)
      : this.#markers.ownQuery(sql, true);
    void asked.answer.then((answer) => {
      const facts = answer.error === undefined ? toTableFacts(answer.rows[0]) : undefined;
      if (facts === undefined) this.#known.delete(reference);
      else this.#known.set(reference, { facts, epoch, at: this.#gate.now(), asking: false });
    });
    return undefined;
  }

  /** What this session knows of a table, if it learnt it since the catalog last changed and recently. */
  #freshFacts(reference: string): TableFacts | undefined {
    const known = this.#known.get(reference);
    const fresh =
      known !== undefined &&
      known.epoch === this.#gate.catalogEpoch &&
      this.#gate.now() - known.at < TABLE_FACTS_TTL_MS;
    return fresh ? known.facts : undefined;
  }
}

/**
 * What a counted statement changed, per table: from its CommandComplete tags, or from the
 * server's statistics read around it (`before`, `after`); undefined when that cannot be told
 * (or its held answer grew past `MAX_HELD_BYTES`).
 */
export function countedChanges(
  classified: ClassifiedText,
  answer: Answer,
  heldBytes: number,
  before: Answer | undefined,
  after: Answer | undefined,
): TableChange[] | undefined {
  if (heldBytes > MAX_HELD_BYTES) return undefined;
  const { counting } = classified;
  if (counting.by === 'statistics' || before !== undefined) {
    if (
      before?.how !== 'done' ||
      after?.how !== 'done' ||
      before.error !== undefined ||
      after.error !== undefined
    )
      return undefined;
    return changesBetween(before.rows, after.rows);
  }
  if (counting.by !== 'tags') return [];
  const changes: TableChange[] = [];
  for (const change of counting.statements) {
    const tag = answer.tags[change.statement];
    const rows = tag === undefined ? undefined : taggedRows(tag);
    if (rows === undefined) return answer.error === undefined ? undefined : [];
    changes.push({
      table: change.table,
      reference: change.reference,
      updated: change.kind === 'UPDATE' ? rows : 0,
      deleted: change.kind === 'DELETE' ? rows : 0,
      inserted: 0,
    });
  }
  return changes;
}
