import type { BlastRadius } from '../blast-radius.js';
import { limitFor } from '../blast-radius.js';
import type { TableFacts } from '../row-counts.js';
import { tableFactsSql, toTableFacts } from '../row-counts.js';
import type { ClassifiedText, RowCounting } from './classified-text.js';
import type { StatementGate } from './gate.js';
import type { Markers } from './markers.js';

// What a session learnt of a table's triggers and rules is asked again after this long, and at
// once when any session through this proxy ran a statement that may change the catalog.
const TABLE_FACTS_TTL_MS = 10_000;

interface KnownTable {
  readonly facts: TableFacts | undefined;
  readonly epoch: number;
  readonly at: number;
  readonly asking: boolean;
}

/**
 * What one session knows of the tables its statements change (see `tableFactsSql`): whether a
 * table is plain (no triggers or rules) and which columns have a unique index of their own.
 * It decides how a counted statement is counted, and which need no count at all.
 */
export class TableKnowledge {
  // Tables this session asked about, by SQL reference.
  readonly #known = new Map<string, KnownTable>();

  constructor(
    private readonly gate: StatementGate,
    private readonly markers: Markers,
    private readonly blastRadius: BlastRadius,
  ) {}

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
      const oneRowAllowed = limitFor(this.blastRadius, change.table).rows >= 1 && this.blastRadius.shareFloor > 1;
      return oneRowAllowed && facts?.plain === true && change.pinned.some((column) => facts.uniqueColumns.has(column));
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
    const epoch = this.gate.catalogEpoch;
    this.#known.set(reference, { facts: undefined, epoch, at: 0, asking: true });
    const sql = tableFactsSql(reference);
    const asked = extended ? this.markers.ownExecute(sql, true) : this.markers.ownQuery(sql, true);
    void asked.answer.then((answer) => {
      const facts = answer.error === undefined ? toTableFacts(answer.rows[0]) : undefined;
      if (facts === undefined) this.#known.delete(reference);
      else this.#known.set(reference, { facts, epoch, at: this.gate.now(), asking: false });
    });
    return undefined;
  }

  /** What this session knows of a table, if it learnt it since the catalog last changed and recently. */
  #freshFacts(reference: string): TableFacts | undefined {
    const known = this.#known.get(reference);
    const fresh = known !== undefined && known.epoch === this.gate.catalogEpoch && this.gate.now() - known.at < TABLE_FACTS_TTL_MS;
    return fresh ? known.facts : undefined;
  }
}
