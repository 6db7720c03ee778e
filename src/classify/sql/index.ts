/**
 * The PostgreSQL classifier: PostgreSQL's own parser (libpg-query) turns SQL into statements,
 * and each statement's parse tree (never its text) decides its effect.
 *
 * For the wire proxy:
 * - `await loadSqlParser()` once at start; then the synchronous functions may be used.
 * - `classifySqlTextSync(text, upstream)`: one action per statement; a SQL-level `EXECUTE name`
 *   is known only when the text also holds its `PREPARE name AS …` (the guard prepends it).
 * - `literalKey(text)`: a fast key shared by texts that differ only in simple constants.
 * - `analyzeSql(text)`: the statement list, each with its own text, digest and analysis
 *   (operation, effect, reversible, targets); `parsed: false` when the server would reject it.
 * - `sqlShape(text)`, `isPlainQueryShape(text)`: the text with constants as parameters, and
 *   whether its judgment is the same whatever those constants are (so a decision may be reused).
 */
import type { Action } from '../../core/index.js';
import type { Classifier } from '../classifier.js';
import { classifySqlCorpusInput } from './corpus-classifier.js';
import { classifySqlText as classifyText } from './sql-classifier.js';

export type { SqlTarget } from './findings.js';
export type { ClassifiedStatement, SqlAnalysis } from './sql-classifier.js';
export type { StatementAnalysis } from './statement-analyzer.js';
export { SQL_CORPUS_UPSTREAM, classifySqlCorpusInput } from './corpus-classifier.js';
export { analyzeSql, classifySqlTextSync, digestSqlText, toSqlActions } from './sql-classifier.js';
export { isSqlParserLoaded, loadSqlParser } from './sql-parser.js';
export { LITERAL_KEY_MAX_CHARS, literalKey } from './literal-key.js';
export { isPlainQueryShape, isReusableWriteShape, sqlShape } from './statement-shape.js';
export { pinnedColumns } from './pinned-columns.js';
export {
  classifySqlRequest,
  createSqlReuseKeys,
  digestSqlRequest,
  sqlReuseKey,
  sqlShapeFacts,
} from './sql-request.js';
export type { SqlShapeFacts } from './sql-request.js';

/** The sql surface's classifier (corpus input shape `{ sql }` or `{ extended: [...] }`). */
export const SQL_CLASSIFIER: Classifier = classifySqlCorpusInput;

/**
 * Classifies PostgreSQL text (one or several statements) with the real parser: one action per
 * statement, each carrying `digestSqlText(sql)`. Shared by the PostgreSQL guard, the shell
 * classifier (`psql -c`) and the MCP proxy (SQL arguments). Never throws for bad SQL.
 */
export async function classifySqlText(sql: string, upstream: string): Promise<Action[]> {
  return classifyText(sql, upstream);
}
