import type { Action, Target } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import { isSqlParserLoaded, loadSqlParser, parseSql } from './sql-parser.js';
import type { StatementAnalysis } from './statement-analyzer.js';
import { StatementAnalyzer } from './statement-analyzer.js';

/** One statement of a SQL string, analyzed. */
export interface ClassifiedStatement extends StatementAnalysis {
  /** The statement's own text, sliced from the input by the parser's locations. */
  readonly text: string;
  /** `digestSqlText(text)`: what an approval of this statement alone binds to. */
  readonly digest: string;
}

/** What a SQL string would do, statement by statement. */
export interface SqlAnalysis {
  /** False when PostgreSQL's parser rejects the text: then one `unknown` statement stands for it. */
  readonly parsed: boolean;
  readonly statements: readonly ClassifiedStatement[];
}

/** The digest of a SQL text as one request (`digestRequest({ sql })`); approvals bind to it. */
export function digestSqlText(sql: string): string {
  return digestRequest({ sql });
}

function assertParserLoaded(): void {
  if (!isSqlParserLoaded())
    throw new Error('the SQL parser is not loaded: await loadSqlParser() first');
}

/**
 * Analyzes every statement of a SQL string with PostgreSQL's parser (synchronous; the parser
 * must be loaded). Text the parser rejects is one `unknown` statement; an empty string (or
 * only comments) is one `read` statement named `EMPTY`, as the server runs nothing.
 */
export function analyzeSql(sql: string): SqlAnalysis {
  assertParserLoaded();
  const parsed = parseSql(sql);
  if (!parsed.ok) {
    return {
      parsed: false,
      statements: [
        {
          operation: 'SQL',
          effect: 'unknown',
          reversible: false,
          targets: [],
          text: sql,
          digest: digestSqlText(sql),
        },
      ],
    };
  }
  if (parsed.statements.length === 0) {
    return {
      parsed: true,
      statements: [
        {
          operation: 'EMPTY',
          effect: 'read',
          reversible: true,
          targets: [],
          text: sql,
          digest: digestSqlText(sql),
        },
      ],
    };
  }
  const analyzer = new StatementAnalyzer();
  const statements = parsed.statements.map((statement) =>
    classified(analyzer.analyze(statement.node), statement.text),
  );
  return { parsed: true, statements };
}

function classified(analysis: StatementAnalysis, text: string): ClassifiedStatement {
  return {
    operation: analysis.operation,
    effect: analysis.effect,
    reversible: analysis.reversible,
    targets: analysis.targets,
    text,
    digest: digestSqlText(text),
  };
}

/**
 * One action per statement of an analysis, all carrying `digest` (the request they arrived
 * in: for a simple query, `digestSqlText` of the whole string).
 */
export function toSqlActions(analysis: SqlAnalysis, upstream: string, digest: string): Action[] {
  return analysis.statements.map((statement) => ({
    upstream,
    surface: 'sql',
    operation: statement.operation,
    effect: statement.effect,
    reversible: statement.reversible,
    targets: statement.targets.map((target): Target => ({
      type: target.type,
      id: target.id,
      attrs: target.attrs,
    })),
    digest,
  }));
}

/** Synchronous `classifySqlText` for callers that loaded the parser (`loadSqlParser`). */
export function classifySqlTextSync(sql: string, upstream: string): Action[] {
  return toSqlActions(analyzeSql(sql), upstream, digestSqlText(sql));
}

/**
 * Classifies PostgreSQL text (one or several statements) with the real parser: one action per
 * statement, each with the digest of the whole text. Never throws for bad SQL.
 *
 * @example
 * await classifySqlText('SELECT 1; DROP TABLE users', 'db');
 * // [{ operation: 'SELECT', effect: 'read', … }, { operation: 'DROP TABLE', effect: 'destructive',
 * //   targets: [{ type: 'table', id: 'users', … }], … }]
 */
export async function classifySqlText(sql: string, upstream: string): Promise<Action[]> {
  await loadSqlParser();
  return classifySqlTextSync(sql, upstream);
}
