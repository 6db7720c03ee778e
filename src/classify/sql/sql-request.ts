import type { Action, ClassifiedRequest } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import { literalKey } from './literal-key.js';
import { classifySqlText } from './sql-classifier.js';
import { isPlainQueryShape, isReusableWriteShape, sqlShape } from './statement-shape.js';

// Longer texts are never reused by shape: normalizing them costs more than judging them.
const MAX_SHAPED_TEXT_CHARS = 8192;

/**
 * The digest an approval of SQL text sent to `upstream` binds to: the upstream is part of it, so
 * an approval of `DROP TABLE t` on one database never allows it on another.
 */
export function digestSqlRequest(upstream: string, sql: string): string {
  return digestRequest({ surface: 'sql', upstream, sql });
}

/**
 * The key texts of one shape share: `literalKey` where it answers, else PostgreSQL's normalized
 * text (the two cannot collide: only the first has control characters in it); undefined for a
 * text too long to shape or that does not parse.
 */
export function sqlReuseKey(sql: string): string | undefined {
  const fast = literalKey(sql);
  if (fast !== undefined) return fast;
  return sql.length > MAX_SHAPED_TEXT_CHARS ? undefined : sqlShape(sql);
}

/**
 * SQL text sent to `upstream` as one request: `classifySqlText`'s actions, each carrying
 * `digestSqlRequest`, and a reuse key (`sqlReuseKey`) when no constant can change its judgment:
 * a plain query that only reads, or a reusable write shape (each run's rows are still counted
 * by the caller, which drops the key when it cannot count them). Never throws for bad SQL.
 */
export async function classifySqlRequest(
  sql: string,
  upstream: string,
): Promise<ClassifiedRequest> {
  const digest = digestSqlRequest(upstream, sql);
  const actions: Action[] = (await classifySqlText(sql, upstream)).map((action) => ({
    ...action,
    digest,
  }));
  const reuseKey = reusable(sql, actions) ? sqlReuseKey(sql) : undefined;
  return reuseKey === undefined ? { digest, actions } : { digest, actions, reuseKey };
}

function reusable(sql: string, actions: readonly Action[]): boolean {
  if (actions.length === 0 || sql.length > MAX_SHAPED_TEXT_CHARS) return false;
  if (actions.every((action) => action.effect === 'read') && isPlainQueryShape(sql)) return true;
  if (!actions.every((action) => action.effect === 'read' || action.effect === 'write'))
    return false;
  const shape = sqlShape(sql);
  return shape !== undefined && isReusableWriteShape(shape);
}
