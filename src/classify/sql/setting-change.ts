import type { Effect } from '../../core/index.js';
import { GUARDED_TARGET_TYPE } from '../../core/index.js';
import { foldConstant } from './constant-fold.js';
import type { Findings } from './findings.js';
import type { PgObject } from './parse-node.js';
import { asNode, asObject, listField, stringField } from './parse-node.js';
import type { SettingChange } from './reading-settings.js';
import { guardedSetting, settingName } from './reading-settings.js';

/**
 * What changing a setting does, however it is asked for: SET, RESET, `set_config(…)`, or the
 * SET of ALTER ROLE / DATABASE / SYSTEM. A change the guard denies (see reading-settings.ts)
 * gets a target of type `airlock-guarded`; any other is judged by the setting it changes.
 */

// Settings that switch off safeguards or load code; any other SET only tunes the session.
const DESTRUCTIVE_SETTINGS = new Set([
  'role',
  'session_authorization',
  'session_replication_role',
  'allow_system_table_mods',
  'zero_damaged_pages',
  'ignore_system_indexes',
  'ignore_checksum_failure',
  'ignore_invalid_pages',
]);
const OPAQUE_SETTINGS = new Set([
  'session_preload_libraries',
  'local_preload_libraries',
  'dynamic_library_path',
  'jit_provider',
]);

/** The built-in function that is SET as an expression. */
export const SET_CONFIG = 'set_config';

/**
 * Records what a setting change does. Becoming another role, disabling triggers and foreign
 * keys (session_replication_role) and similar are destructive; loading code is unknown.
 */
export function judgeSettingChange(change: SettingChange, findings: Findings): void {
  const guarded = guardedSetting(change);
  if (guarded !== undefined) {
    // SECURITY: denied before grant and policy; no approval may change how text is read. Its
    // effect is unknown: what the session does afterwards is no longer what Airlock reads.
    findings.raise('unknown');
    findings.touch(GUARDED_TARGET_TYPE, guarded.id, { why: guarded.why });
    return;
  }
  if (change.kind !== 'set' && change.kind !== 'current') return;
  const name = settingName(change.name);
  const effect: Effect = DESTRUCTIVE_SETTINGS.has(name)
    ? 'destructive'
    : OPAQUE_SETTINGS.has(name)
      ? 'unknown'
      : 'read';
  if (effect === 'read') return;
  findings.raise(effect);
  findings.touch('setting', name);
}

/** The setting change of a VariableSetStmt (of SET, or of an ALTER … SET), into `findings`. */
export function judgeVariableSet(body: PgObject | undefined, findings: Findings): void {
  const change = toSettingChange(body);
  // SECURITY: a kind of SET this code does not know is not assumed harmless.
  if (change === 'unrecognized') findings.raise('unknown');
  else if (change !== undefined) judgeSettingChange(change, findings);
}

/**
 * The change a VariableSetStmt asks for; undefined for the forms that set no single setting
 * (`SET TRANSACTION …`, `SET SESSION CHARACTERISTICS …`).
 */
function toSettingChange(body: PgObject | undefined): SettingChange | 'unrecognized' | undefined {
  const name = stringField(body, 'name');
  switch (stringField(body, 'kind')) {
    case 'VAR_SET_VALUE':
      return name === undefined
        ? 'unrecognized'
        : { kind: 'set', name, value: statementValue(name, listField(body, 'args')) };
    case 'VAR_SET_CURRENT':
      return name === undefined ? 'unrecognized' : { kind: 'current', name };
    case 'VAR_SET_DEFAULT':
    case 'VAR_RESET':
      return { kind: 'reset', name };
    case 'VAR_RESET_ALL':
      return { kind: 'reset', name: undefined };
    case 'VAR_SET_MULTI':
      return undefined;
    default:
      return 'unrecognized';
  }
}

/**
 * The value the server assembles from SET's arguments: several are joined with commas, and for
 * search_path each is quoted as an identifier (`SET search_path = 'a, b'` names one schema).
 */
function statementValue(name: string, args: readonly unknown[]): string | undefined {
  const parts = args.map(argumentText);
  if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
  const texts = parts as string[];
  if (settingName(name) === 'search_path')
    return texts.map((text) => `"${text.replace(/"/g, '""')}"`).join(', ');
  return texts.join(', ');
}

/** A SET argument's text: a string, a word, or a number as written. */
function argumentText(arg: unknown): string | undefined {
  const constant = asNode(arg);
  if (constant?.type !== 'A_Const') return undefined;
  const fval = asObject(constant.body['fval']);
  if (fval !== undefined) return stringField(fval, 'fval');
  const folded = foldConstant(arg);
  return typeof folded === 'string' || typeof folded === 'number' ? String(folded) : undefined;
}

/** Whether a parsed function name is the built-in `set_config` (unqualified or in pg_catalog). */
export function isSetConfigName(name: readonly string[]): boolean {
  return (
    (name.length === 1 && name[0] === SET_CONFIG) ||
    (name.length === 2 && name[0] === 'pg_catalog' && name[1] === SET_CONFIG)
  );
}

/**
 * `set_config(name, value, is_local)`, judged as `SET name = value` is; a name that is the column
 * `name` of a settings row (see `settingsRowName`) is the setting that row is. A call that may not be
 * the built-in (another number of arguments, named or variadic ones, an `is_local` that is not
 * a boolean constant, which a user function taking text could capture) is also unknown.
 */
export function judgeSetConfig(
  call: PgObject,
  findings: Findings,
  settingsRow: string | undefined,
): void {
  const args = listField(call, 'args');
  const name = isNameColumn(args[0]) ? settingsRow : foldConstant(args[0]);
  const value = foldConstant(args[1]);
  const change: SettingChange =
    typeof name === 'string'
      ? {
          kind: 'set',
          name,
          value: typeof value === 'string' || typeof value === 'number' ? String(value) : undefined,
        }
      : { kind: 'computed' };
  const builtin =
    args.length === 3 &&
    typeof foldConstant(args[2]) === 'boolean' &&
    call['func_variadic'] !== true &&
    !hasCallDecorations(call);
  if (!builtin) {
    findings.raise('unknown');
    findings.touch('function', SET_CONFIG);
  }
  judgeSettingChange(change, findings);
}

// Clauses only aggregates and window functions take; on set_config they name something else.
const CALL_DECORATIONS = [
  'agg_order',
  'agg_filter',
  'over',
  'agg_within_group',
  'agg_star',
  'agg_distinct',
];

function hasCallDecorations(call: PgObject): boolean {
  return CALL_DECORATIONS.some((key) => call[key] !== undefined && call[key] !== false);
}

/** The view of every setting, one row each, whose column `name` names it. */
export const SETTINGS_VIEW = 'pg_settings';
const NAMEDATALEN_BYTES = 63;

/**
 * x when a query reads only pg_settings (unqualified or in pg_catalog) and its WHERE clause
 * requires `name = 'x'`: every row its SELECT list sees names setting x. pg_dump's
 * `SELECT set_config(name, …) FROM pg_settings WHERE name = '…'` is judged so. The caller
 * checks that no CTE is named pg_settings.
 */
export function settingsRowName(select: PgObject): string | undefined {
  const from = listField(select, 'fromClause');
  const view = from.length === 1 ? asNode(from[0]) : undefined;
  const schema = stringField(view?.body, 'schemaname');
  if (
    view?.type !== 'RangeVar' ||
    stringField(view.body, 'relname') !== SETTINGS_VIEW ||
    (schema !== undefined && schema !== 'pg_catalog')
  )
    return undefined;
  for (const conjunct of conjuncts(select['whereClause'])) {
    const name = nameEquals(conjunct);
    // A longer literal would be cut to fit the column's comparison; not worth following.
    if (name !== undefined && Buffer.byteLength(name) < NAMEDATALEN_BYTES) return name;
  }
  return undefined;
}

/** The terms of a WHERE clause that must all hold: its top-level AND, or itself. */
function conjuncts(where: unknown): readonly unknown[] {
  const node = asNode(where);
  if (node?.type === 'BoolExpr' && stringField(node.body, 'boolop') === 'AND_EXPR')
    return listField(node.body, 'args');
  return where === undefined ? [] : [where];
}

/** 'x' for `name = 'x'` or `'x' = name`. */
function nameEquals(term: unknown): string | undefined {
  const node = asNode(term);
  const operator = listField(node?.body, 'name');
  if (
    node?.type !== 'A_Expr' ||
    stringField(node.body, 'kind') !== 'AEXPR_OP' ||
    operator.length !== 1 ||
    asNode(operator[0])?.body['sval'] !== '='
  )
    return undefined;
  const [left, right] = [node.body['lexpr'], node.body['rexpr']];
  const constant = isNameColumn(left) ? right : isNameColumn(right) ? left : undefined;
  return asNode(constant)?.type === 'A_Const' ? stringOf(foldConstant(constant)) : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Whether an expression is the unqualified column reference `name`. */
function isNameColumn(value: unknown): boolean {
  const node = asNode(value);
  const fields = listField(node?.body, 'fields');
  return (
    node?.type === 'ColumnRef' && fields.length === 1 && asNode(fields[0])?.body['sval'] === 'name'
  );
}
