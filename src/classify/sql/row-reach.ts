import { foldConstant } from './constant-fold.js';
import type { PgNode, PgObject } from './parse-node.js';
import {
  asNode,
  asObject,
  listField,
  relationName,
  stringField,
  stringValue,
} from './parse-node.js';
import type { RowScope } from './row-scope.js';
import { createRowScope, enterSubquery, resolveColumn } from './row-scope.js';

/**
 * Which rows of the target a predicate can select: possibly `all` of them (no predicate, a
 * tautology, or a predicate that does not depend on the row at all), only `some`, or `none`
 * (a constant false or null). Sound in one direction only: `some` is answered only when the
 * predicate depends on the target row in a way that is not a recognised tautology.
 */
export type RowReach = 'all' | 'some' | 'none';

// SECURITY: bounds recursion on hostile, deeply nested predicates; deeper reads as `all`.
const MAX_DEPTH = 500;

const NEGATED_OPERATOR: Readonly<Record<string, string>> = {
  '=': '<>',
  '<>': '=',
  '<': '>=',
  '>=': '<',
  '>': '<=',
  '<=': '>',
  '~~': '!~~',
  '!~~': '~~',
  '~~*': '!~~*',
  '!~~*': '~~*',
  '~': '!~',
  '!~': '~',
  '~*': '!~*',
  '!~*': '~*',
};
const MIRRORED_OPERATOR: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '<>': '<>' };
const REFLEXIVE_TRUE = new Set(['=', '<=', '>=']);
const REFLEXIVE_FALSE = new Set(['<>', '<', '>']);
const MATCH_ALL_REGEX = new Set(['', '.*', '^', '^.*', '.*$', '^.*$']);

/** The reach of a WHERE / ON / WHEN condition over the rows of `scope`'s target; absent means all. */
export function predicateReach(predicate: unknown, scope: RowScope): RowReach {
  if (predicate === undefined || predicate === null) return 'all';
  return reach(predicate, false, scope, 0);
}

function reach(value: unknown, negated: boolean, scope: RowScope, depth: number): RowReach {
  const node = asNode(value);
  if (node === undefined || depth > MAX_DEPTH) return 'all';
  if (!readsTargetRow(value, scope, false, 0)) {
    // A predicate that ignores the row selects every row or none: only a known false is safe.
    const folded = foldConstant(value);
    if (folded === undefined) return 'all';
    const truth = folded === null ? null : Boolean(folded) !== negated;
    return truth === true ? 'all' : 'none';
  }
  const body = node.body;
  switch (node.type) {
    case 'BoolExpr':
      return boolReach(body, negated, scope, depth);
    case 'NullTest': {
      // judgment: IS NOT NULL is taken to hold on every row (it does on a primary key).
      const isNull = (stringField(body, 'nulltesttype') === 'IS_NULL') !== negated;
      return isNull ? 'some' : 'all';
    }
    case 'BooleanTest':
      return booleanTestReach(body, negated, scope, depth);
    case 'A_Expr':
      return comparisonReach(body, negated, scope);
    case 'SubLink':
      return !negated && isSelfMembership(body, scope) ? 'all' : 'some';
    default:
      return 'some';
  }
}

function boolReach(body: PgObject, negated: boolean, scope: RowScope, depth: number): RowReach {
  const args = listField(body, 'args');
  const op = stringField(body, 'boolop');
  if (op === 'NOT_EXPR') return reach(args[0], !negated, scope, depth + 1);
  // De Morgan: under negation AND behaves as OR and OR as AND.
  const conjunction = (op === 'AND_EXPR') !== negated;
  const reaches = args.map((arg) => reach(arg, negated, scope, depth + 1));
  if (conjunction) {
    if (reaches.includes('none')) return 'none';
    return reaches.includes('some') ? 'some' : 'all';
  }
  if (reaches.includes('all') || hasComplementaryPair(args, negated, scope)) return 'all';
  return reaches.includes('some') ? 'some' : 'none';
}

function booleanTestReach(
  body: PgObject,
  negated: boolean,
  scope: RowScope,
  depth: number,
): RowReach {
  switch (stringField(body, 'booltesttype')) {
    case 'IS_TRUE':
    case 'IS_NOT_FALSE':
      return reach(body['arg'], negated, scope, depth + 1);
    case 'IS_FALSE':
    case 'IS_NOT_TRUE':
      return reach(body['arg'], !negated, scope, depth + 1);
    case 'IS_NOT_UNKNOWN':
      return negated ? 'some' : 'all';
    default:
      return negated ? 'all' : 'some';
  }
}

function comparisonReach(body: PgObject, negated: boolean, scope: RowScope): RowReach {
  const kind = stringField(body, 'kind');
  const name = listField(body, 'name').map(stringValue);
  const left = body['lexpr'];
  const right = body['rexpr'];
  if (kind === 'AEXPR_DISTINCT' || kind === 'AEXPR_NOT_DISTINCT') {
    if (!sameOperand(left, right, scope)) return 'some';
    return (kind === 'AEXPR_NOT_DISTINCT') !== negated ? 'all' : 'none';
  }
  if (kind === 'AEXPR_IN') {
    const inList = (name[0] === '=') !== negated;
    const items = listField(asObject(asNode(right)?.body), 'items');
    return inList && items.some((item) => sameOperand(left, item, scope)) ? 'all' : 'some';
  }
  if ((kind !== 'AEXPR_OP' && kind !== 'AEXPR_LIKE' && kind !== 'AEXPR_ILIKE') || name.length !== 1)
    return 'some';
  const op = negated ? NEGATED_OPERATOR[name[0] ?? ''] : name[0];
  if (op === undefined) return 'some';
  if (sameOperand(left, right, scope)) {
    if (REFLEXIVE_TRUE.has(op)) return 'all';
    if (REFLEXIVE_FALSE.has(op)) return 'none';
  }
  const mirrored = MIRRORED_OPERATOR[op];
  if (
    coversEveryKey(left, op, right, scope) ||
    (mirrored !== undefined && coversEveryKey(right, mirrored, left, scope))
  )
    return 'all';
  const pattern = foldConstant(right);
  if (typeof pattern !== 'string') return 'some';
  if ((op === '~~' || op === '~~*') && /^%+$/.test(pattern)) return 'all';
  if ((op === '~' || op === '~*') && MATCH_ALL_REGEX.has(pattern)) return 'all';
  return 'some';
}

// judgment: a column named `id` is taken to be a key of positive integers (serial / identity),
// like IS NOT NULL is taken to hold on a key: `id > 0`, `id >= 1`, `id <> 0` reach every row.
function coversEveryKey(left: unknown, op: string, right: unknown, scope: RowScope): boolean {
  const column = asNode(left);
  const bound = foldConstant(right);
  if (column?.type !== 'ColumnRef' || typeof bound !== 'number') return false;
  const resolved = resolveColumn(listField(column.body, 'fields'), scope, false);
  if (!resolved.ofTarget || lastPart(resolved.key) !== 'id') return false;
  return (op === '>' && bound < 1) || (op === '>=' && bound <= 1) || (op === '<>' && bound < 1);
}

/** `col IN (SELECT col FROM target)`: every row's value is in the set. */
function isSelfMembership(body: PgObject, scope: RowScope): boolean {
  if (stringField(body, 'subLinkType') !== 'ANY_SUBLINK') return false;
  const operator = listField(body, 'operName').map(stringValue);
  if (operator.length > 0 && !(operator.length === 1 && operator[0] === '=')) return false;
  const tested = asNode(body['testexpr']);
  const select = asNode(body['subselect']);
  if (tested?.type !== 'ColumnRef' || select?.type !== 'SelectStmt') return false;
  const column = resolveColumn(listField(tested.body, 'fields'), scope, false);
  if (!column.ofTarget) return false;
  const inner = select.body;
  if (inner['limitCount'] !== undefined || inner['havingClause'] !== undefined) return false;
  const from = listField(inner, 'fromClause');
  const innerScope = createRowScope(asObject(asNode(from[0])?.body), []);
  if (predicateReach(inner['whereClause'], innerScope) !== 'all') return false;
  const targets = listField(inner, 'targetList');
  const innerRelation = asNode(from[0]);
  const innerValue = asNode(asObject(asNode(targets[0])?.body)?.['val']);
  if (
    from.length !== 1 ||
    targets.length !== 1 ||
    innerRelation?.type !== 'RangeVar' ||
    innerValue?.type !== 'ColumnRef'
  )
    return false;
  const sameRelation = lastPart(relationName(innerRelation.body)) === lastPart(scope.target);
  const innerFields = listField(innerValue.body, 'fields').map(
    (field) => stringValue(field) ?? '*',
  );
  return sameRelation && innerFields[innerFields.length - 1] === lastPart(column.key);
}

function lastPart(name: string | undefined): string | undefined {
  return name?.split('.').pop();
}

/** `p OR NOT p`, `x = 1 OR x <> 1`, `x IS NULL OR x IS NOT NULL`. */
function hasComplementaryPair(
  args: readonly unknown[],
  negated: boolean,
  scope: RowScope,
): boolean {
  const positive = new Set(args.map((arg) => literalKey(arg, negated, scope)));
  return args.some((arg) => positive.has(literalKey(arg, !negated, scope)));
}

/** A canonical text for a predicate under a polarity, with negation pushed into the operator. */
function literalKey(value: unknown, negated: boolean, scope: RowScope): string {
  let node: PgNode | undefined = asNode(value);
  let polarity = negated;
  while (node?.type === 'BoolExpr' && stringField(node.body, 'boolop') === 'NOT_EXPR') {
    node = asNode(listField(node.body, 'args')[0]);
    polarity = !polarity;
  }
  if (node === undefined) return '?';
  if (node.type === 'A_Expr' && stringField(node.body, 'kind') === 'AEXPR_OP') {
    const name = listField(node.body, 'name').map(stringValue);
    const op = !polarity
      ? name.join('.')
      : name.length === 1
        ? NEGATED_OPERATOR[name[0] ?? '']
        : undefined;
    if (op !== undefined) {
      return `op ${op} ${canonical(node.body['lexpr'], scope)} ${canonical(node.body['rexpr'], scope)}`;
    }
  }
  if (node.type === 'NullTest') {
    const isNull = (stringField(node.body, 'nulltesttype') === 'IS_NULL') !== polarity;
    return `${isNull ? 'null' : 'not-null'} ${canonical(node.body['arg'], scope)}`;
  }
  return (polarity ? '!' : '') + canonical({ [node.type]: node.body }, scope);
}

/** Whether two expressions are the same expression (locations ignored, columns resolved). */
export function sameOperand(left: unknown, right: unknown, scope: RowScope): boolean {
  return (
    left !== undefined && right !== undefined && canonical(left, scope) === canonical(right, scope)
  );
}

function canonical(value: unknown, scope: RowScope): string {
  return JSON.stringify(value, (key, item: unknown) => {
    if (key === 'location') return undefined;
    const node = asNode(item);
    if (node?.type === 'ColumnRef')
      return { ColumnRef: resolveColumn(listField(node.body, 'fields'), scope, false).key };
    return item;
  });
}

/**
 * Whether an expression reads the target row: a column of the target at this level, or inside
 * a subquery a column qualified with a name that still means the target there.
 */
export function readsTargetRow(
  value: unknown,
  scope: RowScope,
  inSubquery: boolean,
  depth: number,
): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value))
    return value.some((item) => readsTargetRow(item, scope, inSubquery, depth + 1));
  const object = asObject(value);
  if (object === undefined) return false;
  const node = asNode(value);
  if (node?.type === 'ColumnRef')
    return resolveColumn(listField(node.body, 'fields'), scope, inSubquery).ofTarget;
  // WHERE CURRENT OF cursor: the one row the cursor stands on.
  if (node?.type === 'CurrentOfExpr') return !inSubquery;
  if (node?.type === 'SelectStmt')
    return readsTargetRow(node.body, enterSubquery(scope, node.body), true, depth + 1);
  return Object.values(object).some((item) => readsTargetRow(item, scope, inSubquery, depth + 1));
}
