import type { PgObject } from './parse-node.js';
import {
  asNode,
  asObject,
  listField,
  relationAlias,
  relationName,
  stringField,
  stringValue,
} from './parse-node.js';
import { isSqlParserLoaded, parseSql } from './sql-parser.js';

/**
 * For each statement of `sql`: when it is an UPDATE or DELETE of one table (no FROM or USING
 * items, no CTE), the target's columns that its WHERE pins to one value with `=` (a constant or
 * a parameter, in a top-level AND); otherwise undefined. A column with a unique index pinned
 * this way bounds the statement to at most one row: the wire proxy need not count it.
 */
export function pinnedColumns(sql: string): (readonly string[] | undefined)[] {
  if (!isSqlParserLoaded()) return [];
  const parsed = parseSql(sql);
  if (!parsed.ok) return [];
  return parsed.statements.map(({ node }) => {
    const others =
      node.type === 'UpdateStmt'
        ? 'fromClause'
        : node.type === 'DeleteStmt'
          ? 'usingClause'
          : undefined;
    if (
      others === undefined ||
      node.body['withClause'] !== undefined ||
      listField(node.body, others).length > 0
    )
      return undefined;
    const relation = asObject(node.body['relation']);
    const qualifiers = new Set([
      relationAlias(relation) ?? relationName(relation) ?? '',
      relationName(relation) ?? '',
    ]);
    return conjuncts(node.body['whereClause']).flatMap(
      (predicate) => pinnedColumn(predicate, qualifiers) ?? [],
    );
  });
}

/** The predicates of a top-level AND (or the one predicate). */
function conjuncts(value: unknown): unknown[] {
  const node = asNode(value);
  if (node?.type === 'BoolExpr' && stringField(node.body, 'boolop') === 'AND_EXPR')
    return listField(node.body, 'args').flatMap(conjuncts);
  return value === undefined ? [] : [value];
}

function pinnedColumn(value: unknown, qualifiers: ReadonlySet<string>): string | undefined {
  const node = asNode(value);
  if (node?.type !== 'A_Expr' || stringField(node.body, 'kind') !== 'AEXPR_OP') return undefined;
  const name = listField(node.body, 'name').map(stringValue);
  if (name.length !== 1 || name[0] !== '=') return undefined;
  const { lexpr, rexpr } = node.body;
  if (isOneValue(rexpr)) return targetColumn(lexpr, qualifiers);
  if (isOneValue(lexpr)) return targetColumn(rexpr, qualifiers);
  return undefined;
}

function targetColumn(value: unknown, qualifiers: ReadonlySet<string>): string | undefined {
  const node = asNode(value);
  if (node?.type !== 'ColumnRef') return undefined;
  const fields = listField(node.body, 'fields').map(stringValue);
  if (fields.length === 1) return fields[0];
  if (fields.length === 2 && qualifiers.has(fields[0] ?? '')) return fields[1];
  return undefined;
}

/** A constant or a parameter, possibly cast: one value for every row. */
function isOneValue(value: unknown): boolean {
  const node = asNode(value);
  if (node?.type === 'A_Const' || node?.type === 'ParamRef') return true;
  return node?.type === 'TypeCast' && isOneValue((node.body as PgObject)['arg']);
}
