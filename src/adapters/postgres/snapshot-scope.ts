import type { Action, Target } from '../../core/index.js';

/** What a snapshot dumps: named tables, named schemas, or a whole database. */
export type SnapshotScope =
  | { readonly kind: 'tables'; readonly names: readonly string[] }
  | { readonly kind: 'schemas'; readonly names: readonly string[] }
  | { readonly kind: 'database'; readonly name: string };

/**
 * What the destructive actions of a statement can destroy. Tables when every such action names
 * only tables, schemas when only schemas; anything else (a DROP DATABASE, a role, a DO block, an
 * action without targets, anything with CASCADE) falls back to the whole database, which is
 * never less than needed.
 */
export function toSnapshotScope(
  actions: readonly Action[],
  database: string,
  sql: string,
): SnapshotScope {
  // CASCADE reaches objects the statement does not name (TRUNCATE … CASCADE empties every
  // referencing table): only the whole database is sure to hold them. Matching the text may
  // over-match (a comment), which costs a bigger dump, never a missing one.
  if (
    /\bcascade\b/i.test(sql) ||
    actions.some((action) => action.targets.some((target) => target.attrs['cascade'] === true))
  ) {
    return { kind: 'database', name: database };
  }
  const risky = actions.filter(
    (action) => action.effect === 'destructive' || action.effect === 'unknown',
  );
  const targets: (Target | undefined)[] = risky.flatMap((action): (Target | undefined)[] =>
    action.targets.length === 0 ? [undefined] : [...action.targets],
  );
  const types = new Set(targets.map((target) => target?.type.toLowerCase()));
  const names = [...new Set(targets.map((target) => target?.id ?? ''))];
  if (targets.length > 0 && types.size === 1 && names.every((name) => name !== '')) {
    if (types.has('table')) return { kind: 'tables', names };
    if (types.has('schema')) return { kind: 'schemas', names };
    const only = names[0];
    if (types.has('database') && names.length === 1 && only !== undefined)
      return { kind: 'database', name: stripQuotes(only) };
  }
  return { kind: 'database', name: database };
}

/** A pg_dump pattern that matches exactly one (optionally schema-qualified) name. */
export function toExactPattern(name: string): string {
  return splitQualified(name)
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}

function splitQualified(name: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < name.length; index++) {
    const char = name[index];
    if (char === '"') {
      if (quoted && name[index + 1] === '"') {
        current += '"';
        index++;
      } else quoted = !quoted;
    } else if (char === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

function stripQuotes(name: string): string {
  return splitQualified(name).join('.');
}
