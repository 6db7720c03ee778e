import { APPROVAL_POLICY_ID } from '../../../core/index.js';
import type { Decision, Principal } from '../../../core/index.js';
import type { ClassifiedText } from './classified-text.js';
import type { GatedStatement } from './gate.js';

/** A prepared statement Airlock judged and allowed. */
export interface AllowedStatement {
  readonly state: 'allowed';
  readonly classified: ClassifiedText;
  /** The Parse was allowed by a human approval, which covers exactly one execution. */
  readonly approvedOnce: boolean;
  /** The decision that let the Parse through, and whom it was for. */
  readonly decision: Decision;
  readonly principal: Principal | undefined;
  executions: number;
  /** When the firewall last allowed it (ms); read/write statements are judged again after a while. */
  judgedAt: number;
}

/** What Airlock knows of one prepared statement of a session. */
export type PreparedStatement = AllowedStatement | { readonly state: 'refused' | 'tainted' };

/** A portal bound to an allowed statement, with its Bind as sent (to bind it again after a rollback). */
export interface BoundPortal {
  readonly statement: AllowedStatement;
  readonly bind: Buffer;
}

/**
 * SQL that can create a prepared statement behind the proxy's back (`PREPARE name AS …` shares
 * the namespace of protocol-level statements), or remove one.
 */
export const PREPARE_PATTERN = /\b(prepare|deallocate|discard)\b/i;

/**
 * Names of statements, portals and savepoints Airlock uses inside a session for itself; an agent's
 * Parse or Bind using one is refused, so it cannot replace or close them.
 */
export const RESERVED_NAME_PREFIX = 'airlock_';

// A lone SQL-level PREPARE or EXECUTE of an unquoted name (folded to lower case, as the server does).
const SQL_PREPARE = /^\s*prepare\s+([a-z_][a-z0-9_$]*)\b/i;
const SQL_EXECUTE = /^\s*execute\s+([a-z_][a-z0-9_$]*)\b/i;
const FORGETS_PREPARED = /\b(deallocate|discard)\b/i;

/**
 * One session's prepared statements and portals as Airlock judged them, and the SQL-level
 * prepared statements the server accepted. Pure: no I/O, no clock (times are passed in).
 *
 * INVARIANT: only a statement Airlock judged and allowed can be bound, and the statement that
 * executes is the statement that was judged: its record travels with the portal.
 */
export class StatementTable {
  readonly #statements = new Map<string, PreparedStatement>();
  readonly #portals = new Map<string, BoundPortal>();
  // SQL-level prepared statements the server accepted, by name: the PREPARE text.
  readonly #sqlPrepared = new Map<string, string>();

  /** Records the statement `name` as allowed by `gated`, judged at `now`. */
  allow(name: string, gated: GatedStatement, now: number): void {
    this.#statements.set(name, {
      state: 'allowed',
      classified: gated.classified,
      approvedOnce: gated.decision.policyIds.includes(APPROVAL_POLICY_ID),
      decision: gated.decision,
      principal: gated.principal,
      executions: 0,
      judgedAt: now,
    });
  }

  /** Records the statement `name` as refused: binding it fails. */
  refuse(name: string): void {
    this.#statements.set(name, { state: 'refused' });
  }

  /** What is known of the statement `name`. */
  statement(name: string): PreparedStatement | undefined {
    return this.#statements.get(name);
  }

  /**
   * Binds `portal` to the statement `name`, keeping the Bind as sent; undefined (and the portal
   * forgotten) when the statement is not an allowed one or the portal name is Airlock's.
   */
  bind(portal: string, name: string, bind: Buffer): AllowedStatement | undefined {
    const statement = this.#statements.get(name);
    if (statement?.state !== 'allowed' || portal.startsWith(RESERVED_NAME_PREFIX)) {
      this.#portals.delete(portal);
      return undefined;
    }
    this.#portals.set(portal, { statement, bind });
    return statement;
  }

  /** The portal `name`, if it is bound to an allowed statement. */
  portal(name: string): BoundPortal | undefined {
    return this.#portals.get(name);
  }

  /** Forgets a statement (`kind` 0x53, `S`) or a portal (anything else) the client closed. */
  close(kind: number, name: string): void {
    if (kind === 0x53 /* S */) this.#statements.delete(name);
    else this.#portals.delete(name);
  }

  /**
   * After a text that may prepare or remove statements behind Airlock's back (`PREPARE_PATTERN`):
   * every statement is tainted (binding it fails), every portal forgotten, and after DEALLOCATE
   * or DISCARD every SQL-level prepared statement too.
   */
  taint(sql: string): void {
    if (FORGETS_PREPARED.test(sql)) this.#sqlPrepared.clear();
    for (const name of this.#statements.keys()) this.#statements.set(name, { state: 'tainted' });
    this.#portals.clear();
  }

  /** Remembers a lone SQL-level `PREPARE name AS …` the server accepted (see `sqlPrepareName`). */
  rememberSqlPrepare(name: string, sql: string): void {
    this.#sqlPrepared.set(name, sql);
  }

  /** The `PREPARE` text of the statement a lone SQL-level `EXECUTE name …` runs, if the server accepted one. */
  sqlPrepared(sql: string): string | undefined {
    return this.#sqlPrepared.get(SQL_EXECUTE.exec(sql)?.[1]?.toLowerCase() ?? '');
  }
}

/** The name a text prepares when it is one lone SQL-level `PREPARE name AS …` of an unquoted name. */
export function sqlPrepareName(classified: ClassifiedText): string | undefined {
  const name = SQL_PREPARE.exec(classified.sql)?.[1]?.toLowerCase();
  const only = classified.actions.length === 1 ? classified.actions[0] : undefined;
  return name === undefined || name === 'transaction' || only?.operation !== 'PREPARE'
    ? undefined
    : name;
}
