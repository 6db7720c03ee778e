import { loadModule, parseSync } from 'libpg-query';
import { asNode } from './parse-node.js';
import type { PgNode } from './parse-node.js';

/** One statement of a parsed SQL string, with its own text. */
export interface ParsedStatement {
  /** The statement's parse tree root (`SelectStmt`, `DropStmt`, …). */
  readonly node: PgNode;
  /** The statement's text as it appears in the input (comments before it included). */
  readonly text: string;
}

/** What the parser made of a SQL string. */
export type SqlParse =
  | { readonly ok: true; readonly statements: readonly ParsedStatement[] }
  | { readonly ok: false; readonly error: string };

let loading: Promise<void> | undefined;
let loaded = false;

/**
 * Loads the PostgreSQL parser (WebAssembly) once; later calls share the same promise. After it
 * resolves the synchronous functions of this module may be used.
 */
export function loadSqlParser(): Promise<void> {
  loading ??= loadModule().then(
    () => {
      loaded = true;
    },
    (error: unknown) => {
      // A failed load is not remembered: the next caller tries again.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Whether `loadSqlParser()` has finished, so the synchronous API can run. */
export function isSqlParserLoaded(): boolean {
  return loaded;
}

/**
 * Parses SQL text with PostgreSQL's own parser (libpg-query, PostgreSQL 18 grammar). Never
 * throws: text the server would reject comes back as `{ ok: false }`. The parser must be loaded.
 */
export function parseSql(sql: string): SqlParse {
  let tree: unknown;
  try {
    tree = parseSync(sql);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'the parser failed' };
  }
  const raw = (tree as { stmts?: unknown }).stmts;
  const items = Array.isArray(raw) ? raw : [];
  const slicer = textSlicer(sql);
  const statements: ParsedStatement[] = [];
  for (const item of items) {
    const entry = item as { stmt?: unknown; stmt_location?: unknown; stmt_len?: unknown };
    const node = asNode(entry.stmt);
    if (node === undefined)
      return { ok: false, error: 'the parser returned a statement of unknown shape' };
    const start = typeof entry.stmt_location === 'number' ? entry.stmt_location : 0;
    // stmt_len 0 (omitted) means "to the end of the string".
    const length =
      typeof entry.stmt_len === 'number' && entry.stmt_len > 0 ? entry.stmt_len : undefined;
    statements.push({ node, text: slicer(start, length) });
  }
  return { ok: true, statements };
}

/** Slices statement texts by the parser's locations, which are byte offsets into the UTF-8 text. */
function textSlicer(sql: string): (start: number, length: number | undefined) => string {
  // ASCII text (the common case) has one byte per character: no need to encode it.
  // The range is the point: every ASCII code.
  if (/^[\x00-\x7f]*$/.test(sql))
    return (start, length) => sql.slice(start, length === undefined ? undefined : start + length);
  const bytes = Buffer.from(sql, 'utf8');
  return (start, length) =>
    bytes.subarray(start, length === undefined ? undefined : start + length).toString('utf8');
}
