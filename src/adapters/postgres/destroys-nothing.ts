import type { Action } from '../../core/index.js';
import { tableReference } from './row-counts.js';

/**
 * Whether a destructive statement would destroy anything can sometimes be asked of the server
 * first: a DROP TABLE of tables that do not exist drops nothing (`pgbench -i` starts with
 * `DROP TABLE IF EXISTS` on a fresh database), and a TRUNCATE of tables that hold no rows empties
 * nothing (`pgbench -i` truncates the tables it has just created). Such a statement needs no
 * human and no snapshot; anything else is held as before.
 */
export interface DestructionProbe {
  /** Run first, inside Airlock's transaction, so that nobody fills the tables before the statement runs. */
  readonly lock?: string;
  /** Answers one boolean: true when the statement destroys nothing. */
  readonly check: string;
  /** What the approver's record says the statement did: `no such tables`, `the tables were empty`. */
  readonly found: string;
}

/** The probe for a text whose only destructive actions are one DROP TABLE or one TRUNCATE; else undefined. */
export function destructionProbe(
  actions: readonly Action[],
  sql: string,
): DestructionProbe | undefined {
  const risky = actions.filter((action) => action.effect !== 'read' && action.effect !== 'write');
  const only = risky[0];
  if (risky.length !== 1 || only === undefined || only.effect !== 'destructive') return undefined;
  const tables = only.targets
    .filter((target) => target.type === 'table')
    .map((target) => tableReference(target.id));
  if (tables.length === 0 || tables.length !== only.targets.length) return undefined;
  if (only.operation === 'DROP TABLE') {
    // SECURITY: a table that exists, under any name the session resolves, makes this a real drop.
    const exists = tables
      .map((table) => `pg_catalog.to_regclass(${literal(table)}) IS NOT NULL`)
      .join(' OR ');
    return { check: `SELECT NOT (${exists})`, found: 'no such tables' };
  }
  // CASCADE empties tables the statement does not name: never probed. The text may over-match.
  if (only.operation === 'TRUNCATE' && !/\bcascade\b/i.test(sql)) {
    const filled = tables.map((table) => `EXISTS (SELECT 1 FROM ${table})`).join(' OR ');
    return {
      lock: `LOCK TABLE ${tables.join(', ')} IN ACCESS EXCLUSIVE MODE`,
      check: `SELECT NOT (${filled})`,
      found: 'the tables were empty',
    };
  }
  return undefined;
}

/** The actions of a statement found to destroy nothing: writes, saying what was found. */
export function destroyingNothing(actions: readonly Action[], found: string): Action[] {
  return actions.map((action) =>
    action.effect === 'destructive'
      ? {
          ...action,
          effect: 'write',
          reversible: true,
          targets: action.targets.map((target) => ({
            ...target,
            attrs: { ...target.attrs, found },
          })),
        }
      : action,
  );
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
