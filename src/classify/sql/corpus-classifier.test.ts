import { describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { classifySqlCorpusInput } from './corpus-classifier.js';
import { digestSqlText } from './sql-classifier.js';

async function effects(input: unknown): Promise<string[]> {
  return (await classifySqlCorpusInput(input)).map(
    (action) => `${action.operation}:${action.effect}`,
  );
}

describe('the sql corpus input shape', () => {
  it('judges every statement prepared through Parse, executed or not', async () => {
    verifies('sql.every-statement-judged');
    expect(
      await effects({
        extended: [
          { parse: 'SELECT 1', name: 's1' },
          { parse: 'TRUNCATE orders', name: 's2' },
          { bind: 's1' },
          { execute: '' },
        ],
      }),
    ).toEqual(['SELECT:read', 'TRUNCATE:destructive']);
  });

  it('treats bind parameters as data, never as SQL', async () => {
    expect(
      await effects({
        extended: [
          { parse: 'SELECT $1::text', name: 's1' },
          { bind: 's1', params: ['DROP TABLE users'] },
          { execute: '' },
        ],
      }),
    ).toEqual(['SELECT:read']);
  });

  it('answers unknown for an Execute of a portal no prepared statement was bound to', async () => {
    verifies('sql.opaque-code-unknown');
    expect(await effects({ extended: [{ bind: 'never_parsed' }, { execute: '' }] })).toEqual([
      'EXECUTE:unknown',
    ]);
    expect(await effects({ extended: [{ execute: 'p9' }] })).toEqual(['EXECUTE:unknown']);
    // Closed before Bind: the portal is never created, so what runs is not what was judged.
    expect(
      await effects({
        extended: [
          { parse: 'SELECT 1', name: 's1' },
          { close: 's1' },
          { bind: 's1' },
          { execute: '' },
        ],
      }),
    ).toEqual(['SELECT:read', 'EXECUTE:unknown']);
  });

  it('binds actions of a Parse to the digest of its text', async () => {
    const [action] = await classifySqlCorpusInput({
      extended: [{ parse: 'DELETE FROM t WHERE id = $1', name: 'd' }],
    });
    expect(action?.digest).toBe(digestSqlText('DELETE FROM t WHERE id = $1'));
    const [simple] = await classifySqlCorpusInput({ sql: 'SELECT 1' });
    expect(simple?.digest).toBe(digestSqlText('SELECT 1'));
  });

  it('answers one unknown action for input of any other shape', async () => {
    for (const input of [
      null,
      'DROP TABLE users',
      { sql: 1 },
      { sql: 'SELECT 1', extra: true },
      { extended: [] },
      { extended: [{ frobnicate: 1 }] },
      { extended: ['x'] },
    ]) {
      const actions = await classifySqlCorpusInput(input);
      expect(actions.length, JSON.stringify(input)).toBeGreaterThan(0);
      expect(
        actions.every((action) => action.effect === 'unknown'),
        JSON.stringify(input),
      ).toBe(true);
    }
  });
});
