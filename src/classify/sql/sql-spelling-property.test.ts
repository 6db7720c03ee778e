import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { analyzeSql } from './sql-classifier.js';
import { loadSqlParser } from './sql-parser.js';

beforeAll(async () => {
  await loadSqlParser();
});

// Statements as token lists; `%t` is the table, spelled in one of PostgreSQL's ways.
const DESTRUCTIVE = [
  ['DROP', 'TABLE', '%t'],
  ['TRUNCATE', '%t'],
  ['TRUNCATE', 'TABLE', 'ONLY', '%t', 'CASCADE'],
  ['DELETE', 'FROM', '%t'],
  ['DELETE', 'FROM', '%t', 'WHERE', 'TRUE'],
  ['DELETE', 'FROM', '%t', 'WHERE', 'id', '=', 'id'],
  ['UPDATE', '%t', 'SET', 'a', '=', 'NULL'],
  ['UPDATE', '%t', 'SET', 'a', '=', '1', 'WHERE', '1', '=', '1'],
  ['ALTER', 'TABLE', '%t', 'DROP', 'COLUMN', 'a'],
  ['EXPLAIN', 'ANALYZE', 'DELETE', 'FROM', '%t'],
  ['WITH', 'x', 'AS', '(', 'DELETE', 'FROM', '%t', 'RETURNING', '*', ')', 'SELECT', '1'],
] as const;

const tableSpelling = fc.constantFrom(
  'users',
  '"users"',
  'public.users',
  '"public"."users"',
  'U&"\\0075sers"',
  'PUBLIC.USERS',
);
const separator = fc.constantFrom(
  ' ',
  '\n',
  '\t',
  '\r',
  '/**/',
  '/* DROP */',
  '/* a /* nested */ b */',
  ' -- x\n',
  ' --\r',
);
const keywordCase = fc.constantFrom('upper', 'lower', 'mixed');

function cased(token: string, mode: string, index: number): string {
  if (token.startsWith('"') || token.startsWith('U&')) return token;
  if (mode === 'lower') return token.toLowerCase();
  if (mode === 'mixed')
    return [...token]
      .map((c, i) => ((i + index) % 2 === 0 ? c.toLowerCase() : c.toUpperCase()))
      .join('');
  return token;
}

describe('spellings of destructive statements', () => {
  it('never turns a destructive statement into a read or a write, however it is spelled', () => {
    verifies('sql.parse-tree-decides');
    fc.assert(
      fc.property(
        fc.constantFrom(...DESTRUCTIVE),
        tableSpelling,
        fc.array(separator, { minLength: 16, maxLength: 16 }),
        keywordCase,
        fc.constantFrom('', 'SELECT 1;', "SELECT 'x;';", 'SELECT $$;$$;'),
        (tokens, table, separators, mode, prefix) => {
          const words = tokens.map((token, index) =>
            token === '%t' ? table : cased(token, mode, index),
          );
          const sql =
            prefix +
            words
              .map(
                (word, index) => (index === 0 ? '' : separators[index % separators.length]) + word,
              )
              .join('');
          const statements = analyzeSql(sql).statements;
          const last = statements[statements.length - 1];
          expect(['destructive', 'unknown'], sql).toContain(last?.effect);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps a read a read when destructive text is only in strings, comments or identifiers', () => {
    verifies('sql.parse-tree-decides');
    fc.assert(
      fc.property(
        fc.constantFrom(...DESTRUCTIVE).map((tokens) => tokens.join(' ').replace('%t', 'users')),
        fc.constantFrom('string', 'dollar', 'comment', 'escape'),
        (hidden, where) => {
          const wrapped = {
            string: `SELECT '${hidden.replaceAll("'", "''")}' AS note`,
            dollar: `SELECT $x$${hidden}$x$ AS note`,
            comment: `/* ${hidden.replaceAll('*/', '')} */ SELECT 1`,
            escape: `SELECT E'\\'${hidden.replaceAll("'", "\\'")}' AS note`,
          }[where];
          expect(
            analyzeSql(wrapped).statements.map((s) => s.effect),
            wrapped,
          ).toEqual(['read']);
        },
      ),
      { numRuns: 200 },
    );
  });
});
