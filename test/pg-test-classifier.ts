import { parse } from 'libpg-query';
import type { Action, Effect, Target } from '../src/core/index.js';
import { digestRequest } from '../src/core/index.js';

/**
 * A deliberately small SQL classifier on the real parser, for the proxy's protocol tests only, so
 * they do not depend on the SQL classifier's judgment calls: DROP TABLE and TRUNCATE are
 * destructive (with table targets), DO blocks unknown, everything else a read. The corpus test
 * uses the real classifier.
 */
export async function protocolTestClassifier(sql: string, upstream: string): Promise<Action[]> {
  let tree: { stmts?: { stmt: Record<string, unknown> }[] };
  try {
    tree = (await parse(sql)) as typeof tree;
  } catch {
    return [action(upstream, sql, 'SQL', 'unknown', [])];
  }
  return (tree.stmts ?? []).map(({ stmt }) => {
    const [kind, node] = Object.entries(stmt)[0] ?? ['', {}];
    if (kind === 'DropStmt') return action(upstream, sql, 'DROP', 'destructive', dropTargets(node));
    if (kind === 'TruncateStmt')
      return action(upstream, sql, 'TRUNCATE', 'destructive', truncateTargets(node));
    if (kind === 'DoStmt') return action(upstream, sql, 'DO', 'unknown', []);
    return action(upstream, sql, kind, 'read', []);
  });
}

function action(
  upstream: string,
  sql: string,
  operation: string,
  effect: Effect,
  targets: Target[],
): Action {
  return {
    upstream,
    surface: 'sql',
    operation,
    effect,
    reversible: effect === 'read',
    targets,
    digest: digestRequest({ sql }),
  };
}

function dropTargets(node: unknown): Target[] {
  const objects =
    (node as { objects?: { List?: { items?: { String?: { sval?: string } }[] } }[] }).objects ?? [];
  return objects.map((object) => ({
    type: 'table',
    id: (object.List?.items ?? []).map((item) => item.String?.sval ?? '').join('.'),
    attrs: {},
  }));
}

function truncateTargets(node: unknown): Target[] {
  const relations =
    (node as { relations?: { RangeVar?: { schemaname?: string; relname?: string } }[] })
      .relations ?? [];
  return relations.map((relation) => ({
    type: 'table',
    id: [relation.RangeVar?.schemaname, relation.RangeVar?.relname]
      .filter((part) => part !== undefined)
      .join('.'),
    attrs: {},
  }));
}
