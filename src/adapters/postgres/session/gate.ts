import { createSqlReuseKeys, sqlShapeFacts } from '../../../classify/index.js';
import type { Action, Clock, Decision, JsonValue, Principal } from '../../../core/index.js';
import { digestRequest } from '../../../core/index.js';
import type { AgentSession, Firewall, ReuseScope } from '../../../firewall/index.js';
import { scrubText, toShownRequest } from '../../shared/index.js';
import type { OverLimit } from '../blast-radius.js';
import { changedRows, describeOverLimit } from '../blast-radius.js';
import { destroyingNothing } from '../destroys-nothing.js';
import type { ClassifiedText, SqlClassifier } from './classified-text.js';
import { NO_COUNTING, TextClassifier } from './classified-text.js';
import type { AllowedStatement } from './statements.js';

/** What one upstream's gate needs. */
export interface StatementGateOptions {
  /** The upstream's configured name; actions carry it, and grants name it. */
  readonly upstream: string;
  readonly firewall: Firewall;
  readonly classify: SqlClassifier;
  /** The environment everything behind this upstream lives in; unset counts as production. */
  readonly environment: string | undefined;
  /** Times the recheck of prepared statements and what sessions learnt of tables. */
  readonly clock: Clock;
}

/** A statement text that went through the gate: its classification and the firewall's decision. */
export interface GatedStatement {
  readonly classified: ClassifiedText;
  readonly decision: Decision;
  /** Whom the decision was for; undefined when nobody was authenticated. */
  readonly principal?: Principal | undefined;
}

// A read or write statement prepared once is judged again at Execute after this long, so that a
// revoked or expired token stops a long-lived session's prepared statements too.
const RECHECK_AFTER_MS = 1_000;

const SHAPE_CACHE_SIZE = 4096;

/** What is known of a shape: whether its reads may reuse a decision, and one classification. */
interface ShapeFacts {
  readonly reusable: boolean;
  readonly classified: ClassifiedText;
  /** The shape as the audit log shows it: PostgreSQL's normalized text, scrubbed. */
  readonly recordedAs: string;
}

/**
 * The PostgreSQL guard's gate, one per upstream: classifies statement texts (`TextClassifier`)
 * and has the firewall judge them, for every session through the upstream.
 *
 * Every judgment is for the connection's `AgentSession` (authenticated once, at connect). The
 * hot path (`reused`): a text whose shape (constants as parameters) is a plain read query or a
 * reusable write, run again by the same token within `DECISION_REUSE_LIFETIME_MS` of a recorded
 * allow for that shape, reuses that allow and is counted in the audit log (`decision.reused`)
 * instead of being judged anew; the firewall keeps and counts those allows (in this upstream's
 * `ReuseScope`), the gate says which shapes may reuse one. A text that is not such a shape, or
 * any doubt, takes the full path (`judge`). A prepared statement runs on its Parse's decision
 * for `RECHECK_AFTER_MS` on the injected clock.
 */
export class StatementGate {
  readonly #texts: TextClassifier;
  readonly #shapes = new Map<string, ShapeFacts>();
  // Texts the fast key refuses, with their normalized shapes: a client that sends one
  // parameterized text again and again (the extended protocol) is normalized once.
  // The key texts of one shape share (`sqlReuseKey`), with recent texts' shapes remembered.
  readonly #shapeKey = createSqlReuseKeys();
  readonly #scope: ReuseScope;
  readonly #upstream: string;
  readonly #firewall: Firewall;
  readonly #environment: string | undefined;
  readonly #clock: Clock;
  #catalogEpoch = 0;

  constructor(options: StatementGateOptions) {
    this.#upstream = options.upstream;
    this.#firewall = options.firewall;
    this.#environment = options.environment;
    this.#clock = options.clock;
    this.#texts = new TextClassifier(options.upstream, options.classify, options.environment);
    this.#scope = { surface: 'sql', upstream: options.upstream };
  }

  /**
   * Bumped whenever an allowed statement may change the catalog (DDL, anything unknown): what
   * sessions learnt about tables' triggers and rules is asked again after it.
   */
  get catalogEpoch(): number {
    return this.#catalogEpoch;
  }

  /** Now, on the injected clock. */
  now(): number {
    return this.#clock.now();
  }

  /** Writes the reuse counts still pending and stops reusing decisions. */
  close(): Promise<void> {
    return this.#firewall.endReuse(this.#scope);
  }

  /** The cached classification of a text. */
  classified(sql: string): Promise<ClassifiedText> {
    return this.#texts.classified(sql);
  }

  /**
   * A recorded allow of `sql`'s shape that the connection `who` may reuse now, counted in the
   * audit log; undefined when `sql` must be judged in full with `judge`. Synchronous.
   */
  reused(who: AgentSession, sql: string): GatedStatement | undefined {
    const key = this.#shapeKey(sql);
    const facts = key === undefined ? undefined : this.#shapes.get(key);
    if (key === undefined || facts?.reusable !== true) return undefined;
    const reused = this.#firewall.reused(this.#scope, key, who);
    if (reused === undefined) return undefined;
    return {
      classified: this.#texts.asShape(sql, facts.classified),
      decision: reused.decision,
      principal: reused.principal,
    };
  }

  /**
   * Classifies and judges `sql` for the connection `who` in full; the firewall remembers an
   * allow of a reusable shape for `reused`. `prepared` is the session's `PREPARE` text an
   * SQL-level `EXECUTE` runs. Never throws: undefined when it could not be judged. Callers try
   * `reused` first.
   */
  async judge(
    who: AgentSession,
    sql: string,
    prepared?: string,
  ): Promise<GatedStatement | undefined> {
    try {
      return await this.#judgeText(who, sql, prepared);
    } catch {
      return undefined;
    }
  }

  async #judgeText(
    who: AgentSession,
    sql: string,
    prepared: string | undefined,
  ): Promise<GatedStatement> {
    const classified =
      prepared === undefined
        ? await this.#texts.classified(sql)
        : await this.#texts.classifiedAfter(prepared, sql);
    const { token } = who;
    const shown = () => toShownRequest(classified.actions, { sql }, [token]);
    // The shape's facts are known before judging, so that an allow of a reusable one is
    // remembered with it; they are kept for `reused` only once an allow was recorded.
    const key = this.#shapeKey(sql);
    const facts =
      key === undefined ? undefined : (this.#shapes.get(key) ?? shapeFacts(sql, classified, token));
    const reuse =
      key !== undefined && facts?.reusable === true
        ? { reuseKey: key, reuseShape: facts.recordedAs }
        : {};
    const { decision, principal } = await this.#firewall.judge(
      { surface: 'sql', digest: classified.digest, actions: classified.actions, shown, ...reuse },
      who,
    );
    if (
      decision.verdict === 'allow' &&
      classified.actions.some((action) => !CATALOG_KEEPING_OPERATIONS.has(action.operation))
    )
      this.#catalogEpoch++;
    if (
      key !== undefined &&
      facts !== undefined &&
      decision.verdict === 'allow' &&
      !this.#shapes.has(key)
    )
      this.#rememberShape(key, facts);
    return { classified, decision, principal };
  }

  /** Whether a prepared statement was allowed (judged or counted) within the recheck interval. */
  recentlyJudged(statement: AllowedStatement): boolean {
    return this.#clock.now() - statement.judgedAt < RECHECK_AFTER_MS;
  }

  /** Marks a prepared statement allowed now: it runs on that decision for the recheck interval. */
  markJudged(statement: AllowedStatement): void {
    statement.judgedAt = this.#clock.now();
  }

  /**
   * Whether an Execute of a read or write may run on a decision already recorded, counted in the
   * audit log: the Parse's own, within the recheck interval, or a reused allow of its shape.
   */
  runsOnEarlierDecision(who: AgentSession, statement: AllowedStatement): boolean {
    if (this.recentlyJudged(statement)) return this.#countExecution(who, statement);
    if (this.reused(who, statement.classified.sql) === undefined) return false;
    this.markJudged(statement);
    return true;
  }

  /**
   * Counts one more execution of a prepared statement that runs on the decision its Parse got
   * (see `Firewall.tally`); false when it cannot be counted and must be judged in full.
   */
  #countExecution(who: AgentSession, statement: AllowedStatement): boolean {
    const { sql } = statement.classified;
    return this.#firewall.tally(
      this.#scope,
      sql,
      () =>
        scrubText(sqlShapeFacts(sql, statement.classified.actions)?.shape ?? 'unparsed statement', [
          who.token,
        ]),
      statement,
      who,
    );
  }

  /**
   * Judges again a text the server found changing more rows than the limits allow, as the
   * destructive statement it turned out to be: every action that overwrites or deletes rows
   * becomes destructive, and each table over its limit is named with what the statement would
   * do to it. A human sees that; an approval of this exact text lets it run once. Never throws.
   */
  async judgeOverLimit(
    who: AgentSession,
    classified: ClassifiedText,
    overs: readonly OverLimit[],
  ): Promise<GatedStatement | undefined> {
    const environment = this.#environment;
    const measured: Action[] = overs.map((over) => ({
      upstream: this.#upstream,
      surface: 'sql',
      operation: 'ROWS CHANGED',
      effect: 'destructive',
      reversible: false,
      targets: [
        {
          type: 'table',
          id: over.change.table,
          ...(environment === undefined ? {} : { environment }),
          attrs: {
            rows: changedRows(over.change),
            ...(over.tableRows === undefined ? {} : { tableRows: over.tableRows }),
            measured: describeOverLimit(over),
          },
        },
      ],
      digest: classified.digest,
    }));
    const actions = [
      ...classified.actions.map((action) =>
        action.effect === 'write' && !action.reversible
          ? { ...action, effect: 'destructive' as const }
          : action,
      ),
      ...measured,
    ];
    return this.#judgeAs(
      who,
      { ...classified, actions, destroys: true, counting: NO_COUNTING },
      { measured: overs.map(describeOverLimit) },
    );
  }

  /**
   * Judges a destructive text the server showed to destroy nothing (`destructionProbe`) as the
   * write it turned out to be. Never throws.
   */
  async judgeDestroyingNothing(
    who: AgentSession,
    classified: ClassifiedText,
    found: string,
  ): Promise<GatedStatement | undefined> {
    const actions = destroyingNothing(classified.actions, found);
    return this.#judgeAs(
      who,
      { ...classified, actions, destroys: false, counting: NO_COUNTING },
      { found },
    );
  }

  /**
   * Judges a text as what the server showed it to be (`classified`, with the approver shown
   * `details` beside the text); never throws.
   */
  async #judgeAs(
    who: AgentSession,
    classified: ClassifiedText,
    details: { readonly [key: string]: JsonValue },
  ): Promise<GatedStatement | undefined> {
    const { actions, digest, sql } = classified;
    try {
      const shown = () => toShownRequest(actions, { sql, ...details }, [who.token]);
      const { decision, principal } = await this.#firewall.judge(
        { surface: 'sql', digest, actions, shown },
        who,
      );
      return { classified, decision, principal };
    } catch {
      return undefined;
    }
  }

  /** Gives back an approval `decision` spent on a statement that then did not run. */
  async returnApproval(decision: Decision, reason: string): Promise<boolean> {
    return (
      decision.approval?.id !== undefined && (await this.#firewall.returnApproval(decision, reason))
    );
  }

  /** Judges an opaque request (a fast-path FunctionCall) as one action of unknown effect; undefined when it could not be judged. */
  async judgeOpaque(
    who: AgentSession,
    operation: string,
    payload: Buffer,
  ): Promise<Decision | undefined> {
    try {
      const digest = digestRequest({
        surface: 'sql',
        upstream: this.#upstream,
        operation,
        payload: payload.toString('base64'),
      });
      const action: Action = {
        upstream: this.#upstream,
        surface: 'sql',
        operation,
        effect: 'unknown',
        reversible: false,
        targets: [],
        digest,
      };
      return (await this.#firewall.judge({ surface: 'sql', digest, actions: [action] }, who))
        .decision;
    } catch {
      return undefined;
    }
  }

  #rememberShape(key: string, facts: ShapeFacts): void {
    if (this.#shapes.size >= SHAPE_CACHE_SIZE) this.#shapes.clear();
    this.#shapes.set(key, facts);
  }
}

/** What a text tells of its shape, in the terms of this session's counting (see `sqlShapeFacts`). */
function shapeFacts(
  sql: string,
  classified: ClassifiedText,
  token: string,
): ShapeFacts | undefined {
  const facts = sqlShapeFacts(sql, classified.actions, classified.counting.by !== 'unmeasurable');
  if (facts === undefined) return undefined;
  // SECURITY: the audit log keeps the shape, which has no constants; the token is scrubbed in
  // case an agent wrote it into the text.
  return { reusable: facts.reusable, classified, recordedAs: scrubText(facts.shape, [token]) };
}

// Operations that cannot add a trigger or rule to a table; anything else (DDL, an unknown
// function, a DO block) may, so what sessions know of tables is asked again.
const CATALOG_KEEPING_OPERATIONS: ReadonlySet<string> = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'COPY FROM',
  'COPY TO',
  'EXPLAIN',
  'EMPTY',
  'SHOW',
  'SET',
  'RESET',
  'BEGIN',
  'START',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
  'ROLLBACK TO',
  'LOCK',
  'VACUUM',
  'ANALYZE',
  'LISTEN',
  'UNLISTEN',
  'NOTIFY',
]);
