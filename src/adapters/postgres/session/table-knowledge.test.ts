import { describe, expect, it } from 'vitest';
import type { Answer } from '../response-sinks.js';
import type { ClassifiedText, RowCounting } from './classified-text.js';
import { countedChanges } from './table-knowledge.js';

function text(counting: RowCounting): ClassifiedText {
  return { sql: 'counted', digest: 'd', actions: [], destroys: false, counting };
}

function answer(fields: Partial<Answer> = {}): Answer {
  return { how: 'done', status: 'T', tags: [], rows: [], error: undefined, ...fields };
}

const TAGGED: RowCounting = {
  by: 'tags',
  statements: [
    { statement: 0, kind: 'UPDATE', table: 'users', reference: '"users"', pinned: [] },
    { statement: 1, kind: 'DELETE', table: 'orders', reference: '"orders"', pinned: [] },
  ],
};
const ERROR = Buffer.from('an ErrorResponse');

describe('countedChanges', () => {
  it('reads each tagged statement’s rows from its CommandComplete tag', () => {
    expect(
      countedChanges(
        text(TAGGED),
        answer({ tags: ['UPDATE 3', 'DELETE 2'] }),
        0,
        undefined,
        undefined,
      ),
    ).toEqual([
      { table: 'users', reference: '"users"', updated: 3, deleted: 0, inserted: 0 },
      { table: 'orders', reference: '"orders"', updated: 0, deleted: 2, inserted: 0 },
    ]);
  });

  it('cannot tell when a tag is missing, unless the statement failed (then nothing changed)', () => {
    expect(
      countedChanges(text(TAGGED), answer({ tags: ['UPDATE 3'] }), 0, undefined, undefined),
    ).toBeUndefined();
    expect(
      countedChanges(
        text(TAGGED),
        answer({ tags: ['UPDATE 3'], error: ERROR }),
        0,
        undefined,
        undefined,
      ),
    ).toEqual([]);
  });

  it('reads statistics as the difference between the readings before and after', () => {
    const before = answer({ rows: [['public.users', '1', '0', '0']] });
    const after = answer({
      rows: [
        ['public.users', '4', '0', '0'],
        ['public.orders', '0', '2', '1'],
      ],
    });
    expect(countedChanges(text({ by: 'statistics' }), answer(), 0, before, after)).toEqual([
      { table: 'public.users', reference: 'public.users', updated: 3, deleted: 0, inserted: 0 },
      { table: 'public.orders', reference: 'public.orders', updated: 0, deleted: 2, inserted: 1 },
    ]);
  });

  it('cannot tell when a statistics reading failed or was skipped', () => {
    expect(
      countedChanges(text({ by: 'statistics' }), answer(), 0, answer({ how: 'skipped' }), answer()),
    ).toBeUndefined();
    expect(
      countedChanges(text({ by: 'statistics' }), answer(), 0, answer(), answer({ error: ERROR })),
    ).toBeUndefined();
  });

  it('cannot tell once the held answer grew past what Airlock holds', () => {
    expect(
      countedChanges(
        text(TAGGED),
        answer({ tags: ['UPDATE 3', 'DELETE 2'] }),
        64 * 1024 * 1024 + 1,
        undefined,
        undefined,
      ),
    ).toBeUndefined();
  });
});
