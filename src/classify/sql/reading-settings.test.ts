import { beforeAll, describe, expect, it } from 'vitest';
import { GUARDED_TARGET_TYPE } from '../../core/index.js';
import type { Effect } from '../../core/index.js';
import { analyzeSql } from './index.js';
import { isUtf8Name, splitIdentifiers } from './reading-settings.js';
import { loadSqlParser } from './sql-parser.js';

beforeAll(async () => {
  await loadSqlParser();
});

/** The guarded targets of each statement of a SQL string (empty when the guard lets it pass). */
function guarded(sql: string): string[][] {
  return analyzeSql(sql).statements.map((statement) =>
    statement.targets
      .filter((target) => target.type === GUARDED_TARGET_TYPE)
      .map((target) => target.id),
  );
}

/** The one statement of `sql`: its effect and its targets as `type:id`. */
function judged(sql: string): { effect: Effect; targets: string[] } {
  const statements = analyzeSql(sql).statements;
  expect(statements, sql).toHaveLength(1);
  const [statement] = statements;
  return {
    effect: statement?.effect ?? 'unknown',
    targets: (statement?.targets ?? []).map((target) => `${target.type}:${target.id}`),
  };
}

function expectDenied(cases: readonly (readonly [sql: string, setting: string])[]): void {
  for (const [sql, setting] of cases) {
    const { effect, targets } = judged(sql);
    expect(targets, sql).toContain(`${GUARDED_TARGET_TYPE}:setting:${setting}`);
    expect(effect, sql).toBe('unknown');
  }
}

function expectUnguarded(sqls: readonly string[]): void {
  for (const sql of sqls) expect(guarded(sql).flat(), sql).toEqual([]);
}

describe('changes to how PostgreSQL reads statement text', () => {
  it('are denied by the guard, whatever SET spells them', () => {
    expectDenied([
      ['SET standard_conforming_strings = off', 'standard_conforming_strings'],
      ['SET standard_conforming_strings TO false', 'standard_conforming_strings'],
      ["SET SESSION standard_conforming_strings = 'OFF'", 'standard_conforming_strings'],
      ['SET LOCAL standard_conforming_strings TO 0', 'standard_conforming_strings'],
      ['set Standard_Conforming_Strings = No', 'standard_conforming_strings'],
      ['SET "STANDARD_CONFORMING_STRINGS" = off', 'standard_conforming_strings'],
      // Prefixes of true mean true to PostgreSQL; the guard only knows the plain words.
      ['SET standard_conforming_strings = tr', 'standard_conforming_strings'],
      ['SET standard_conforming_strings = 1.0', 'standard_conforming_strings'],
      ['SET standard_conforming_strings FROM CURRENT', 'standard_conforming_strings'],
      ["SET client_encoding = 'SJIS'", 'client_encoding'],
      ["SET client_encoding TO 'LATIN1'", 'client_encoding'],
      ["SET LOCAL client_encoding = 'BIG5'", 'client_encoding'],
      ["SET client_encoding = 'SQL_ASCII'", 'client_encoding'],
      ["SET client_encoding = 'UTF8', 'SJIS'", 'client_encoding'],
      ['SET client_encoding = 6', 'client_encoding'],
      ["SET NAMES 'SJIS'", 'client_encoding'],
      ["SET NAMES 'gbk'", 'client_encoding'],
      ['SET client_encoding FROM CURRENT', 'client_encoding'],
      ['SET backslash_quote = on', 'backslash_quote'],
      ['SET backslash_quote TO off', 'backslash_quote'],
      ["SET LOCAL backslash_quote = 'true'", 'backslash_quote'],
    ]);
  });

  it('are denied through set_config, qualified or not, anywhere in a statement', () => {
    expectDenied([
      [
        "SELECT set_config('standard_conforming_strings', 'off', false)",
        'standard_conforming_strings',
      ],
      [
        "SELECT pg_catalog.set_config('standard_conforming_strings', 'off', true)",
        'standard_conforming_strings',
      ],
      ["SELECT set_config('Client_Encoding', 'SJIS', false)", 'client_encoding'],
      ["SELECT set_config('client_encoding'::text, 'SJIS'::text, false)", 'client_encoding'],
      ["SELECT set_config(E'backslash\\x5fquote', 'on', false)", 'backslash_quote'],
      [
        "SELECT * FROM set_config('standard_conforming_strings', 'off', false)",
        'standard_conforming_strings',
      ],
      [
        "SELECT 1 WHERE EXISTS (SELECT set_config('standard_conforming_strings', 'off', false))",
        'standard_conforming_strings',
      ],
      [
        "WITH s AS (SELECT set_config('client_encoding', 'SJIS', false)) SELECT * FROM s",
        'client_encoding',
      ],
      [
        "SELECT (SELECT (SELECT pg_catalog.set_config('backslash_quote', 'on', false)))",
        'backslash_quote',
      ],
      [
        "SELECT lower(set_config('standard_conforming_strings', 'off', false))",
        'standard_conforming_strings',
      ],
      [
        "UPDATE t SET a = set_config('standard_conforming_strings', 'off', false) WHERE id = 1",
        'standard_conforming_strings',
      ],
      [
        "DELETE FROM t WHERE id = 1 AND set_config('client_encoding', 'SJIS', false) IS NOT NULL",
        'client_encoding',
      ],
      [
        "INSERT INTO t VALUES (set_config('standard_conforming_strings', 'off', false))",
        'standard_conforming_strings',
      ],
      [
        "PREPARE p AS SELECT set_config('standard_conforming_strings', 'off', false)",
        'standard_conforming_strings',
      ],
      // A value Airlock cannot compute is not the pinned one.
      [
        "SELECT set_config('standard_conforming_strings', current_setting('x.y'), false)",
        'standard_conforming_strings',
      ],
      [
        "SELECT set_config('standard_conforming_strings', NULL, false)",
        'standard_conforming_strings',
      ],
      // Not the built-in's shape, but it names a reading setting: denied all the same.
      ["SELECT set_config('standard_conforming_strings', 'off')", 'standard_conforming_strings'],
    ]);
  });

  it('are denied when set_config names its setting with anything but a constant', () => {
    expectDenied([
      ["SELECT set_config(current_setting('x.name'), 'off', false)", '(computed)'],
      ["SELECT set_config('standard_' || 'conforming_strings', 'off', false)", '(computed)'],
      ["SELECT set_config(name, 'off', false) FROM settings_to_change", '(computed)'],
      ['SELECT set_config($1, $2, false)', '(computed)'],
      ["SELECT set_config(NULL, 'off', false)", '(computed)'],
    ]);
  });

  it('are denied in ALTER ROLE, ALTER DATABASE and ALTER SYSTEM', () => {
    expectDenied([
      ["ALTER ROLE app_user SET client_encoding = 'SJIS'", 'client_encoding'],
      ['ALTER ROLE ALL SET standard_conforming_strings = off', 'standard_conforming_strings'],
      ['ALTER ROLE app_user IN DATABASE app SET backslash_quote = on', 'backslash_quote'],
      ['ALTER USER app_user SET standard_conforming_strings TO off', 'standard_conforming_strings'],
      ['ALTER DATABASE app SET standard_conforming_strings = off', 'standard_conforming_strings'],
      ["ALTER DATABASE app SET client_encoding TO 'SJIS'", 'client_encoding'],
      ['ALTER SYSTEM SET standard_conforming_strings = off', 'standard_conforming_strings'],
      ['ALTER SYSTEM SET backslash_quote = on', 'backslash_quote'],
    ]);
    // The statement itself stays what it was: ALTER DATABASE changes every later session.
    expect(judged('ALTER DATABASE app SET standard_conforming_strings = off').targets).toContain(
      'database:app',
    );
    expect(judged("ALTER ROLE app_user SET client_encoding = 'SJIS'").targets).toContain(
      'role:app_user',
    );
  });

  it('let the pinned values and a return to the startup values pass', () => {
    expectUnguarded([
      'SET standard_conforming_strings = on',
      'SET standard_conforming_strings = ON',
      "SET standard_conforming_strings = 'on'",
      'SET standard_conforming_strings TO true',
      "SET LOCAL standard_conforming_strings = 'Yes'",
      'SET standard_conforming_strings = 1',
      "SET client_encoding = 'UTF8'",
      'SET client_encoding = utf8',
      "SET client_encoding TO 'UTF-8'",
      "SET SESSION client_encoding = 'unicode'",
      "SET NAMES 'utf_8'",
      "SET backslash_quote = 'safe_encoding'",
      'SET backslash_quote = SAFE_ENCODING',
      "SELECT set_config('standard_conforming_strings', 'on', false)",
      "SELECT pg_catalog.set_config('client_encoding', 'UTF-8', true)",
      'RESET standard_conforming_strings',
      'RESET client_encoding',
      'RESET ALL',
      'SET standard_conforming_strings TO DEFAULT',
      'SET client_encoding = DEFAULT',
      'SET NAMES DEFAULT',
      'DISCARD ALL',
      'ALTER DATABASE app RESET standard_conforming_strings',
      'ALTER ROLE app_user RESET ALL',
      'ALTER SYSTEM RESET backslash_quote',
      'SHOW standard_conforming_strings',
      "SELECT current_setting('client_encoding')",
    ]);
  });

  it('keeps pg_dump working: its settings read', () => {
    const dump =
      "SET standard_conforming_strings = on; SET client_encoding = 'UTF8'; SELECT pg_catalog.set_config('search_path', '', false);";
    expect(
      analyzeSql(dump).statements.map((statement) => [
        statement.operation,
        statement.effect,
        statement.targets,
      ]),
    ).toEqual([
      ['SET', 'read', []],
      ['SET', 'read', []],
      ['SELECT', 'read', []],
    ]);
  });
});

describe('set_config with a setting that is not a reading setting', () => {
  it('is judged as the SET of the same setting and value', () => {
    const pairs: readonly (readonly [setting: string, value: string])[] = [
      ['search_path', ''],
      ['search_path', 'public'],
      ['statement_timeout', '0'],
      ['role', 'postgres'],
      ['session_replication_role', 'replica'],
      ['session_preload_libraries', 'evil'],
      ['Session_Authorization', 'bob'],
    ];
    for (const [setting, value] of pairs) {
      const call = judged(`SELECT pg_catalog.set_config('${setting}', '${value}', false)`);
      const statement = judged(`SET "${setting}" = '${value}'`);
      expect(call, setting).toEqual(statement);
    }
    expect(judged("SELECT set_config('role', 'postgres', false)")).toEqual({
      effect: 'destructive',
      targets: ['setting:role'],
    });
    expect(judged("SELECT set_config('statement_timeout', '5s', true)")).toEqual({
      effect: 'read',
      targets: [],
    });
  });

  it('matches setting names without case, as PostgreSQL does', () => {
    expect(judged('SET "ROLE" = \'postgres\'')).toEqual({
      effect: 'destructive',
      targets: ['setting:role'],
    });
    expect(judged('SET "Session_Replication_Role" = \'replica\'')).toEqual({
      effect: 'destructive',
      targets: ['setting:session_replication_role'],
    });
  });

  it('is unknown when the call may not be the built-in', () => {
    for (const sql of [
      "SELECT set_config('statement_timeout', '0')",
      "SELECT set_config('statement_timeout', '0', 'f')",
      "SELECT set_config('statement_timeout', '0', false, 1)",
      "SELECT set_config(VARIADIC ARRAY['statement_timeout', '0'])",
      "SELECT public.set_config('statement_timeout', '0', false)",
    ]) {
      expect(judged(sql).effect, sql).toBe('unknown');
    }
  });

  it('counts set_config among the names a new or renamed function must not take', () => {
    expect(
      judged(
        "CREATE FUNCTION set_config(text, text, text) RETURNS text LANGUAGE sql AS 'SELECT $1'",
      ).effect,
    ).toBe('unknown');
    expect(judged('ALTER FUNCTION my_set(text, text, text) RENAME TO set_config').effect).toBe(
      'unknown',
    );
    expect(
      judged("CREATE FUNCTION my_set(text) RETURNS text LANGUAGE sql AS 'SELECT $1'").effect,
    ).toBe('write');
  });
});

describe('set_config(name, …) over pg_settings', () => {
  it('is the setting the WHERE clause fixes, as pg_dump runs it', () => {
    expect(
      judged(
        "SELECT set_config(name, 'view, foreign-table', false) FROM pg_settings WHERE name = 'restrict_nonsystem_relation_kind'",
      ),
    ).toEqual({ effect: 'read', targets: ['table:pg_settings'] });
    expect(
      judged(
        "SELECT set_config(name, 'replica', false) FROM pg_catalog.pg_settings WHERE 'session_replication_role' = name AND context = 'user'",
      ),
    ).toEqual({
      effect: 'destructive',
      targets: ['setting:session_replication_role', 'table:pg_catalog.pg_settings'],
    });
    expectDenied([
      [
        "SELECT set_config(name, 'off', false) FROM pg_settings WHERE name = 'standard_conforming_strings'",
        'standard_conforming_strings',
      ],
    ]);
  });

  it('is computed, and denied, when the rows may name any setting', () => {
    expectDenied([
      ["SELECT set_config(name, 'off', false) FROM pg_settings", '(computed)'],
      [
        "SELECT set_config(name, 'off', false) FROM pg_settings WHERE name = 'a' OR true",
        '(computed)',
      ],
      [
        "SELECT set_config(name, 'off', false) FROM pg_settings WHERE name LIKE 'restrict%'",
        '(computed)',
      ],
      ["SELECT set_config(name, 'off', false) FROM pg_settings WHERE name <> 'a'", '(computed)'],
      [
        "SELECT set_config(name, 'off', false) FROM public.pg_settings WHERE name = 'a'",
        '(computed)',
      ],
      [
        "SELECT set_config(name, 'off', false) FROM pg_settings, other WHERE name = 'a'",
        '(computed)',
      ],
      ["SELECT set_config(name, 'off', false) FROM my_settings WHERE name = 'a'", '(computed)'],
      [
        "WITH pg_settings AS (SELECT 'standard_conforming_strings' AS name) SELECT set_config(name, 'off', false) FROM pg_settings WHERE name = 'a'",
        '(computed)',
      ],
      // The WHERE clause is not known to run before set_config within it.
      [
        "SELECT 1 FROM pg_settings WHERE name = 'a' AND set_config(name, 'off', false) IS NOT NULL",
        '(computed)',
      ],
      [
        "SELECT 1 FROM pg_settings WHERE name = 'a' ORDER BY set_config(name, 'off', false)",
        '(computed)',
      ],
      // A subquery's `name` is not the outer row's.
      [
        "SELECT (SELECT set_config(name, 'off', false) FROM other) FROM pg_settings WHERE name = 'a'",
        '(computed)',
      ],
      [
        "UPDATE t SET a = set_config(name, 'off', false) FROM pg_settings WHERE name = 'a'",
        '(computed)',
      ],
      [
        "SELECT set_config(s.name, 'off', false) FROM pg_settings s WHERE s.name = 'a'",
        '(computed)',
      ],
    ]);
  });
});

describe('search_path', () => {
  it('is denied when it names pg_catalog after another schema', () => {
    expectDenied([
      ['SET search_path = public, pg_catalog', 'search_path'],
      ['SET search_path TO evil, PG_CATALOG', 'search_path'],
      ["SET LOCAL search_path = 'evil', 'pg_catalog'", 'search_path'],
      ["SELECT set_config('search_path', 'public, pg_catalog', false)", 'search_path'],
      ["SELECT set_config('search_path', 'evil,PG_CATALOG', false)", 'search_path'],
      ["SELECT set_config('search_path', '\"evil\" , pg_catalog', true)", 'search_path'],
      ["SELECT set_config('search_path', current_setting('x.path'), false)", 'search_path'],
      ["SELECT set_config('search_path', 'a, \"unterminated', false)", 'search_path'],
      ['ALTER ROLE app_user SET search_path = evil, pg_catalog', 'search_path'],
      ['ALTER DATABASE app SET search_path = evil, pg_catalog', 'search_path'],
    ]);
  });

  it('stays as it was without pg_catalog or with pg_catalog first', () => {
    expect(judged('SET search_path = public').effect).toBe('read');
    expect(judged('SET search_path = pg_catalog, public').effect).toBe('read');
    expect(judged("SET search_path = '$user', public").effect).toBe('read');
    // One schema whose name has a comma in it: SET quotes each value as an identifier.
    expect(judged("SET search_path = 'public, pg_catalog'").effect).toBe('read');
    expect(judged("SELECT set_config('search_path', 'pg_catalog, public', false)").effect).toBe(
      'read',
    );
    // A quoted name keeps its case: "PG_CATALOG" is another schema, and pg_catalog comes first.
    expect(judged("SELECT set_config('search_path', 'evil, \"PG_CATALOG\"', false)").effect).toBe(
      'read',
    );
    expect(judged('RESET search_path').effect).toBe('read');
  });

  it('is split as PostgreSQL splits a list of identifiers', () => {
    expect(splitIdentifiers('')).toEqual([]);
    expect(splitIdentifiers('  ')).toEqual([]);
    expect(splitIdentifiers('public')).toEqual(['public']);
    expect(splitIdentifiers(' A ,\t"B ""x"" C" ,c')).toEqual(['a', 'B "x" C', 'c']);
    expect(splitIdentifiers('"a,b", pg_catalog')).toEqual(['a,b', 'pg_catalog']);
    expect(splitIdentifiers('x'.repeat(70))).toEqual(['x'.repeat(63)]);
    expect(splitIdentifiers(`"${'é'.repeat(40)}"`)).toEqual(['é'.repeat(31)]);
    for (const bad of ['a,', ',a', 'a b', '"a', 'a,,b', 'a "b"'])
      expect(splitIdentifiers(bad), bad).toBeUndefined();
  });
});

describe('encoding names', () => {
  it('mean UTF-8 whatever their case and punctuation, as PostgreSQL reads them', () => {
    for (const name of ['UTF8', 'utf8', 'UTF-8', 'utf_8', 'Unicode', 'U.T.F 8'])
      expect(isUtf8Name(name), name).toBe(true);
    for (const name of ['SJIS', 'LATIN1', 'SQL_ASCII', 'UTF16', 'utf', '', 'auto', 'ｕｔｆ８'])
      expect(isUtf8Name(name), name).toBe(false);
  });
});
