import { Kind } from 'graphql';
import type { FieldNode, OperationDefinitionNode, ValueNode } from 'graphql';
import type { JsonValue } from '../../core/index.js';
import { isRecord, own } from './graphql-request.js';

/** The runtime value of an operation variable, or undefined when it has none. */
export type VariableLookup = (name: string) => JsonValue | undefined;

/** The ids an argument path points at, and whether the document named it more than once. */
export interface LocatedIds {
  readonly ids: readonly string[];
  readonly ambiguous: boolean;
}

// SECURITY: bounds recursion through nested lists and objects written by the caller.
const MAX_VALUE_DEPTH = 64;

/**
 * Looks variables up as the server would: only variables the operation declares count, and a
 * declared variable the request omits takes its default value.
 */
export function createVariableLookup(
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, JsonValue>>,
): VariableLookup {
  const declared = new Map<string, ValueNode | undefined>();
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!declared.has(name)) declared.set(name, definition.defaultValue);
  }
  return (name) => {
    if (!declared.has(name)) return undefined;
    const given = own(variables, name) as JsonValue | undefined;
    if (given !== undefined) return given;
    const fallback = declared.get(name);
    return fallback === undefined ? undefined : toJson(fallback, () => undefined, 0);
  };
}

// A value node as JSON, with variables substituted; undefined where a variable has no value.
function toJson(node: ValueNode, lookup: VariableLookup, depth: number): JsonValue | undefined {
  if (depth > MAX_VALUE_DEPTH) return undefined;
  switch (node.kind) {
    case Kind.VARIABLE:
      return lookup(node.name.value);
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.flatMap((item) => {
        const value = toJson(item, lookup, depth + 1);
        return value === undefined ? [] : [value];
      });
    case Kind.OBJECT: {
      const object: Record<string, JsonValue> = {};
      for (const field of node.fields) {
        const value = toJson(field.value, lookup, depth + 1);
        if (value !== undefined)
          Object.defineProperty(object, field.name.value, { value, enumerable: true });
      }
      return object;
    }
  }
}

type Cursor = { readonly node: ValueNode } | { readonly json: JsonValue };

/**
 * Follows a dot path (`volumeId`, `input.serviceId`) from a field's arguments to the ids it
 * names, through variables, input objects and lists.
 */
export function locateIds(field: FieldNode, path: string, lookup: VariableLookup): LocatedIds {
  const [first, ...rest] = path.split('.');
  const state = { ambiguous: false };
  const args = (field.arguments ?? []).filter((arg) => arg.name.value === first);
  // SECURITY: a repeated argument is read as the first or the last by different servers.
  if (args.length > 1) state.ambiguous = true;
  let cursors: Cursor[] = args.map((arg) => ({ node: arg.value }));
  for (const segment of rest)
    cursors = cursors.flatMap((cursor) => step(cursor, segment, lookup, state, 0));
  const ids = cursors.flatMap((cursor) => leafIds(cursor, lookup, 0));
  return { ids: [...new Set(ids)], ambiguous: state.ambiguous };
}

function deref(cursor: Cursor, lookup: VariableLookup): Cursor | undefined {
  if (!('node' in cursor) || cursor.node.kind !== Kind.VARIABLE) return cursor;
  const value = lookup(cursor.node.name.value);
  return value === undefined ? undefined : { json: value };
}

function step(
  cursor: Cursor,
  key: string,
  lookup: VariableLookup,
  state: { ambiguous: boolean },
  depth: number,
): Cursor[] {
  const current = deref(cursor, lookup);
  if (current === undefined || depth > MAX_VALUE_DEPTH) return [];
  if ('node' in current) {
    if (current.node.kind === Kind.LIST) {
      return current.node.values.flatMap((item) =>
        step({ node: item }, key, lookup, state, depth + 1),
      );
    }
    if (current.node.kind !== Kind.OBJECT) return [];
    const matches = current.node.fields.filter((field) => field.name.value === key);
    if (matches.length > 1) state.ambiguous = true;
    return matches.map((field) => ({ node: field.value }));
  }
  if (Array.isArray(current.json)) {
    return current.json.flatMap((item) => step({ json: item }, key, lookup, state, depth + 1));
  }
  if (!isRecord(current.json)) return [];
  const value = own(current.json, key) as JsonValue | undefined;
  return value === undefined ? [] : [{ json: value }];
}

function leafIds(cursor: Cursor, lookup: VariableLookup, depth: number): string[] {
  const current = deref(cursor, lookup);
  if (current === undefined || depth > MAX_VALUE_DEPTH) return [];
  if ('node' in current) {
    const node = current.node;
    if (node.kind === Kind.STRING || node.kind === Kind.INT || node.kind === Kind.FLOAT)
      return [node.value];
    if (node.kind === Kind.LIST)
      return node.values.flatMap((item) => leafIds({ node: item }, lookup, depth + 1));
    return [];
  }
  const json = current.json;
  if (typeof json === 'string') return [json];
  if (typeof json === 'number') return [String(json)];
  if (Array.isArray(json))
    return json.flatMap((item) => leafIds({ json: item }, lookup, depth + 1));
  return [];
}
