import { pinnedColumns } from '../../../classify/index.js';
import type { Action } from '../../../core/index.js';
import { digestRequest } from '../../../core/index.js';
import { withEnvironment } from '../environment.js';
import { tableReference } from '../row-counts.js';

/** Classifies SQL text into actions; `classifySqlText` from the SQL classifier in production. */
export type SqlClassifier = (sql: string, upstream: string) => Promise<Action[]>;

/** A statement text as classified: its actions and the digest an approval binds to. */
export interface ClassifiedText {
  readonly sql: string;
  readonly digest: string;
  readonly actions: readonly Action[];
  /** Something in it may destroy data (or cannot be known not to): snapshot before it runs. */
  readonly destroys: boolean;
  /** How Airlock counts the rows it changes before letting it stand (see `RowCounting`). */
  readonly counting: RowCounting;
}

/**
 * How the rows a statement text changes are counted. `none`: it changes no rows it could lose
 * (reads, inserts, DDL judged on its own). `tags`: each statement that loses rows is a plain
 * UPDATE or DELETE of one table, whose CommandComplete tag says how many rows it changed.
 * `statistics`: anything else that overwrites or deletes rows (data-modifying CTEs, MERGE,
 * INSERT … ON CONFLICT DO UPDATE, EXECUTE of a prepared one); the server's per-transaction
 * statistics are read before and after. `unmeasurable`: it changes rows beside something that
 * Airlock's savepoint cannot wrap (transaction control, COPY); it is refused.
 */
export type RowCounting =
  | { readonly by: 'none' }
  | { readonly by: 'tags'; readonly statements: readonly TaggedChange[] }
  | { readonly by: 'statistics' }
  | { readonly by: 'unmeasurable'; readonly why: string };

/** A plain UPDATE or DELETE of one table, the `statement`-th of its text. */
export interface TaggedChange {
  readonly statement: number;
  readonly kind: 'UPDATE' | 'DELETE';
  /** The table as the classifier names it. */
  readonly table: string;
  /** SQL naming it in the session (`tableReference`). */
  readonly reference: string;
  /** Columns its WHERE pins to one value (`aid = 5`): a unique one bounds it to one row. */
  readonly pinned: readonly string[];
}

/** Counting for a text that changes no rows it could lose. */
export const NO_COUNTING: RowCounting = { by: 'none' };

const CLASSIFICATION_CACHE_SIZE = 4096;
/** Longer texts are classified every time: a few huge texts must not fill memory. */
export const MAX_CACHED_TEXT_CHARS = 8192;

/**
 * Classifies statement texts for one upstream, cached by exact text: the classifier is pure, so
 * the same text always gives the same actions.
 */
export class TextClassifier {
  readonly #cache = new Map<string, Promise<ClassifiedText>>();

  readonly #environment: string | undefined;
  readonly #classify: SqlClassifier;
  readonly #upstream: string;
  constructor(upstream: string, classify: SqlClassifier, environment: string | undefined) {
    this.#environment = environment;
    this.#classify = classify;
    this.#upstream = upstream;
  }

  /** The cached classification of a text. */
  classified(sql: string): Promise<ClassifiedText> {
    if (sql.length > MAX_CACHED_TEXT_CHARS) return this.#classifyNow(sql);
    const cached = this.#cache.get(sql);
    if (cached !== undefined) return cached;
    const fresh = this.#classifyNow(sql);
    if (this.#cache.size >= CLASSIFICATION_CACHE_SIZE) this.#cache.clear();
    this.#cache.set(sql, fresh);
    // A failed classification is not cached: the next attempt tries again.
    fresh.catch(() => this.#cache.delete(sql));
    return fresh;
  }

  /**
   * `sql` (an SQL-level `EXECUTE name …`) classified as what the session's earlier `PREPARE name
   * AS …` (`prepared`) made it: the two are classified as one text, so the classifier sees what
   * the EXECUTE runs; the actions and digest are the EXECUTE's own.
   */
  async classifiedAfter(prepared: string, sql: string): Promise<ClassifiedText> {
    const together = await this.classified(`${prepared};\n${sql}`);
    const actions = together.actions.slice(1);
    // INVARIANT: the PREPARE text is one statement, so everything after its action is the EXECUTE's.
    if (actions.length === 0)
      throw new Error('the prepared text did not classify as one statement');
    return this.#classifiedText(sql, actions);
  }

  /** A text classified as its shape was (a reusable shape names the same tables whatever its constants). */
  asShape(sql: string, shape: ClassifiedText): ClassifiedText {
    return new ReusedShape(this.#upstream, sql, shape);
  }

  /** The digest an approval of `sql` binds to. */
  digest(sql: string): string {
    return sqlDigest(this.#upstream, sql);
  }

  async #classifyNow(sql: string): Promise<ClassifiedText> {
    // INVARIANT: actions name the upstream as configured, which is what grants list.
    const classified = (await this.#classify(sql, this.#upstream)).map((action) => ({
      ...action,
      upstream: this.#upstream,
    }));
    return this.#classifiedText(sql, withEnvironment(classified, this.#environment));
  }

  /** A text with its actions: whether it may destroy, and how the rows it changes are counted. */
  #classifiedText(sql: string, actions: readonly Action[]): ClassifiedText {
    const destroys = actions.some(
      (action) => action.effect === 'destructive' || action.effect === 'unknown',
    );
    return {
      sql,
      digest: sqlDigest(this.#upstream, sql),
      actions,
      destroys,
      counting: destroys ? NO_COUNTING : withPinnedColumns(rowCounting(actions), sql),
    };
  }
}

/**
 * A text judged by its shape: the shape's actions and row counting; its digest computed only if
 * asked (nothing reused binds an approval).
 */
class ReusedShape implements ClassifiedText {
  readonly destroys = false;
  readonly actions: readonly Action[];
  readonly counting: RowCounting;

  readonly #upstream: string;
  constructor(
    upstream: string,
    readonly sql: string,
    shape: ClassifiedText,
  ) {
    this.#upstream = upstream;
    this.actions = shape.actions;
    this.counting = shape.counting;
  }

  get digest(): string {
    return sqlDigest(this.#upstream, this.sql);
  }
}

/** The digest an approval of `sql` on `upstream` binds to. */
function sqlDigest(upstream: string, sql: string): string {
  return digestRequest({ surface: 'sql', upstream, sql });
}

/** Tagged changes with the columns their WHERE pins (see `pinnedColumns`). */
function withPinnedColumns(counting: RowCounting, sql: string): RowCounting {
  if (counting.by !== 'tags') return counting;
  const pinned = pinnedColumns(sql);
  return {
    by: 'tags',
    statements: counting.statements.map((change) => ({
      ...change,
      pinned: pinned[change.statement] ?? [],
    })),
  };
}

/** Operations (as the SQL classifier names them) that start, end or name transactions. */
export const TRANSACTION_OPERATIONS: ReadonlySet<string> = new Set([
  'BEGIN',
  'START',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
  'ROLLBACK TO',
  'PREPARE',
  'COMMIT PREPARED',
  'ROLLBACK PREPARED',
]);

// Statements a savepoint of Airlock's cannot sit beside: they end, start or name transactions,
// or hand the connection to a COPY sub-protocol whose answer cannot wait for a count.
const UNWRAPPABLE_OPERATIONS: ReadonlySet<string> = new Set([
  ...TRANSACTION_OPERATIONS,
  'COPY FROM',
  'COPY TO',
]);

/** How the rows the statements of one text change are counted (one action per statement). */
function rowCounting(actions: readonly Action[]): RowCounting {
  const tagged: TaggedChange[] = [];
  let statistics = false;
  actions.forEach((action, statement) => {
    // A write that cannot be undone overwrites or deletes rows (see the SQL classifier's loseRows);
    // a PREPARE is judged as what it prepares but runs nothing: its EXECUTE is counted.
    if (action.effect !== 'write' || action.reversible || action.operation === 'PREPARE') return;
    const changed = action.targets.filter((target) => target.attrs['rows'] !== undefined);
    const only = changed[0];
    if (
      (action.operation === 'UPDATE' || action.operation === 'DELETE') &&
      changed.length === 1 &&
      only !== undefined
    ) {
      tagged.push({
        statement,
        kind: action.operation,
        table: only.id,
        reference: tableReference(only.id),
        pinned: [],
      });
    } else statistics = true;
  });
  if (!statistics && tagged.length === 0) return NO_COUNTING;
  const unwrappable = actions.find((action) => UNWRAPPABLE_OPERATIONS.has(action.operation));
  if (unwrappable !== undefined) {
    return {
      by: 'unmeasurable',
      why: `it changes rows in the same message as ${unwrappable.operation}; send them as separate statements`,
    };
  }
  return statistics ? { by: 'statistics' } : { by: 'tags', statements: tagged };
}
