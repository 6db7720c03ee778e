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

// Texts whose normalized shape a key maker remembers by exact text, and how many at most.
const MAX_MEMO_TEXT_CHARS = 2048;
const MEMO_SIZE = 4096;

/**
 * `sqlReuseKey` for a hot path that sees the same texts again (prepared statements, an ORM's
 * queries): the normalized shapes of short texts are remembered, since normalizing parses the
 * text; the literal key, a plain scan, is not.
 */
export function createSqlReuseKeys(): (sql: string) => string | undefined {
  const normalized = new Map<string, string | undefined>();
  return (sql) => {
    const fast = literalKey(sql);
    if (fast !== undefined) return fast;
    if (sql.length > MAX_SHAPED_TEXT_CHARS) return undefined;
    if (normalized.has(sql)) return normalized.get(sql);
    const shape = sqlShape(sql);
    if (sql.length <= MAX_MEMO_TEXT_CHARS) {
      // Cleared, not evicted one by one: a full memo means the texts are not repeating anyway.
      if (normalized.size >= MEMO_SIZE) normalized.clear();
      normalized.set(sql, shape);
    }
    return shape;
  };
}

/** What a text's shape says: the shape the audit log shows (no constants), and whether it may reuse an allow. */
export interface SqlShapeFacts {
  readonly shape: string;
  readonly reusable: boolean;
}

/**
 * The shape of `sql`, classified as `actions`, and whether texts of that shape may reuse an
 * allow: a plain query that only reads, or a reusable write shape when the caller can count the
 * rows each run changes (`countable`). Undefined when the text has no shape (too long, or it
 * does not parse).
 */
export function sqlShapeFacts(
  sql: string,
  actions: readonly Action[],
  countable = true,
): SqlShapeFacts | undefined {
  if (sql.length > MAX_SHAPED_TEXT_CHARS) return undefined;
  const shape = sqlShape(sql);
  if (shape === undefined) return undefined;
  const reads = actions.length > 0 && actions.every((action) => action.effect === 'read');
  const writes =
    actions.length > 0 &&
    actions.every((action) => action.effect === 'read' || action.effect === 'write');
  // Writes too: the rows each run changes are counted by the caller whatever its judgment.
  const reusable =
    (reads && isPlainQueryShape(sql)) || (writes && countable && isReusableWriteShape(shape));
  return { shape, reusable };
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
  return sqlShapeFacts(sql, actions)?.reusable === true;
}
