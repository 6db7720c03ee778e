import type { PgNode, PgObject } from './parse-node.js';
import { asNode, asObject, listField, stringField, stringValue } from './parse-node.js';

/** A constant's value; `undefined` means it cannot be computed here (not a constant we know). */
export type Folded = boolean | number | string | null | undefined;

const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0']);
const NUMBER_TYPES = new Set([
  'int2',
  'int4',
  'int8',
  'integer',
  'smallint',
  'bigint',
  'numeric',
  'float4',
  'float8',
  'decimal',
  'real',
]);
const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'char', 'name']);

/**
 * Computes a row-independent expression made of literals, casts, comparisons and boolean
 * logic, with SQL's three-valued logic. Anything else folds to `undefined` ("cannot tell"),
 * which callers must treat as "could be true".
 */
export function foldConstant(value: unknown): Folded {
  const node = asNode(value);
  if (node === undefined) return undefined;
  switch (node.type) {
    case 'A_Const':
      return foldLiteral(node.body);
    case 'TypeCast':
      return foldCast(node.body);
    case 'BoolExpr':
      return foldBoolExpr(node.body);
    case 'A_Expr':
      return foldComparison(node);
    case 'NullTest': {
      const arg = foldConstant(node.body['arg']);
      if (arg === undefined) return undefined;
      return stringField(node.body, 'nulltesttype') === 'IS_NULL' ? arg === null : arg !== null;
    }
    default:
      return undefined;
  }
}

function foldLiteral(body: PgObject): Folded {
  if (body['isnull'] === true) return null;
  // Protobuf JSON omits zero values: `{ ival: {} }` is 0 and `{ boolval: {} }` is false.
  const ival = asObject(body['ival']);
  if (ival !== undefined) return typeof ival['ival'] === 'number' ? ival['ival'] : 0;
  const fval = asObject(body['fval']);
  if (fval !== undefined) return Number(stringField(fval, 'fval') ?? 'NaN');
  const sval = asObject(body['sval']);
  if (sval !== undefined) return stringField(sval, 'sval') ?? '';
  const boolval = asObject(body['boolval']);
  if (boolval !== undefined) return boolval['boolval'] === true;
  return undefined;
}

function foldCast(body: PgObject): Folded {
  const value = foldConstant(body['arg']);
  const names = listField(asObject(body['typeName']), 'names').map(stringValue);
  const type = names[names.length - 1];
  if (value === undefined || type === undefined) return undefined;
  if (value === null) return null;
  if (type === 'bool' || type === 'boolean') return toBoolean(value);
  if (NUMBER_TYPES.has(type)) return toNumber(value);
  if (TEXT_TYPES.has(type))
    return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  return undefined;
}

function toBoolean(value: boolean | number | string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

function toNumber(value: boolean | number | string): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const number = typeof value === 'number' ? value : Number(value.trim());
  return Number.isFinite(number) && (typeof value === 'number' || value.trim() !== '')
    ? number
    : undefined;
}

function foldBoolExpr(body: PgObject): Folded {
  const args = listField(body, 'args').map((arg) => {
    const folded = foldConstant(arg);
    return typeof folded === 'boolean' || folded === null ? folded : undefined;
  });
  switch (stringField(body, 'boolop')) {
    case 'NOT_EXPR': {
      const arg = args[0];
      return arg === undefined || arg === null ? arg : !arg;
    }
    case 'AND_EXPR':
      if (args.includes(false)) return false;
      if (args.includes(undefined)) return undefined;
      return args.includes(null) ? null : true;
    case 'OR_EXPR':
      if (args.includes(true)) return true;
      if (args.includes(undefined)) return undefined;
      return args.includes(null) ? null : false;
    default:
      return undefined;
  }
}

function foldComparison(node: PgNode): Folded {
  const kind = stringField(node.body, 'kind');
  const name = listField(node.body, 'name').map(stringValue);
  if (kind !== 'AEXPR_OP' || name.length !== 1) return undefined;
  const left = foldConstant(node.body['lexpr']);
  const right = foldConstant(node.body['rexpr']);
  if (left === undefined || right === undefined) return undefined;
  if (left === null || right === null) return null;
  const pair = comparable(left, right);
  if (pair === undefined) return undefined;
  const [a, b] = pair;
  // SECURITY: text order depends on the server's collation; only equality is certain.
  if (typeof a === 'string' && name[0] !== '=' && name[0] !== '<>') return undefined;
  switch (name[0]) {
    case '=':
      return a === b;
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    default:
      return undefined;
  }
}

/** Brings two literals to one type as PostgreSQL would coerce an untyped literal; else undefined. */
function comparable(
  left: boolean | number | string,
  right: boolean | number | string,
): [number, number] | [string, string] | undefined {
  if (typeof left === 'number' || typeof right === 'number') {
    const a = typeof left === 'boolean' ? undefined : toNumber(left);
    const b = typeof right === 'boolean' ? undefined : toNumber(right);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
  if (typeof left === 'boolean' || typeof right === 'boolean') {
    const a = toBoolean(left);
    const b = toBoolean(right);
    return a === undefined || b === undefined ? undefined : [Number(a), Number(b)];
  }
  return [left, right];
}
