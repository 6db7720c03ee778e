/**
 * Read access to libpg-query's JSON parse tree. The tree mixes wrapped nodes (`{ "SelectStmt":
 * {…} }`, wherever PostgreSQL's grammar says `Node *`) and inline structs (a `DeleteStmt`'s
 * `relation` is a bare RangeVar). These helpers read both without trusting the shape: a field
 * of an unexpected type reads as absent, and callers treat absent as "cannot tell".
 */

/** A JSON object of the parse tree. */
export type PgObject = Readonly<Record<string, unknown>>;

/** A wrapped node: its type name (`DeleteStmt`, `FuncCall`, …) and its body. */
export interface PgNode {
  readonly type: string;
  readonly body: PgObject;
}

/** The value as an object of the tree, if it is one. */
export function asObject(value: unknown): PgObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as PgObject)
    : undefined;
}

/** The value as a wrapped node (`{ Type: body }`, one key starting upper-case), if it is one. */
export function asNode(value: unknown): PgNode | undefined {
  const object = asObject(value);
  if (object === undefined) return undefined;
  // Hot path: find the only key without allocating a key array.
  let type: string | undefined;
  for (const key in object) {
    if (type !== undefined) return undefined;
    type = key;
  }
  if (type === undefined) return undefined;
  const first = type.charCodeAt(0);
  if (first < 65 || first > 90) return undefined;
  const body = asObject(object[type]);
  return body === undefined ? undefined : { type, body };
}

/** A field read as an array (absent or mistyped: empty). */
export function listField(object: PgObject | undefined, key: string): readonly unknown[] {
  const value = object?.[key];
  return Array.isArray(value) ? value : [];
}

/** A field read as a string, if it is one. */
export function stringField(object: PgObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** The string of a `{ String: { sval } }` node (protobuf omits an empty sval). */
export function stringValue(value: unknown): string | undefined {
  const node = asNode(value);
  if (node?.type !== 'String') return undefined;
  return stringField(node.body, 'sval') ?? '';
}

/** A dotted name from a list of String nodes (`["public", "users"]` → `public.users`). */
export function dottedName(items: readonly unknown[]): string | undefined {
  const parts = items.map(stringValue);
  if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
  return parts.join('.');
}

/** The qualified name of a RangeVar (`catalog.schema.rel`, `schema.rel` or `rel`). */
export function relationName(rangeVar: PgObject | undefined): string | undefined {
  const relname = stringField(rangeVar, 'relname');
  if (relname === undefined) return undefined;
  const parts = [
    stringField(rangeVar, 'catalogname'),
    stringField(rangeVar, 'schemaname'),
    relname,
  ];
  return parts.filter((part): part is string => part !== undefined).join('.');
}

/** The alias a RangeVar is known by in its statement (its alias, else its own name). */
export function relationAlias(rangeVar: PgObject | undefined): string | undefined {
  return (
    stringField(asObject(rangeVar?.['alias']), 'aliasname') ?? stringField(rangeVar, 'relname')
  );
}
