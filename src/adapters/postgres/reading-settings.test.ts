import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql, loadSqlParser } from '../../classify/sql/index.js';
import { GUARDED_TARGET_TYPE } from '../../core/index.js';
import {
  decodeStatementText,
  parameterStatusProblem,
  startupParametersProblem,
  startupReportProblem,
} from './reading-settings.js';
import { parseStartupOptions } from './startup-options.js';

beforeAll(async () => {
  await loadSqlParser();
});

/** A ParameterStatus body: name and value, each NUL-terminated. */
function status(name: string, value: string): Buffer {
  return Buffer.from(`${name}\0${value}\0`, 'utf8');
}

function startupProblem(entries: Record<string, string>): string | undefined {
  return startupParametersProblem(new Map(Object.entries(entries)));
}

describe('ParameterStatus from the server', () => {
  it('is a problem when it reports a reading setting off its pin', () => {
    expect(parameterStatusProblem(status('standard_conforming_strings', 'off'))).toBe(
      'the server reports standard_conforming_strings = `off`',
    );
    expect(parameterStatusProblem(status('client_encoding', 'SJIS'))).toBe(
      'the server reports client_encoding = `SJIS`',
    );
    expect(parameterStatusProblem(status('backslash_quote', 'on'))).toBe(
      'the server reports backslash_quote = `on`',
    );
  });

  it('is no problem when it reports the pinned value or another setting', () => {
    expect(parameterStatusProblem(status('standard_conforming_strings', 'on'))).toBeUndefined();
    expect(parameterStatusProblem(status('client_encoding', 'UTF8'))).toBeUndefined();
    expect(parameterStatusProblem(status('TimeZone', 'Europe/Paris'))).toBeUndefined();
    expect(
      parameterStatusProblem(status('application_name', 'standard_conforming_strings')),
    ).toBeUndefined();
  });

  it('is a problem when it cannot be read', () => {
    expect(parameterStatusProblem(Buffer.from('standard_conforming_strings\0off', 'utf8'))).toMatch(
      /cannot read/,
    );
    expect(parameterStatusProblem(Buffer.alloc(0))).toMatch(/cannot read/);
  });

  it('must report both settings the server reports at startup', () => {
    const pinned = [
      status('client_encoding', 'UTF8'),
      status('standard_conforming_strings', 'on'),
      status('server_version', '15.0'),
    ];
    expect(startupReportProblem(pinned)).toBeUndefined();
    expect(startupReportProblem(pinned.slice(1))).toBe('the server did not report client_encoding');
    expect(startupReportProblem([status('client_encoding', 'UTF8')])).toBe(
      'the server did not report standard_conforming_strings',
    );
    expect(startupReportProblem([...pinned, status('standard_conforming_strings', 'off')])).toBe(
      'the server reports standard_conforming_strings = `off`',
    );
  });
});

describe('statement text', () => {
  it('is read as UTF-8', () => {
    expect(decodeStatementText(Buffer.from("SELECT 'ソ', 'é'", 'utf8'))).toBe("SELECT 'ソ', 'é'");
    expect(decodeStatementText(Buffer.alloc(0))).toBe('');
  });

  it('is refused when it is not valid UTF-8 or holds a NUL', () => {
    // SJIS `ソ` is 0x83 0x5C: the trail byte is a backslash.
    expect(
      decodeStatementText(
        Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0x27, 0x83, 0x5c, 0x27]),
      ),
    ).toBeUndefined();
    expect(decodeStatementText(Buffer.from([0xc0, 0xaf]))).toBeUndefined(); // overlong `/`
    expect(decodeStatementText(Buffer.from([0xed, 0xa0, 0x80]))).toBeUndefined(); // a surrogate
    expect(decodeStatementText(Buffer.from('SELECT 1\0; DROP TABLE t', 'utf8'))).toBeUndefined();
  });
});

describe('startup options', () => {
  it('are split and read as PostgreSQL reads them', () => {
    const settings = (options: string) => {
      const parsed = parseStartupOptions(options);
      return parsed.ok
        ? parsed.value.map((setting) => [setting.name, setting.value])
        : parsed.error;
    };
    expect(settings('-c a=1 --b-c=2 -cd=3\t-E -c\ne=4')).toEqual([
      ['a', '1'],
      ['b_c', '2'],
      ['d', '3'],
      ['e', '4'],
    ]);
    // A backslash keeps a space in a word: the second `-c` is part of application_name's value.
    expect(settings('-c application_name=a\\ -c\\ x=y')).toEqual([
      ['application_name', 'a -c x=y'],
    ]);
    expect(settings('-c x=a\\\\ -c y=b')).toEqual([
      ['x', 'a\\'],
      ['y', 'b'],
    ]);
    // `-d` takes the next word as its argument, whatever it is; grouped switches are read one by one.
    expect(settings('-d -c x=y')).toEqual([]);
    expect(settings('-Ec x=y -Fcz=w')).toEqual([
      ['x', 'y'],
      ['z', 'w'],
    ]);
    // glibc's getopt reads on past a word that is not a switch; `--` ends the switches.
    expect(settings('stray -c x=y -- -c z=w')).toEqual([['x', 'y']]);
    expect(settings('')).toEqual([]);
    expect(settings('-c')).toBe('switch `-c` requires a value');
    expect(settings('-c name')).toBe('`-c name` requires a value');
    expect(settings('--name')).toBe('`--name` requires a value');
  });
});

describe('an agent startup packet', () => {
  it('is refused when it asks for another reading of statement text', () => {
    const refused: Record<string, string>[] = [
      { options: '-c standard_conforming_strings=off' },
      { options: '--standard-conforming-strings=off' },
      { options: '-cstandard_conforming_strings=off' },
      { options: '-c statement_timeout=5s  -c Standard_Conforming_Strings=false' },
      { options: '-c client_encoding=SJIS' },
      { options: '-c backslash_quote=on' },
      { options: '-c client_encoding=auto' },
      { standard_conforming_strings: 'off' },
      { Standard_Conforming_Strings: 'no' },
      { backslash_quote: 'on' },
      { client_encoding: 'SJIS' },
      { client_encoding: 'LATIN1' },
      { client_encoding: 'SQL_ASCII' },
    ];
    for (const parameters of refused)
      expect(
        startupProblem({ user: 'agent', database: 'app', ...parameters }),
        JSON.stringify(parameters),
      ).toBeDefined();
  });

  it('says which parameter and what to do', () => {
    expect(startupProblem({ options: '-c standard_conforming_strings=off' })).toBe(
      'startup option `-c standard_conforming_strings=off` would make the server read statement text differently from airlock: remove it from the options (PGOPTIONS) (airlock sessions always have standard_conforming_strings = on)',
    );
    expect(startupProblem({ client_encoding: 'SJIS' })).toBe(
      'client_encoding `SJIS` is not supported: airlock reads every session as UTF-8; connect with client_encoding UTF8 (PGCLIENTENCODING=UTF8)',
    );
    expect(startupProblem({ standard_conforming_strings: 'off' })).toMatch(
      /^startup parameter `standard_conforming_strings=off` would make the server read statement text differently from airlock/,
    );
    expect(startupProblem({ options: '-c' })).toBe(
      'airlock cannot read the startup options: switch `-c` requires a value',
    );
  });

  it("is accepted with the pinned values, UTF-8 in any spelling, or libpq's auto", () => {
    const accepted: Record<string, string>[] = [
      {},
      { client_encoding: 'UTF8' },
      { client_encoding: 'utf-8' },
      { client_encoding: 'auto' },
      { client_encoding: 'Unicode' },
      { standard_conforming_strings: 'on' },
      {
        options:
          '-c standard_conforming_strings=on -c client_encoding=UTF8 --backslash-quote=safe_encoding',
      },
      { options: '-c statement_timeout=0 -c search_path=public' },
      { application_name: 'psql', DateStyle: 'ISO' },
      { options: '-c application_name=a\\ -c\\ standard_conforming_strings=off' },
    ];
    for (const parameters of accepted)
      expect(
        startupProblem({ user: 'agent', database: 'app', ...parameters }),
        JSON.stringify(parameters),
      ).toBeUndefined();
  });

  it('is judged by the same spellings as SET in the SQL classifier', () => {
    const spellings = [
      'on',
      'ON',
      'true',
      'Yes',
      '1',
      'off',
      '0',
      'tr',
      'UTF8',
      'utf-8',
      'unicode',
      'SJIS',
      'safe_encoding',
      'SAFE_ENCODING',
      '',
    ];
    for (const name of ['standard_conforming_strings', 'client_encoding', 'backslash_quote']) {
      for (const value of spellings) {
        const statement = analyzeSql(`SET ${name} = '${value}'`).statements[0];
        const guarded =
          statement?.targets.some((target) => target.type === GUARDED_TARGET_TYPE) ?? true;
        expect(startupProblem({ [name]: value }) !== undefined, `${name}=${value}`).toBe(guarded);
        expect(
          startupProblem({ options: `-c ${name}=${value}` }) !== undefined,
          `-c ${name}=${value}`,
        ).toBe(guarded);
      }
    }
  });
});
