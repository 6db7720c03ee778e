import { normalizeSync, parseSync } from 'libpg-query';

/**
 * Statement shapes: a SQL text with every constant replaced by a parameter (`$1`, `$2`, …), as
 * libpg-query's normalizer (PostgreSQL's own scanner and grammar) writes it. Texts that differ
 * only in constants share a shape. A shape is the key under which the wire proxy reuses a
 * decision, so only shapes whose judgment cannot depend on a constant may be reused: plain
 * queries made of the nodes below. Constants do decide elsewhere (`DELETE … WHERE 1 = 1` deletes
 * every row, `EXPLAIN (ANALYZE 0)` runs nothing), which is why a shape is not a classification.
 */

/** The shape of a SQL text, or undefined when PostgreSQL's parser rejects it. */
export function sqlShape(sql: string): string | undefined {
  try {
    return normalizeSync(sql);
  } catch {
    return undefined;
  }
}

// The parse-tree vocabulary of a plain query: selecting, joining, filtering, grouping, sorting
// and computing values. Anything else (INTO, FOR UPDATE, WITH, window clauses, DML, DDL,
// EXPLAIN options, utility statements) makes the shape not reusable: the text is then judged
// every time, which is slower and never less safe.
const PLAIN_QUERY_NODES: ReadonlySet<string> = new Set([
  'SelectStmt',
  'ResTarget',
  'ColumnRef',
  'String',
  'A_Star',
  'RangeVar',
  'Alias',
  'A_Expr',
  'BoolExpr',
  'A_Const',
  'Integer',
  'Float',
  'Boolean',
  'BitString',
  'ParamRef',
  'TypeCast',
  'TypeName',
  'FuncCall',
  'SortBy',
  'NullTest',
  'BooleanTest',
  'SubLink',
  'JoinExpr',
  'RangeSubselect',
  'CaseExpr',
  'CaseWhen',
  'CoalesceExpr',
  'MinMaxExpr',
  'A_ArrayExpr',
  'A_Indirection',
  'A_Indices',
  'RowExpr',
  'SQLValueFunction',
  'List',
]);

const PLAIN_QUERY_FIELDS: ReadonlySet<string> = new Set([
  // SelectStmt
  'targetList',
  'fromClause',
  'whereClause',
  'groupClause',
  'groupDistinct',
  'havingClause',
  'sortClause',
  'limitCount',
  'limitOffset',
  'limitOption',
  'op',
  'all',
  'larg',
  'rarg',
  'distinctClause',
  'valuesLists',
  // names, targets and relations
  'location',
  'name',
  'indirection',
  'val',
  'fields',
  'relname',
  'schemaname',
  'catalogname',
  'inh',
  'relpersistence',
  'alias',
  'aliasname',
  'colnames',
  // expressions
  'kind',
  'lexpr',
  'rexpr',
  'boolop',
  'args',
  'funcname',
  'funcformat',
  'agg_star',
  'agg_distinct',
  'agg_within_group',
  'func_variadic',
  'ival',
  'sval',
  'fval',
  'boolval',
  'bsval',
  'isnull',
  'number',
  'arg',
  'typeName',
  'names',
  'typemod',
  'typmods',
  'arrayBounds',
  'pct_type',
  'setof',
  'typeOid',
  'nulltesttype',
  'argisrow',
  'booltesttype',
  'sortby_dir',
  'sortby_nulls',
  'useOp',
  'node',
  'subLinkType',
  'subLinkId',
  'testexpr',
  'operName',
  'subselect',
  'casetype',
  'casecollid',
  'defresult',
  'expr',
  'result',
  'coalescetype',
  'coalescecollid',
  'minmaxtype',
  'minmaxcollid',
  'inputcollid',
  'elements',
  'indices',
  'is_slice',
  'lidx',
  'uidx',
  'row_typeid',
  'row_format',
  'svfop',
  'typmod',
  'items',
  'rexpr_list_start',
  'rexpr_list_end',
  // joins and subqueries in FROM
  'jointype',
  'isNatural',
  'usingClause',
  'quals',
  'rtindex',
  'lateral',
  'subquery',
]);

const MAX_DEPTH = 200;

/**
 * Whether every statement of `sql` is a plain query (see `PLAIN_QUERY_NODES`), so that its
 * judgment is the same for any constants in the places its shape has parameters. False when
 * it does not parse.
 */
export function isPlainQueryShape(sql: string): boolean {
  let tree: unknown;
  try {
    tree = parseSync(sql);
  } catch {
    return false;
  }
  const statements = (tree as { stmts?: unknown }).stmts;
  if (!Array.isArray(statements) || statements.length === 0) return false;
  return statements.every((entry: unknown) =>
    isPlainQueryNode((entry as { stmt?: unknown }).stmt, 0),
  );
}

function isPlainQueryNode(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isPlainQueryNode(item, depth + 1));
  if (value === null || typeof value !== 'object') return true;
  for (const [key, child] of Object.entries(value)) {
    const code = key.charCodeAt(0);
    const isNodeType = code >= 65 && code <= 90;
    if (!(isNodeType ? PLAIN_QUERY_NODES : PLAIN_QUERY_FIELDS).has(key)) return false;
    if (key === 'FuncCall' && judgedByArguments(child)) return false;
    if (!isPlainQueryNode(child, depth + 1)) return false;
  }
  return true;
}

// Functions the classifier judges by their constant arguments: set_config('search_path', …) is a
// read, set_config('standard_conforming_strings', 'off', …) is denied, and their shapes are one.
const JUDGED_BY_ARGUMENTS: ReadonlySet<string> = new Set(['set_config']);

function judgedByArguments(call: unknown): boolean {
  const names = (call as { funcname?: { String?: { sval?: string } }[] }).funcname ?? [];
  return JUDGED_BY_ARGUMENTS.has(names.at(-1)?.String?.sval?.toLowerCase() ?? '');
}

/**
 * Whether `sql` (a shape: constants as parameters) is one statement whose judgment cannot depend
 * on the values of its parameters, beyond the plain queries above: transaction control; an INSERT
 * without CTE or ON CONFLICT (its values are data); an UPDATE or DELETE without CTE whose
 * parameters are data (SET values, RETURNING) or compared with `=` to a column (`WHERE aid = $1`,
 * `id IN ($1, $2)`), where every value selects "some" rows. A parameter anywhere else (`id > $1`
 * is every row for 0, `name LIKE $1` for '%') makes the shape not reusable. The wire proxy still
 * counts the rows each run changes; this only says that the judgment of the text is the same.
 */
export function isReusableWriteShape(sql: string): boolean {
  let tree: unknown;
  try {
    tree = parseSync(sql);
  } catch {
    return false;
  }
  const statements = (tree as { stmts?: { stmt?: Record<string, unknown> }[] }).stmts;
  if (!Array.isArray(statements) || statements.length !== 1) return false;
  const [type, body] = Object.entries(statements[0]?.stmt ?? {})[0] ?? [];
  const statement = (body ?? {}) as Record<string, unknown>;
  if (hasJudgedByArguments(statement, 0)) return false;
  switch (type) {
    case 'TransactionStmt':
      return ![
        'TRANS_STMT_PREPARE',
        'TRANS_STMT_COMMIT_PREPARED',
        'TRANS_STMT_ROLLBACK_PREPARED',
      ].includes(String(statement['kind']));
    case 'InsertStmt':
      return statement['withClause'] === undefined && statement['onConflictClause'] === undefined;
    case 'UpdateStmt':
      return (
        statement['withClause'] === undefined &&
        !hasParameter(statement['fromClause'], 0) &&
        parametersCompareColumns(statement['whereClause'], 0)
      );
    case 'DeleteStmt':
      return (
        statement['withClause'] === undefined &&
        !hasParameter(statement['usingClause'], 0) &&
        parametersCompareColumns(statement['whereClause'], 0)
      );
    default:
      return false;
  }
}

/** Whether every parameter in a predicate is one side of `column = $n` or an item of `column IN (…)`. */
function parametersCompareColumns(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => parametersCompareColumns(item, depth + 1));
  if (value === null || typeof value !== 'object') return true;
  const node = value as Record<string, unknown>;
  if ('ParamRef' in node) return false;
  const expression = node['A_Expr'] as Record<string, unknown> | undefined;
  if (expression !== undefined && isEquality(expression)) {
    const { lexpr, rexpr } = expression;
    if (
      expression['kind'] === 'AEXPR_OP' &&
      ((isColumn(lexpr) && isParameter(rexpr)) || (isParameter(lexpr) && isColumn(rexpr)))
    )
      return true;
    const items = (rexpr as { List?: { items?: unknown[] } } | undefined)?.List?.items ?? [];
    if (
      expression['kind'] === 'AEXPR_IN' &&
      isColumn(lexpr) &&
      items.every((item) => isParameter(item) || !hasParameter(item, depth + 1))
    )
      return true;
  }
  return Object.values(node).every((child) => parametersCompareColumns(child, depth + 1));
}

function isEquality(expression: Record<string, unknown>): boolean {
  const name = expression['name'] as { String?: { sval?: string } }[] | undefined;
  return name?.length === 1 && name[0]?.String?.sval === '=';
}

function isColumn(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'ColumnRef' in value;
}

/** `$1`, or `$1::type`. */
function isParameter(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if ('ParamRef' in value) return true;
  const cast = (value as { TypeCast?: { arg?: unknown } }).TypeCast;
  return (
    cast !== undefined &&
    typeof cast.arg === 'object' &&
    cast.arg !== null &&
    'ParamRef' in cast.arg
  );
}

function hasParameter(value: unknown, depth: number): boolean {
  return hasEntry(value, (key) => key === 'ParamRef', depth);
}

function hasJudgedByArguments(value: unknown, depth: number): boolean {
  return hasEntry(value, (key, child) => key === 'FuncCall' && judgedByArguments(child), depth);
}

/** Whether any object in a parse tree has an entry `test` accepts; true past the depth bound. */
function hasEntry(
  value: unknown,
  test: (key: string, child: unknown) => boolean,
  depth: number,
): boolean {
  if (depth > MAX_DEPTH) return true;
  if (Array.isArray(value)) return value.some((item) => hasEntry(item, test, depth + 1));
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(
    ([key, child]) => test(key, child) || hasEntry(child, test, depth + 1),
  );
}
