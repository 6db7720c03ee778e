import fc from 'fast-check';
import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { literalKey } from './literal-key.js';

beforeAll(async () => {
  await loadModule();
});

/** The parse tree with constants' values and every location erased; undefined when it does not parse. */
function treeWithoutConstants(sql: string): string | undefined {
  let tree: unknown;
  try {
    tree = parseSync(sql);
  } catch {
    return undefined;
  }
  return JSON.stringify(tree, (key, value: unknown) => {
    if (
      ['location', 'stmt_len', 'stmt_location', 'rexpr_list_start', 'rexpr_list_end'].includes(key)
    )
      return undefined;
    if (key === 'A_Const') return {};
    return value;
  });
}

const word = fc.constantFrom(
  'SELECT',
  'select',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIMIT',
  'ORDER',
  'BY',
  'AS',
  'NULL',
  'IS',
  'users',
  't1',
  'abalance',
  'aid',
  'x_2',
  'e',
  'b',
  'x',
  'u',
  'interval',
  'date',
  'int',
  'varchar',
  'numeric',
  'AT',
  'TIME',
  'ZONE',
  'COLLATE',
  'BETWEEN',
  'LIKE',
  'ESCAPE',
  'OFFSET',
  'FETCH',
  'FIRST',
  'ROWS',
  'ONLY',
  'VALUES',
  'TRUE',
  'ROW',
  'DAY',
  'TO',
  'SECOND',
  'CAST',
  'ARRAY',
);
const integer = fc.nat({ max: 999_999 }).map(String);
const decimal = fc.tuple(fc.nat(999), fc.nat(999)).map(([a, b]) => `${a}.${b}`);
const number = fc.oneof(integer, decimal);
const string = fc
  .array(fc.constantFrom('a', ' ', "''", 'Z', '9', '-', '*', '/', ';', '$'), { maxLength: 6 })
  .map((parts) => `'${parts.join('')}'`);
const punctuation = fc.constantFrom(
  '(',
  ')',
  ',',
  ';',
  '.',
  '=',
  '<',
  '>',
  '<>',
  '::',
  '+',
  '-',
  '*',
  '/',
  '%',
  '?',
  '@',
  '|',
  '!',
  '[',
  ']',
  ':',
  '^',
  '~',
  '#',
);
const space = fc.constantFrom(' ', '  ', '\n', '\t', '');
type Piece = { kind: 'fixed'; text: string } | { kind: 'literal' };
const piece: fc.Arbitrary<Piece> = fc.oneof(
  word.map((text) => ({ kind: 'fixed' as const, text })),
  punctuation.map((text) => ({ kind: 'fixed' as const, text })),
  space.map((text) => ({ kind: 'fixed' as const, text })),
  fc.constant({ kind: 'literal' as const }),
);
const literal = fc.oneof(number, string);

function spell(pieces: readonly Piece[], literals: readonly string[]): string {
  let next = 0;
  return pieces
    .map((item) =>
      item.kind === 'fixed' ? item.text : (literals[next++ % literals.length] ?? '0'),
    )
    .join('');
}

// Plain queries with constants in the places an agent's queries put them; each place gets two
// constants of one kind, one for each text.
const constantPair = fc.oneof(
  fc.tuple(integer, integer),
  fc.tuple(decimal, decimal),
  fc.tuple(string, string),
);
const query = fc.tuple(
  fc.constantFrom(
    'SELECT abalance FROM pgbench_accounts WHERE aid = #;',
    'select * from users where id in (#, #) and name = # limit #',
    'SELECT # AS x, a.b FROM t AS a WHERE a.c > # OR a.d IS NULL ORDER BY 1',
    'select count(*) from orders where total between # and # and note <> #',
  ),
  fc.array(constantPair, { minLength: 4, maxLength: 4 }),
);

describe('literalKey', () => {
  it('gives two texts one key only when PostgreSQL parses them to one tree but for constants', () => {
    verifies('pg.reuse-only-plain-reads');
    let parsed = 0;
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 16 }),
        fc.array(literal, { minLength: 1, maxLength: 3 }),
        fc.array(literal, { minLength: 1, maxLength: 3 }),
        (pieces, first, second) => {
          const a = spell(pieces, first);
          const b = spell(pieces, second);
          const keyA = literalKey(a);
          const keyB = literalKey(b);
          if (keyA === undefined || keyB === undefined || keyA !== keyB) return;
          const tree = treeWithoutConstants(a);
          if (tree !== undefined) parsed++;
          expect(treeWithoutConstants(b)).toBe(tree);
        },
      ),
      { numRuns: Number(process.env['LK_RUNS'] ?? 5000) },
    );
    // The soup must reach the parser's successes too, not only its refusals.
    expect(parsed).toBeGreaterThan(50);
  });

  it('keys queries that differ only in the values of their constants alike, and the trees agree', () => {
    fc.assert(
      fc.property(query, ([template, pairs]) => {
        const first = pairs.map(([value]) => value);
        const second = pairs.map(([, value]) => value);
        const fill = (values: readonly string[]) => {
          let next = 0;
          return template.replace(/#/g, () => values[next++] ?? '0');
        };
        const a = fill(first);
        const b = fill(second);
        expect(literalKey(a)).toBeDefined();
        expect(literalKey(b)).toBe(literalKey(a));
        expect(treeWithoutConstants(a)).toBeDefined();
        expect(treeWithoutConstants(b)).toBe(treeWithoutConstants(a));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps everything but constants: another table, column or operator is another key', () => {
    const base = literalKey('SELECT a FROM t WHERE id = 1');
    for (const other of [
      'SELECT a FROM u WHERE id = 1',
      'SELECT b FROM t WHERE id = 1',
      'SELECT a FROM t WHERE id > 1',
      'SELECT a FROM t WHERE id = 1 ',
      'select a FROM t WHERE id = 1',
    ]) {
      expect(literalKey(other)).not.toBe(base);
    }
    expect(literalKey('SELECT a FROM t WHERE id = 123456789')).toBe(base);
    // Another kind of constant is another key: the grammar can tell them apart.
    expect(literalKey("SELECT a FROM t WHERE id = 'x'")).not.toBe(base);
    expect(literalKey('SELECT a FROM t WHERE id = 12.5')).not.toBe(base);
  });

  it('refuses every spelling whose tokens depend on more than the characters it reads', () => {
    for (const text of [
      'SELECT 1 -- comment',
      'SELECT /* c */ 1',
      "SELECT E'\\x41'",
      "SELECT 'a\\'",
      'SELECT $1',
      'SELECT $$x$$',
      'SELECT "quoted"',
      "SELECT U&'\\0041'",
      "SELECT B'101'",
      "SELECT X'1f'",
      "SELECT N'x'",
      'SELECT 1e5',
      'SELECT 0x1f',
      'SELECT 1_000',
      'SELECT 1234567890',
      'SELECT .5',
      'SELECT 1.2.3',
      "SELECT 'unterminated",
      'SELECT café',
      "SELECT 'é'",
      'SELECT a$b',
      'SELECT 1 & 2',
      'SELECT \u0001',
      `SELECT ${'x'.repeat(9000)}`,
    ]) {
      expect(literalKey(text), text).toBeUndefined();
    }
  });
});
