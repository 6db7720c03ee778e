import { functionEffect } from './builtin-functions.js';
import { isBuiltinOperator } from './builtin-operators.js';
import type { Findings } from './findings.js';
import type { PgNode } from './parse-node.js';
import { asNode, asObject, listField, relationName, stringField, stringValue } from './parse-node.js';

/** What walking a statement's tree needs from the statement judge. */
export interface WalkContext {
  /** Names of CTEs in the statement: a FROM item with such a name is not a table. */
  readonly cteNames: ReadonlySet<string>;
  /** Judges a statement nested in the tree (CTE, subquery, rule action) into the same findings. */
  judgeNested(node: PgNode, findings: Findings, depth: number): void;
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
const KEYWORD_KINDS = new Set(['AEXPR_BETWEEN', 'AEXPR_NOT_BETWEEN', 'AEXPR_BETWEEN_SYM', 'AEXPR_NOT_BETWEEN_SYM']);

/**
 * Walks a subtree, recording into `findings` every function and operator called (their known
 * effect, `unknown` when not a vetted built-in), every table named, and every nested statement
 * (judged by the statement judge). `skipKeys` names fields of this object not to enter.
 */
export function walkTree(value: unknown, findings: Findings, context: WalkContext, depth: number, skipKeys?: ReadonlySet<string>): void {
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
      context.judgeNested(node, findings, depth + 1);
      return;
    }
    noteNode(node, findings, context);
    walkTree(node.body, findings, context, depth + 1);
    return;
  }
  // Inline structs: a RangeVar (`relation` fields) is recognised by its relname.
  if (typeof object['relname'] === 'string') noteRelation(object, findings, context);
  for (const [key, item] of Object.entries(object)) {
    if (skipKeys?.has(key) !== true) walkTree(item, findings, context, depth + 1);
  }
}

function noteNode(node: PgNode, findings: Findings, context: WalkContext): void {
  switch (node.type) {
    case 'FuncCall': {
      const name = names(listField(node.body, 'funcname'));
      const effect = functionEffect(name);
      findings.raise(effect);
      if (effect !== 'read') findings.touch('function', name.join('.'));
      return;
    }
    case 'A_Expr':
      if (!KEYWORD_KINDS.has(stringField(node.body, 'kind') ?? '')) noteOperator(listField(node.body, 'name'), findings);
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

function noteRelation(rangeVar: Readonly<Record<string, unknown>>, findings: Findings, context: WalkContext): void {
  const name = relationName(rangeVar);
  if (name === undefined) return;
  if (!name.includes('.') && context.cteNames.has(name)) return;
  findings.touch('table', name);
}

function names(items: readonly unknown[]): string[] {
  return items.map((item) => stringValue(item) ?? '?');
}

/** Every CTE name defined anywhere in a tree. */
export function collectCteNames(value: unknown, into = new Set<string>(), depth = 0): Set<string> {
  if (depth > MAX_DEPTH) throw new TreeTooDeepError();
  if (Array.isArray(value)) {
    for (const item of value) collectCteNames(item, into, depth + 1);
  } else {
    const object = asObject(value);
    if (object === undefined) return into;
    const cte = asNode(value);
    if (cte?.type === 'CommonTableExpr') {
      const name = stringField(cte.body, 'ctename');
      if (name !== undefined) into.add(name);
    }
    for (const item of Object.values(object)) collectCteNames(item, into, depth + 1);
  }
  return into;
}
