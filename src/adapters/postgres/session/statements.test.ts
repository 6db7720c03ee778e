import { describe, expect, it } from 'vitest';
import type { Action, Decision } from '../../../core/index.js';
import { APPROVAL_POLICY_ID } from '../../../core/index.js';
import type { ClassifiedText } from './classified-text.js';
import type { GatedStatement } from './gate.js';
import {
  PREPARE_PATTERN,
  RESERVED_NAME_PREFIX,
  StatementTable,
  sqlPrepareName,
} from './statements.js';

function action(operation: string, effect: Action['effect'] = 'read'): Action {
  return {
    upstream: 'app',
    surface: 'sql',
    operation,
    effect,
    reversible: effect === 'read',
    targets: [],
    digest: 'd',
  };
}

function classified(sql: string, actions: readonly Action[] = [action('SELECT')]): ClassifiedText {
  return { sql, digest: `digest of ${sql}`, actions, destroys: false, counting: { by: 'none' } };
}

function allowed(sql: string, policyIds: readonly string[] = ['p1']): GatedStatement {
  const decision: Decision = {
    id: `dec_${sql}`,
    verdict: 'allow',
    reasons: [],
    policyIds,
    errors: [],
  };
  return { classified: classified(sql), decision, principal: undefined };
}

const BIND = Buffer.from('bind as sent');

describe('StatementTable', () => {
  it('binds only a statement it allowed, and the portal carries that statement and its Bind', () => {
    const table = new StatementTable();
    table.allow('q', allowed('SELECT 1'), 1_000);
    const statement = table.bind('p', 'q', BIND);
    expect(statement).toMatchObject({
      state: 'allowed',
      executions: 0,
      judgedAt: 1_000,
      approvedOnce: false,
    });
    expect(statement?.classified.sql).toBe('SELECT 1');
    expect(table.portal('p')).toEqual({ statement, bind: BIND });
    expect(table.bind('p2', 'never-parsed', BIND)).toBeUndefined();
    expect(table.portal('p2')).toBeUndefined();
  });

  it('refuses to bind a refused statement, and forgets the portal that tried', () => {
    const table = new StatementTable();
    table.allow('q', allowed('SELECT 1'), 0);
    table.bind('p', 'q', BIND);
    table.refuse('q');
    expect(table.statement('q')).toEqual({ state: 'refused' });
    expect(table.bind('p', 'q', BIND)).toBeUndefined();
    expect(table.portal('p')).toBeUndefined();
  });

  it("refuses portal names under Airlock's reserved prefix", () => {
    const table = new StatementTable();
    table.allow('q', allowed('SELECT 1'), 0);
    expect(table.bind(`${RESERVED_NAME_PREFIX}portal`, 'q', BIND)).toBeUndefined();
    expect(table.portal(`${RESERVED_NAME_PREFIX}portal`)).toBeUndefined();
  });

  it('marks a statement allowed by a human approval as approved for one execution', () => {
    const table = new StatementTable();
    table.allow('q', allowed('DROP TABLE t', [APPROVAL_POLICY_ID]), 0);
    expect(table.statement('q')).toMatchObject({ state: 'allowed', approvedOnce: true });
  });

  it('forgets a closed statement or portal, each by its own kind', () => {
    const table = new StatementTable();
    table.allow('same', allowed('SELECT 1'), 0);
    table.bind('same', 'same', BIND);
    table.close(0x50 /* P */, 'same');
    expect(table.portal('same')).toBeUndefined();
    expect(table.statement('same')?.state).toBe('allowed');
    table.close(0x53 /* S */, 'same');
    expect(table.statement('same')).toBeUndefined();
  });

  it('taints every statement and forgets every portal after a text that may prepare behind its back', () => {
    const table = new StatementTable();
    table.allow('a', allowed('SELECT 1'), 0);
    table.allow('b', allowed('SELECT 2'), 0);
    table.bind('p', 'a', BIND);
    table.rememberSqlPrepare('x', 'PREPARE x AS SELECT 1');
    table.taint('PREPARE y AS SELECT 2');
    expect(table.statement('a')).toEqual({ state: 'tainted' });
    expect(table.statement('b')).toEqual({ state: 'tainted' });
    expect(table.portal('p')).toBeUndefined();
    expect(table.bind('p', 'a', BIND)).toBeUndefined();
    // A PREPARE removes no SQL-level prepared statement; DEALLOCATE and DISCARD may.
    expect(table.sqlPrepared('EXECUTE x')).toBe('PREPARE x AS SELECT 1');
    table.taint('DEALLOCATE y');
    expect(table.sqlPrepared('EXECUTE x')).toBeUndefined();
  });

  it('finds the PREPARE text of a lone EXECUTE by its name folded to lower case, as the server does', () => {
    const table = new StatementTable();
    table.rememberSqlPrepare('purge', 'PREPARE purge AS DELETE FROM t');
    expect(table.sqlPrepared('  EXECUTE Purge(1)')).toBe('PREPARE purge AS DELETE FROM t');
    expect(table.sqlPrepared('execute purge')).toBe('PREPARE purge AS DELETE FROM t');
    expect(table.sqlPrepared('EXECUTE other')).toBeUndefined();
    expect(table.sqlPrepared('SELECT 1')).toBeUndefined();
  });
});

describe('sqlPrepareName', () => {
  it('names a lone PREPARE of an unquoted name, folded to lower case', () => {
    expect(
      sqlPrepareName(
        classified('PREPARE Purge AS DELETE FROM t', [action('PREPARE', 'destructive')]),
      ),
    ).toBe('purge');
  });

  it('names nothing for PREPARE TRANSACTION, several statements, or another operation', () => {
    expect(
      sqlPrepareName(classified("PREPARE TRANSACTION 'x'", [action('PREPARE')])),
    ).toBeUndefined();
    expect(
      sqlPrepareName(
        classified('PREPARE p AS SELECT 1; SELECT 2', [action('PREPARE'), action('SELECT')]),
      ),
    ).toBeUndefined();
    expect(sqlPrepareName(classified('SELECT 1', [action('SELECT')]))).toBeUndefined();
  });
});

describe('PREPARE_PATTERN', () => {
  it('finds texts that may create or remove prepared statements', () => {
    for (const sql of ['PREPARE p AS SELECT 1', 'deallocate all', 'DISCARD ALL'])
      expect(PREPARE_PATTERN.test(sql), sql).toBe(true);
    expect(PREPARE_PATTERN.test('SELECT prepared FROM t')).toBe(false);
  });
});
