import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../../classify/sql/index.js';
import type { Action, Target } from '../../../core/index.js';
import { tableReference } from '../row-counts.js';
import type { SqlClassifier } from './classified-text.js';
import { TextClassifier } from './classified-text.js';

beforeAll(async () => {
  await loadSqlParser();
});

function action(
  operation: string,
  effect: Action['effect'],
  reversible: boolean,
  targets: readonly Target[] = [],
): Action {
  return {
    upstream: 'as-classified',
    surface: 'sql',
    operation,
    effect,
    reversible,
    targets,
    digest: 'd',
  };
}

const READ = action('SELECT', 'read', true);
const UPDATE_USERS = action('UPDATE', 'write', false, [
  { type: 'table', id: 'users', attrs: { rows: 'some' } },
]);
const DROP = action('DROP TABLE', 'destructive', false, [
  { type: 'table', id: 'users', attrs: {} },
]);

/** A classifier that answers the actions given for each text, counting how often it is asked. */
function fake(answers: Readonly<Record<string, readonly Action[]>>): {
  classify: SqlClassifier;
  asked: string[];
} {
  const asked: string[] = [];
  const classify: SqlClassifier = async (sql) => {
    asked.push(sql);
    const actions = answers[sql];
    if (actions === undefined) throw new Error(`no answer for ${sql}`);
    return [...actions];
  };
  return { classify, asked };
}

describe('TextClassifier', () => {
  it('classifies a text once, and names the upstream as configured on every action', async () => {
    const { classify, asked } = fake({ 'SELECT 1': [READ] });
    const texts = new TextClassifier('app', classify, undefined);
    const first = await texts.classified('SELECT 1');
    const again = await texts.classified('SELECT 1');
    expect(again).toBe(first);
    expect(asked).toEqual(['SELECT 1']);
    expect(first.actions.map((one) => one.upstream)).toEqual(['app']);
    expect(first).toMatchObject({ sql: 'SELECT 1', destroys: false, counting: { by: 'none' } });
    expect(first.digest).toBe(texts.digest('SELECT 1'));
  });

  it('asks again after a classification failed', async () => {
    const { classify, asked } = fake({});
    const texts = new TextClassifier('app', classify, undefined);
    await expect(texts.classified('SELECT 1')).rejects.toThrow();
    await expect(texts.classified('SELECT 1')).rejects.toThrow();
    expect(asked).toEqual(['SELECT 1', 'SELECT 1']);
  });

  it('counts a plain UPDATE of one table by its tag, with the columns its WHERE pins', async () => {
    const sql = 'UPDATE users SET plan = 1 WHERE id = 5';
    const texts = new TextClassifier('app', fake({ [sql]: [UPDATE_USERS] }).classify, undefined);
    const classified = await texts.classified(sql);
    expect(classified.counting).toEqual({
      by: 'tags',
      statements: [
        {
          statement: 0,
          kind: 'UPDATE',
          table: 'users',
          reference: tableReference('users'),
          pinned: ['id'],
        },
      ],
    });
  });

  it('refuses to count rows changed beside transaction control, and never counts what may destroy', async () => {
    const beside = 'BEGIN; UPDATE users SET plan = 1';
    const texts = new TextClassifier(
      'app',
      fake({ [beside]: [action('BEGIN', 'read', true), UPDATE_USERS], 'DROP TABLE users': [DROP] })
        .classify,
      undefined,
    );
    expect((await texts.classified(beside)).counting).toMatchObject({ by: 'unmeasurable' });
    expect(await texts.classified('DROP TABLE users')).toMatchObject({
      destroys: true,
      counting: { by: 'none' },
    });
  });

  it('classifies an EXECUTE together with its PREPARE text, keeping only the EXECUTE and its own digest', async () => {
    const prepared = 'PREPARE p AS DELETE FROM users';
    const together = `${prepared};\nEXECUTE p`;
    const texts = new TextClassifier(
      'app',
      fake({
        [together]: [
          action('PREPARE', 'destructive', false),
          action('EXECUTE', 'destructive', false),
        ],
      }).classify,
      undefined,
    );
    const classified = await texts.classifiedAfter(prepared, 'EXECUTE p');
    expect(classified.actions.map((one) => one.operation)).toEqual(['EXECUTE']);
    expect(classified).toMatchObject({
      sql: 'EXECUTE p',
      destroys: true,
      digest: texts.digest('EXECUTE p'),
    });
  });

  it('judges a text by its shape with the shape’s actions and counting, and its own digest', async () => {
    const texts = new TextClassifier('app', fake({ 'SELECT 1': [READ] }).classify, undefined);
    const shape = await texts.classified('SELECT 1');
    const reused = texts.asShape('SELECT 2', shape);
    expect(reused).toMatchObject({
      sql: 'SELECT 2',
      destroys: false,
      actions: shape.actions,
      counting: shape.counting,
    });
    expect(reused.digest).toBe(texts.digest('SELECT 2'));
  });
});
