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

/**
 * The relations a predicate can name, as seen from the rows of one target relation: which
 * qualifiers mean the target row, and which relation each qualifier stands for.
 */
export interface RowScope {
  /** Qualifiers that name the target row (its alias, else its own name). */
  readonly targetQualifiers: ReadonlySet<string>;
  /** Every qualifier in scope → the relation it reads (`public.users`, `(subquery)`). */
  readonly relations: ReadonlyMap<string, string>;
  /** The target relation's identity. */
  readonly target: string;
}

/**
 * The scope of a statement that changes rows of `relation` (a RangeVar), reading `others`
 * (USING / FROM items, or a MERGE source) beside it.
 */
export function createRowScope(
  relation: PgObject | undefined,
  others: readonly unknown[],
): RowScope {
  const target = relationName(relation) ?? '(unknown)';
  const alias = relationAlias(relation) ?? target;
  const relations = new Map<string, string>();
  for (const item of others) addFromItem(item, relations);
  relations.set(alias, target);
  return { targetQualifiers: new Set([alias]), relations, target };
}

/** Records the qualifiers a FROM item brings into scope. */
export function addFromItem(item: unknown, into: Map<string, string>): void {
  const node = asNode(item);
  const body = node?.body ?? asObject(item);
  if (body === undefined) return;
  switch (node?.type ?? 'RangeVar') {
    case 'RangeVar': {
      const name = relationName(body);
      const alias = relationAlias(body);
      if (name !== undefined && alias !== undefined) into.set(alias, name);
      return;
    }
    case 'JoinExpr':
      addFromItem(body['larg'], into);
      addFromItem(body['rarg'], into);
      return;
    default: {
      // Subqueries, functions, VALUES lists: their rows are not the target's.
      const alias = stringField(asObject(body['alias']), 'aliasname');
      if (alias !== undefined) into.set(alias, `(${node?.type ?? 'item'} ${alias})`);
    }
  }
}

/** The same scope inside a subquery whose FROM items shadow some qualifiers. */
export function enterSubquery(scope: RowScope, select: PgObject): RowScope {
  const inner = new Map<string, string>();
  for (const item of listField(select, 'fromClause')) addFromItem(item, inner);
  if (inner.size === 0) return scope;
  const relations = new Map(scope.relations);
  const targetQualifiers = new Set(scope.targetQualifiers);
  for (const [qualifier, relation] of inner) {
    relations.set(qualifier, relation);
    targetQualifiers.delete(qualifier);
  }
  return { ...scope, relations, targetQualifiers };
}

/** A column reference resolved: whether it reads the target row, and a canonical name. */
export interface ResolvedColumn {
  readonly ofTarget: boolean;
  /** `relation.column`: two references with the same key read the same column of the same relation. */
  readonly key: string;
}

/**
 * Resolves a ColumnRef's fields. An unqualified column is taken to be the target's at the
 * statement's own level (where PostgreSQL would read it from the target unless another FROM item
 * has it) and not the target's inside a subquery (`inSubquery`): both choices make a predicate
 * look less restrictive, never more.
 */
export function resolveColumn(
  fields: readonly unknown[],
  scope: RowScope,
  inSubquery: boolean,
): ResolvedColumn {
  const names = fields.map((field) => stringValue(field) ?? '*');
  const column = names[names.length - 1] ?? '*';
  if (names.length === 1) {
    return inSubquery
      ? { ofTarget: false, key: `(inner).${column}` }
      : { ofTarget: true, key: `${scope.target}.${column}` };
  }
  const qualifier = names[names.length - 2] ?? '';
  const relation = scope.relations.get(qualifier) ?? `(unresolved ${names.slice(0, -1).join('.')})`;
  return { ofTarget: scope.targetQualifiers.has(qualifier), key: `${relation}.${column}` };
}
