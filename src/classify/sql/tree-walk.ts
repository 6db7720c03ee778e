import { functionEffect } from './builtin-functions.js';
import { isBuiltinOperator } from './builtin-operators.js';
import type { Findings } from './findings.js';
import type { PgNode } from './parse-node.js';
import {
  asNode,
  asObject,
  listField,
  relationName,
  stringField,
  stringValue,
} from './parse-node.js';
import {
  SETTINGS_VIEW,
  isSetConfigName,
  judgeSetConfig,
  settingsRowName,
} from './setting-change.js';

/** What walking a statement's tree needs from the statement judge. */
export interface WalkContext {
  /** Names of the CTEs visible here: an unqualified FROM item with such a name is not a table. */
  readonly cteNames: ReadonlySet<string>;
  /** Judges a statement nested in the tree (CTE, subquery, rule action) into the same findings. */
  judgeNested(node: PgNode, findings: Findings, depth: number, context: WalkContext): void;
  /**
   * In the SELECT list of a query over pg_settings filtered by `name = 'x'`: x, the setting the
   * column `name` holds in every row (pg_dump runs `set_config(name, …)` so).
   */
  readonly settingsRow?: string | undefined;
}

/** Thrown when a tree nests deeper than Airlock will follow; the statement is then unknown. */
export class TreeTooDeepError extends Error {
  constructor() {
    super('the statement nests too deeply to classify');
  }
}

// SECURITY: bounds recursion on hostile input; PostgreSQL's own parser stops far below this
// for real statements.
const MAX_DEPTH = 2000;

// Operator kinds whose `name` is a keyword (BETWEEN …), not an operator symbol.
const KEYWORD_KINDS = new Set([
  'AEXPR_BETWEEN',
  'AEXPR_NOT_BETWEEN',
  'AEXPR_BETWEEN_SYM',
  'AEXPR_NOT_BETWEEN_SYM',
]);

/**
 * Walks a subtree, recording into `findings` every function and operator called (their known
 * effect, `unknown` when not a vetted built-in), every table named, and every nested statement
 * (judged by the statement judge). `skipKeys` names fields of this object not to enter.
 */
export function walkTree(
  value: unknown,
  findings: Findings,
  context: WalkContext,
  depth: number,
  skipKeys?: ReadonlySet<string>,
): void {
  if (depth > MAX_DEPTH) throw new TreeTooDeepError();
  if (Array.isArray(value)) {
    for (const item of value) walkTree(item, findings, context, depth + 1);
    return;
  }
  const object = asObject(value);
  if (object === undefined) return;
  const node = asNode(value);
  if (node !== undefined) {
    if (node.type.endsWith('Stmt')) {
      context.judgeNested(node, findings, depth + 1, context);
      return;
    }
    noteNode(node, findings, context);
    walkTree(node.body, findings, context, depth + 1);
    return;
  }
  // Inline structs: a RangeVar (`relation` fields) is recognised by its relname.
  if (typeof object['relname'] === 'string') noteRelation(object, findings, context);
  if (object['withClause'] !== undefined) {
    walkWithClause(object, findings, context, depth, skipKeys);
    return;
  }
  const level = isQueryLevel(object);
  for (const key in object) {
    if (skipKeys?.has(key) !== true)
      walkTree(
        object[key],
        findings,
        level ? queryContext(object, key, context) : context,
        depth + 1,
      );
  }
}

/** Whether an object is one level of a query (a SELECT's body), where column names resolve anew. */
function isQueryLevel(object: Readonly<Record<string, unknown>>): boolean {
  return 'targetList' in object || 'fromClause' in object || 'valuesLists' in object;
}

/** The context for one field of a query level: only its SELECT list may know the settings row. */
function queryContext(
  select: Readonly<Record<string, unknown>>,
  key: string,
  context: WalkContext,
): WalkContext {
  // Only a SELECT's own list (UPDATE and INSERT name a `relation` whose columns come first).
  const listOfSelect = key === 'targetList' && !('relation' in select);
  const row =
    listOfSelect && !context.cteNames.has(SETTINGS_VIEW) ? settingsRowName(select) : undefined;
  return row === context.settingsRow ? context : { ...context, settingsRow: row };
}

function noteNode(node: PgNode, findings: Findings, context: WalkContext): void {
  switch (node.type) {
    case 'FuncCall': {
      const name = names(listField(node.body, 'funcname'));
      // set_config is SET as an expression: judged by the setting and value it names.
      if (isSetConfigName(name)) return judgeSetConfig(node.body, findings, context.settingsRow);
      const effect = functionEffect(name);
      findings.raise(effect);
      if (effect !== 'read') findings.touch('function', name.join('.'));
      return;
    }
    case 'A_Expr':
      if (!KEYWORD_KINDS.has(stringField(node.body, 'kind') ?? ''))
        noteOperator(listField(node.body, 'name'), findings);
      return;
    case 'SortBy':
      noteOperator(listField(node.body, 'useOp'), findings);
      return;
    case 'SubLink':
      noteOperator(listField(node.body, 'operName'), findings);
      return;
    case 'RangeVar':
      noteRelation(node.body, findings, context);
      return;
    default:
      return;
  }
}

function noteOperator(name: readonly unknown[], findings: Findings): void {
  if (name.length === 0) return;
  const parts = names(name);
  if (!isBuiltinOperator(parts)) {
    findings.raise('unknown');
    findings.touch('operator', parts.join('.'));
  }
}

function noteRelation(
  rangeVar: Readonly<Record<string, unknown>>,
  findings: Findings,
  context: WalkContext,
): void {
  const name = relationName(rangeVar);
  if (
    name !== undefined &&
    !(stringField(rangeVar, 'schemaname') === undefined && context.cteNames.has(name))
  ) {
    findings.touch('table', name);
  }
}

/**
 * A query with a WITH clause, walked with CTE names scoped as PostgreSQL scopes them: the main
 * query sees every CTE; a CTE sees the ones before it, and with RECURSIVE all of them. So in
 * `WITH users AS (SELECT * FROM users) …` the inner `users` is still the table.
 */
function walkWithClause(
  object: Readonly<Record<string, unknown>>,
  findings: Findings,
  context: WalkContext,
  depth: number,
  skipKeys?: ReadonlySet<string>,
): void {
  const withClause = asObject(object['withClause']);
  const ctes = listField(withClause, 'ctes').map((item) => asNode(item)?.body);
  const names = ctes
    .map((cte) => stringField(cte, 'ctename'))
    .filter((name): name is string => name !== undefined);
  const visible = new Set(context.cteNames);
  if (withClause?.['recursive'] === true) for (const name of names) visible.add(name);
  for (const cte of ctes) {
    walkTree(cte?.['ctequery'], findings, { ...context, cteNames: new Set(visible) }, depth + 1);
    const name = stringField(cte, 'ctename');
    if (name !== undefined) visible.add(name);
  }
  const inner: WalkContext = { ...context, cteNames: new Set([...context.cteNames, ...names]) };
  const level = isQueryLevel(object);
  for (const key in object) {
    if (key !== 'withClause' && skipKeys?.has(key) !== true)
      walkTree(object[key], findings, level ? queryContext(object, key, inner) : inner, depth + 1);
  }
}

function names(items: readonly unknown[]): string[] {
  return items.map((item) => stringValue(item) ?? '?');
}
