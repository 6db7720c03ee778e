import { isPlainQueryShape, isReusableWriteShape, literalKey, pinnedColumns, sqlShape } from '../../classify/index.js';
import type { Action, Decision, JsonValue, Principal } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import type { Firewall } from '../../firewall/index.js';
import { DecisionReuse } from '../../firewall/index.js';
import { scrubText, toShownRequest } from '../shared/index.js';
import type { OverLimit } from './blast-radius.js';
import { changedRows, describeOverLimit } from './blast-radius.js';
import { destroyingNothing } from './destroys-nothing.js';
import { withEnvironment } from './environment.js';
import { tableReference } from './row-counts.js';

/** Classifies SQL text into actions; `classifySqlText` from the SQL classifier in production. */
export type SqlClassifier = (sql: string, upstream: string) => Promise<Action[]>;

/** A statement text as judged: its actions and the digest an approval binds to. */
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

/** The outcome of judging one statement text for one session. */
export interface StatementJudgment {
  readonly classified: ClassifiedText;
  readonly decision: Decision;
  /** Whom the decision was for; undefined when nobody was authenticated. */
  readonly principal?: Principal | undefined;
}

const CLASSIFICATION_CACHE_SIZE = 4096;
const SHAPE_CACHE_SIZE = 4096;
// Longer texts are judged in full every time: a few huge texts must not fill memory.
const MAX_SHAPED_TEXT_CHARS = 8192;
// Texts whose shape is remembered by exact text (at most SHAPE_CACHE_SIZE of them).
const MAX_MEMO_TEXT_CHARS = 2048;

/** What is known of a shape: whether its reads may reuse a decision, and one classification. */
interface ShapeFacts {
  readonly reusable: boolean;
  readonly classified: ClassifiedText;
  /** The shape as the audit log shows it: PostgreSQL's normalized text, scrubbed. */
  readonly recordedAs: string;
}

/**
 * Classifies statement texts (cached by exact text: the classifier is pure, so the same text
 * always gives the same actions) and judges them through the firewall. One per upstream.
 *
 * The hot path (`reused`): a text whose shape (constants as parameters) is a plain read query,
 * run again by the same token within `DECISION_REUSE_LIFETIME_MS` of a recorded allow for that
 * shape, reuses that allow and is counted in the audit log (`decision.reused`) instead of being
 * judged anew. A text that is not such a read, or any doubt, takes the full path (`judge`).
 */
export class StatementJudge {
  readonly #cache = new Map<string, Promise<ClassifiedText>>();
  readonly #shapes = new Map<string, ShapeFacts>();
  // Texts the fast key refuses, with their normalized shapes: a client that sends one
  // parameterized text again and again (the extended protocol) is normalized once.
  readonly #normalized = new Map<string, string | undefined>();
  readonly #reuse: DecisionReuse;

  constructor(
    private readonly upstream: string,
    private readonly firewall: Firewall,
    private readonly classify: SqlClassifier,
    private readonly environment?: string,
  ) {
    this.#reuse = new DecisionReuse(firewall, { surface: 'sql' });
  }

  #catalogEpoch = 0;

  /**
   * Bumped whenever an allowed statement may change the catalog (DDL, anything unknown): what
   * sessions learnt about tables' triggers and rules is asked again after it.
   */
  get catalogEpoch(): number {
    return this.#catalogEpoch;
  }

  /** Writes the reuse counts still pending and stops reusing decisions. */
  close(): Promise<void> {
    return this.#reuse.close();
  }

  /** The cached classification of a text. */
  classified(sql: string): Promise<ClassifiedText> {
    // Long texts are classified every time: a few huge texts must not fill memory.
    if (sql.length > MAX_SHAPED_TEXT_CHARS) return this.#classifyNow(sql);
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
   * A recorded allow of `sql`'s shape that the session holding `token` may reuse now, counted
   * in the audit log; undefined when `sql` must be judged in full with `judge`. Synchronous.
   */
  reused(token: string, sql: string): StatementJudgment | undefined {
    const key = this.#shapeKey(sql);
    const facts = key === undefined ? undefined : this.#shapes.get(key);
    if (key === undefined || facts?.reusable !== true) return undefined;
    const reused = this.#reuse.reuse(token, key);
    if (reused === undefined) return undefined;
    return { classified: new ReusedShape(this.upstream, sql, facts.classified), decision: reused.decision, principal: reused.principal };
  }

  /**
   * Classifies and judges `sql` for the session holding `token` in full, and remembers an
   * allowed plain read for `reused`; never throws. Callers try `reused` first.
   */
  async judge(token: string, sql: string, prepared?: string): Promise<StatementJudgment | undefined> {
    let classified: ClassifiedText;
    try {
      classified = prepared === undefined ? await this.classified(sql) : await this.#classifiedAfter(prepared, sql);
    } catch {
      return undefined;
    }
    const shown = () => toShownRequest(classified.actions, { sql }, [token]);
    const { decision, principal } = await this.firewall.judge({ token, surface: 'sql', digest: classified.digest, actions: classified.actions, shown });
    if (decision.verdict === 'allow' && classified.actions.some((action) => !CATALOG_KEEPING_OPERATIONS.has(action.operation))) this.#catalogEpoch++;
    const key = this.#shapeKey(sql);
    if (key !== undefined && decision.verdict === 'allow') {
      const facts = this.#shapes.get(key) ?? this.#learnShape(key, sql, classified, token);
      if (facts?.reusable === true) this.#reuse.remember(token, key, facts.recordedAs, decision, principal);
    }
    return { classified, decision, principal };
  }

  /**
   * Counts one more execution of a prepared statement that runs on the decision its Parse got
   * (see `DecisionReuse.tally`); false when it cannot be counted and must be judged in full.
   */
  countExecution(token: string, sql: string, decision: Decision, principal: Principal | undefined): boolean {
    return this.#reuse.tally(token, sql, () => scrubText(sqlShape(sql) ?? 'unparsed statement', [token]), decision, principal);
  }

  /**
   * Judges again a text the server found changing more rows than the limits allow, as the
   * destructive statement it turned out to be: every action that overwrites or deletes rows
   * becomes destructive, and each table over its limit is named with what the statement would
   * do to it. A human sees that; an approval of this exact text lets it run once. Never throws.
   */
  async judgeOverLimit(token: string, classified: ClassifiedText, overs: readonly OverLimit[]): Promise<StatementJudgment | undefined> {
    const measured: Action[] = overs.map((over) => ({
      upstream: this.upstream,
      surface: 'sql',
      operation: 'ROWS CHANGED',
      effect: 'destructive',
      reversible: false,
      targets: [{ type: 'table', id: over.change.table, ...(this.environment === undefined ? {} : { environment: this.environment }), attrs: { rows: changedRows(over.change), ...(over.tableRows === undefined ? {} : { tableRows: over.tableRows }), measured: describeOverLimit(over) } }],
      digest: classified.digest,
    }));
    const actions = [...classified.actions.map((action) => (action.effect === 'write' && !action.reversible ? { ...action, effect: 'destructive' as const } : action)), ...measured];
    return this.#judgeAs(token, { ...classified, actions, destroys: true, counting: NO_COUNTING }, { measured: overs.map(describeOverLimit) });
  }

  /**
   * Judges a destructive text the server showed to destroy nothing (`destructionProbe`) as the
   * write it turned out to be. Never throws.
   */
  async judgeDestroyingNothing(token: string, classified: ClassifiedText, found: string): Promise<StatementJudgment | undefined> {
    const actions = destroyingNothing(classified.actions, found);
    return this.#judgeAs(token, { ...classified, actions, destroys: false, counting: NO_COUNTING }, { found });
  }

  /**
   * Judges a text as what the server showed it to be (`classified`, with the approver shown
   * `details` beside the text); never throws.
   */
  async #judgeAs(token: string, classified: ClassifiedText, details: { readonly [key: string]: JsonValue }): Promise<StatementJudgment | undefined> {
    const { actions, digest, sql } = classified;
    try {
      const shown = () => toShownRequest(actions, { sql, ...details }, [token]);
      const { decision, principal } = await this.firewall.judge({ token, surface: 'sql', digest, actions, shown });
      return { classified, decision, principal };
    } catch {
      return undefined;
    }
  }

  /** Gives back an approval `decision` spent on a statement that then did not run. */
  async returnApproval(decision: Decision, reason: string): Promise<boolean> {
    return decision.approval?.id !== undefined && (await this.firewall.returnApproval(decision, reason));
  }

  /** Judges an opaque request (a fast-path FunctionCall) as one action of unknown effect. */
  async judgeOpaque(token: string, operation: string, payload: Buffer): Promise<Decision> {
    const digest = digestRequest({ surface: 'sql', upstream: this.upstream, operation, payload: payload.toString('base64') });
    const action: Action = { upstream: this.upstream, surface: 'sql', operation, effect: 'unknown', reversible: false, targets: [], digest };
    return (await this.firewall.judge({ token, surface: 'sql', digest, actions: [action] })).decision;
  }

  /**
   * The key texts of one shape share: the fast literal key where it answers, else PostgreSQL's
   * normalized text (the two cannot collide: only the first has control characters in it).
   */
  #shapeKey(sql: string): string | undefined {
    const fast = literalKey(sql);
    if (fast !== undefined) return fast;
    if (sql.length > MAX_SHAPED_TEXT_CHARS) return undefined;
    if (this.#normalized.has(sql)) return this.#normalized.get(sql);
    const shape = sqlShape(sql);
    if (sql.length <= MAX_MEMO_TEXT_CHARS) {
      if (this.#normalized.size >= SHAPE_CACHE_SIZE) this.#normalized.clear();
      this.#normalized.set(sql, shape);
    }
    return shape;
  }

  /**
   * A shape may reuse decisions when it is a plain query (its judgment cannot depend on its
   * constants) and this text of it only reads.
   */
  #learnShape(key: string, sql: string, classified: ClassifiedText, token: string): ShapeFacts | undefined {
    const shape = sqlShape(sql);
    if (shape === undefined) return undefined;
    const reads = classified.actions.length > 0 && classified.actions.every((action) => action.effect === 'read');
    const writes = classified.actions.length > 0 && classified.actions.every((action) => action.effect === 'read' || action.effect === 'write');
    // Writes too: the rows each run changes are counted by the session whatever its judgment.
    const reusable = (reads && isPlainQueryShape(sql)) || (writes && classified.counting.by !== 'unmeasurable' && isReusableWriteShape(shape));
    // SECURITY: the audit log keeps the shape, which has no constants; the token is scrubbed in
    // case an agent wrote it into the text.
    const facts = { reusable, classified, recordedAs: scrubText(shape, [token]) };
    if (this.#shapes.size >= SHAPE_CACHE_SIZE) this.#shapes.clear();
    this.#shapes.set(key, facts);
    return facts;
  }

  /**
   * `sql` (an SQL-level `EXECUTE name …`) judged as what the session's earlier `PREPARE name AS …`
   * (`prepared`) made it: the two are classified as one text, so the classifier sees what the
   * EXECUTE runs; the actions and digest are the EXECUTE's own.
   */
  async #classifiedAfter(prepared: string, sql: string): Promise<ClassifiedText> {
    const together = await this.classified(`${prepared};\n${sql}`);
    const actions = together.actions.slice(1);
    // INVARIANT: the PREPARE text is one statement, so everything after its action is the EXECUTE's.
    if (actions.length === 0) throw new Error('the prepared text did not classify as one statement');
    return this.#classifiedText(sql, actions);
  }

  async #classifyNow(sql: string): Promise<ClassifiedText> {
    // INVARIANT: actions name the upstream as configured, which is what grants list.
    const classified = (await this.classify(sql, this.upstream)).map((action) => ({ ...action, upstream: this.upstream }));
    return this.#classifiedText(sql, withEnvironment(classified, this.environment));
  }

  /** A text with its actions: whether it may destroy, and how the rows it changes are counted. */
  #classifiedText(sql: string, actions: readonly Action[]): ClassifiedText {
    const destroys = actions.some((action) => action.effect === 'destructive' || action.effect === 'unknown');
    return { sql, digest: sqlDigest(this.upstream, sql), actions, destroys, counting: destroys ? NO_COUNTING : withPinnedColumns(rowCounting(actions), sql) };
  }
}

/**
 * A text judged by its shape: the shape's actions and row counting (a reusable shape names the
 * same tables whatever its constants); its digest computed only if asked (nothing reused binds
 * an approval).
 */
class ReusedShape implements ClassifiedText {
  readonly destroys = false;
  readonly actions: readonly Action[];
  readonly counting: RowCounting;

  constructor(
    private readonly upstream: string,
    readonly sql: string,
    shape: ClassifiedText,
  ) {
    this.actions = shape.actions;
    this.counting = shape.counting;
  }

  get digest(): string {
    return sqlDigest(this.upstream, this.sql);
  }
}

/** The digest an approval of `sql` on `upstream` binds to. */
function sqlDigest(upstream: string, sql: string): string {
  return digestRequest({ surface: 'sql', upstream, sql });
}

const NO_COUNTING: RowCounting = { by: 'none' };

/** Tagged changes with the columns their WHERE pins (see `pinnedColumns`). */
function withPinnedColumns(counting: RowCounting, sql: string): RowCounting {
  if (counting.by !== 'tags') return counting;
  const pinned = pinnedColumns(sql);
  return { by: 'tags', statements: counting.statements.map((change) => ({ ...change, pinned: pinned[change.statement] ?? [] })) };
}

// Operations that cannot add a trigger or rule to a table; anything else (DDL, an unknown
// function, a DO block) may, so what sessions know of tables is asked again.
const CATALOG_KEEPING_OPERATIONS: ReadonlySet<string> = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY FROM', 'COPY TO', 'EXPLAIN', 'EMPTY', 'SHOW', 'SET', 'RESET',
  'BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'ROLLBACK TO', 'LOCK', 'VACUUM', 'ANALYZE', 'LISTEN', 'UNLISTEN', 'NOTIFY',
]);

/** Operations (as the SQL classifier names them) that start, end or name transactions. */
export const TRANSACTION_OPERATIONS: ReadonlySet<string> = new Set(['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'ROLLBACK TO', 'PREPARE', 'COMMIT PREPARED', 'ROLLBACK PREPARED']);

// Statements a savepoint of Airlock's cannot sit beside: they end, start or name transactions,
// or hand the connection to a COPY sub-protocol whose answer cannot wait for a count.
const UNWRAPPABLE_OPERATIONS: ReadonlySet<string> = new Set([...TRANSACTION_OPERATIONS, 'COPY FROM', 'COPY TO']);

/** How the rows the statements of one text change are counted (one action per statement). */
export function rowCounting(actions: readonly Action[]): RowCounting {
  const tagged: TaggedChange[] = [];
  let statistics = false;
  actions.forEach((action, statement) => {
    // A write that cannot be undone overwrites or deletes rows (see the SQL classifier's loseRows);
    // a PREPARE is judged as what it prepares but runs nothing: its EXECUTE is counted.
    if (action.effect !== 'write' || action.reversible || action.operation === 'PREPARE') return;
    const changed = action.targets.filter((target) => target.attrs['rows'] !== undefined);
    const only = changed[0];
    if ((action.operation === 'UPDATE' || action.operation === 'DELETE') && changed.length === 1 && only !== undefined) {
      tagged.push({ statement, kind: action.operation, table: only.id, reference: tableReference(only.id), pinned: [] });
    } else statistics = true;
  });
  if (!statistics && tagged.length === 0) return NO_COUNTING;
  const unwrappable = actions.find((action) => UNWRAPPABLE_OPERATIONS.has(action.operation));
  if (unwrappable !== undefined) {
    return { by: 'unmeasurable', why: `it changes rows in the same message as ${unwrappable.operation}; send them as separate statements` };
  }
  return statistics ? { by: 'statistics' } : { by: 'tags', statements: tagged };
}
