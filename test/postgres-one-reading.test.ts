import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SQLSTATE } from '../src/adapters/postgres/index.js';
import {
  UpstreamConnectError,
  openUpstreamSession,
} from '../src/adapters/postgres/upstream-connection.js';
import {
  MessageFramer,
  PROTOCOL_V3,
  int32,
  parseErrorFields,
  parseStartupParameters,
  typedMessage,
} from '../src/adapters/postgres/wire.js';
import { classifySqlText } from '../src/classify/sql/index.js';
import { CedarPolicyEngine, loadDefaultPolicyFiles } from '../src/policy/index.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import { startGuardedPostgres } from './pg-proxy-harness.js';
import { verifies } from './requirements.js';

// The two desyncs of issue 16. Each text is, to libpg-query (standard_conforming_strings on,
// UTF-8), one SELECT of string constants; to a server reading otherwise it deletes every row.
//
// With standard_conforming_strings off `\'` is an escaped quote, so the first string runs on to
// the next quote and `; DELETE …` is outside it.
const SCS_DELETE = "SELECT 'a\\', '; DELETE FROM victims; --'";
// The same, as one statement (so it can be sent with Parse): a data-modifying CTE.
const SCS_CTE_DELETE =
  "WITH q AS (SELECT 'a\\', ' ), d AS (DELETE FROM victims RETURNING 1) SELECT count(*) FROM d --' ) SELECT * FROM q";
// In SJIS, 0x83 0x5C is `ソ`: a lead byte swallows the backslash. node-postgres sends this text as
// UTF-8, where `Ã` is 0xC3 0x83, so the bytes on the wire are … 0xC3 0x83 0x5C 0x27 …: valid
// UTF-8 to Airlock (`E'Ã\'…'`, one string), but `ﾃソ'` and a closed string to a server in SJIS.
const SJIS_DROP = "SELECT E'\u00c3\\'; DROP TABLE victims; --'";
const PAYLOADS = [SCS_DELETE, SCS_CTE_DELETE, SJIS_DROP];

const VICTIM_ROWS = 25;
// Past the freeze window of the test firewall (3 denials within 60 s).
const FREEZE_WINDOW_MS = 61_000;
const GUARDED = /is guarded by Airlock \(it changes how PostgreSQL reads statement text/;

const engineResult = CedarPolicyEngine.create(loadDefaultPolicyFiles());
if (!engineResult.ok) throw new Error('the default policy does not load');
const engine = engineResult.value;

let server: TestPostgres;
let guarded: Awaited<ReturnType<typeof startGuardedPostgres>>;

beforeAll(async () => {
  server = await startTestPostgres();
  guarded = await startGuardedPostgres(server, classifySqlText, { engine });
}, 120_000);

afterAll(async () => {
  await guarded?.proxy.close();
  await server?.stop();
});

beforeEach(async () => {
  await guarded.withDirect(async (direct) => {
    await direct.query('DROP TABLE IF EXISTS victims; CREATE TABLE victims (id int PRIMARY KEY)');
    await direct.query(`INSERT INTO victims SELECT generate_series(1, ${VICTIM_ROWS})`);
  });
});

/** Rows left in the victims table, read straight from the server; -1 once it is dropped. */
async function victimRows(): Promise<number> {
  return guarded.withDirect(async (direct) => {
    const exists = await direct.query(
      "SELECT to_regclass('public.victims') IS NOT NULL AS present",
    );
    if (exists.rows[0]?.present !== true) return -1;
    return Number((await direct.query('SELECT count(*) AS n FROM victims')).rows[0]?.n);
  });
}

/**
 * The error a query ends in (undefined when it succeeds). Each call then moves the firewall's
 * clock past the freeze window: these tests send more denied statements on one token than the
 * harness lets an agent hunt for a way around before freezing it.
 */
async function failure(
  client: pg.Client,
  sql: string,
): Promise<{ code?: string; message: string } | undefined> {
  try {
    await client.query(sql);
    return undefined;
  } catch (error) {
    return error as { code?: string; message: string };
  } finally {
    guarded.clock.advance(FREEZE_WINDOW_MS);
  }
}

async function show(client: pg.Client, setting: string): Promise<string> {
  return String((await client.query(`SHOW ${setting}`)).rows[0]?.[setting]);
}

describe('the desyncs, sent straight to PostgreSQL', () => {
  it('are each one SELECT of constants to the classifier', async () => {
    for (const payload of PAYLOADS) {
      const actions = await classifySqlText(payload, 'app');
      expect(
        actions.map((action) => [action.operation, action.effect, action.targets]),
        payload,
      ).toEqual([['SELECT', 'read', []]]);
    }
  });

  it('empty the table after SET standard_conforming_strings = off', async () => {
    await guarded.withDirect(async (direct) => {
      await direct.query('SET standard_conforming_strings = off');
      await direct.query(SCS_DELETE);
    });
    expect(await victimRows()).toBe(0);
  });

  it('empty the table through Parse too', async () => {
    await guarded.withDirect(async (direct) => {
      await direct.query("SELECT set_config('standard_conforming_strings', 'off', false)");
      const result = await direct.query({ name: 'cte-delete', text: SCS_CTE_DELETE });
      expect(result.rows).toEqual([{ count: String(VICTIM_ROWS) }]);
    });
    expect(await victimRows()).toBe(0);
  });

  it("drop the table after SET client_encoding = 'SJIS'", async () => {
    await guarded.withDirect(async (direct) => {
      await direct.query("SET client_encoding = 'SJIS'");
      await direct.query(SJIS_DROP);
    });
    expect(await victimRows()).toBe(-1);
  });
});

describe('through Airlock', () => {
  const changes: readonly (readonly [sql: string, setting: string])[] = [
    ['SET standard_conforming_strings = off', 'standard_conforming_strings'],
    ["SET SESSION standard_conforming_strings TO 'false'", 'standard_conforming_strings'],
    ['set "Standard_Conforming_Strings" = 0', 'standard_conforming_strings'],
    ['SET standard_conforming_strings FROM CURRENT', 'standard_conforming_strings'],
    ["SET client_encoding = 'SJIS'", 'client_encoding'],
    ["SET client_encoding TO 'LATIN1'", 'client_encoding'],
    ["SET NAMES 'SJIS'", 'client_encoding'],
    ['SET backslash_quote = on', 'backslash_quote'],
    [
      "SELECT set_config('standard_conforming_strings', 'off', false)",
      'standard_conforming_strings',
    ],
    ["SELECT pg_catalog.set_config('client_encoding', 'SJIS', false)", 'client_encoding'],
    [
      "SELECT 1 WHERE EXISTS (SELECT set_config('standard_conforming_strings', 'off', false))",
      'standard_conforming_strings',
    ],
    [
      "WITH s AS (SELECT pg_catalog.set_config('client_encoding', 'SJIS', true)) SELECT * FROM s",
      'client_encoding',
    ],
    [
      'ALTER ROLE CURRENT_USER SET standard_conforming_strings = off',
      'standard_conforming_strings',
    ],
    ["ALTER DATABASE app SET client_encoding = 'SJIS'", 'client_encoding'],
    ['ALTER SYSTEM SET standard_conforming_strings = off', 'standard_conforming_strings'],
  ];

  it("every change of a reading setting is denied (42501) with the guard's reason, and nothing changes", async () => {
    verifies('pg.one-reading');
    await guarded.withAgent(async (agent) => {
      for (const [sql, setting] of changes) {
        const error = await failure(agent, sql);
        expect(error?.code, sql).toBe('42501');
        expect(error?.message, sql).toContain(`\`setting:${setting}\``);
        expect(error?.message, sql).toMatch(GUARDED);
      }
      for (const sql of [
        'SET LOCAL standard_conforming_strings = off',
        "SELECT set_config('client_encoding', 'SJIS', true)",
      ]) {
        await agent.query('BEGIN');
        expect((await failure(agent, sql))?.code, sql).toBe('42501');
        await agent.query('ROLLBACK');
      }
      expect(await show(agent, 'standard_conforming_strings')).toBe('on');
      expect(await show(agent, 'client_encoding')).toBe('UTF8');
      expect(await show(agent, 'backslash_quote')).toBe('safe_encoding');
    });
    // Nothing reached the server: no role or database setting was saved.
    await guarded.withDirect(async (direct) => {
      expect(
        (await direct.query('SELECT count(*)::int AS n FROM pg_db_role_setting')).rows,
      ).toEqual([{ n: 0 }]);
    });
  });

  it('a set_config whose setting is computed, and a search_path after which user objects shadow built-ins, are denied', async () => {
    await guarded.withAgent(async (agent) => {
      for (const [sql, id] of [
        [
          "SELECT set_config(current_setting('application_name'), 'off', false)",
          'setting:(computed)',
        ],
        ['SET search_path = public, pg_catalog', 'setting:search_path'],
        ["SELECT set_config('search_path', 'public, PG_CATALOG', false)", 'setting:search_path'],
      ] as const) {
        const error = await failure(agent, sql);
        expect(error?.code, sql).toBe('42501');
        expect(error?.message, sql).toContain(`\`${id}\` is guarded by Airlock`);
      }
      expect(await show(agent, 'search_path')).toBe('"$user", public');
    });
  });

  it('the desyncs afterwards are what Airlock read: constants, and the table is intact', async () => {
    await guarded.withAgent(async (agent) => {
      expect((await failure(agent, 'SET standard_conforming_strings = off'))?.code).toBe('42501');
      expect((await agent.query({ text: SCS_DELETE, rowMode: 'array' })).rows).toEqual([
        ['a\\', '; DELETE FROM victims; --'],
      ]);
      expect(
        (await agent.query({ name: 'cte-delete', text: SCS_CTE_DELETE, rowMode: 'array' })).rows,
      ).toEqual([['a\\', ' ), d AS (DELETE FROM victims RETURNING 1) SELECT count(*) FROM d --']]);
      expect((await failure(agent, "SET client_encoding = 'SJIS'"))?.code).toBe('42501');
      expect(Object.values((await agent.query(SJIS_DROP)).rows[0] ?? {})).toEqual([
        "\u00c3'; DROP TABLE victims; --",
      ]);
    });
    expect(await victimRows()).toBe(VICTIM_ROWS);
  });

  // set_config is judged by its arguments, so its shapes are never plain queries: a recorded
  // allow of pg_dump's `set_config('search_path', '', false)` must not cover another setting.
  it('a reused allow of one set_config never covers another', async () => {
    await guarded.withAgent(async (agent) => {
      await agent.query("SELECT pg_catalog.set_config('search_path', '', false)");
      expect(
        (
          await failure(
            agent,
            "SELECT pg_catalog.set_config('search_path', 'public, pg_catalog', false)",
          )
        )?.code,
      ).toBe('42501');
      expect(
        (
          await failure(
            agent,
            "SELECT pg_catalog.set_config('standard_conforming_strings', 'off', false)",
          )
        )?.code,
      ).toBe('42501');
      expect(await show(agent, 'standard_conforming_strings')).toBe('on');
    });
  });

  it("pg_dump's opening settings and a return to the startup values are allowed", async () => {
    await guarded.withAgent(async (agent) => {
      await agent.query(
        "SET standard_conforming_strings = on; SET client_encoding = 'UTF8'; SELECT pg_catalog.set_config('search_path', '', false);",
      );
      expect(await show(agent, 'search_path')).toBe('');
      // pg_dump 15.8 and later also restrict what it reads, naming the setting through pg_settings.
      await agent.query(
        "SELECT set_config(name, 'view, foreign-table', false) FROM pg_settings WHERE name = 'restrict_nonsystem_relation_kind'",
      );
      expect(await show(agent, 'restrict_nonsystem_relation_kind')).toBe('view, foreign-table');
      for (const sql of [
        "SET client_encoding = 'utf-8'",
        "SET NAMES 'Unicode'",
        'SET standard_conforming_strings = yes',
        "SET backslash_quote = 'SAFE_ENCODING'",
        'RESET standard_conforming_strings',
        'SET client_encoding TO DEFAULT',
        'RESET ALL',
        'DISCARD ALL',
      ]) {
        await agent.query(sql);
        expect(await show(agent, 'standard_conforming_strings'), sql).toBe('on');
        expect(await show(agent, 'client_encoding'), sql).toBe('UTF8');
      }
    });
  });
});

describe('a session whose server starts reading differently', () => {
  it('is ended (ZA006) when the server reports a reading setting off its pin, even after an approved DO block', async () => {
    const agent = guarded.agentClient();
    agent.on('error', () => undefined);
    await agent.connect();
    const block =
      "DO $$ BEGIN PERFORM set_config('standard_conforming_strings', 'off', false); END $$";
    const held = await failure(agent, block);
    expect(held?.code).toBe(SQLSTATE.held);
    const id = /approval id (apr_[A-Za-z0-9_]+)/.exec(held?.message ?? '')?.[1] ?? '';
    await guarded.approveAll(id);
    const ended = await failure(agent, block);
    expect(ended?.code).toBe(SQLSTATE.readingSettingsChanged);
    // Nothing more runs on it: the payload that would now be a DELETE never reaches the server.
    await expect(agent.query(SCS_DELETE)).rejects.toThrow();
    await agent.end().catch(() => undefined);
    expect(await victimRows()).toBe(VICTIM_ROWS);
  });

  it('sent in one pipeline after an approved DO block that switches the reading, the next statement never runs', async () => {
    verifies('pg.one-reading');
    const block =
      "DO $$ BEGIN PERFORM set_config('standard_conforming_strings', 'off', false); END $$";
    const first = await rawSession([Buffer.from(block)]);
    expect(first).toEqual([SQLSTATE.held]);
    const approval = (await guarded.store.listApprovals({ state: 'pending' })).at(-1);
    await guarded.approveAll(approval?.id ?? '');
    const answers = await rawSession([Buffer.from(block), Buffer.from(SCS_DELETE)]);
    expect(answers).toEqual([SQLSTATE.readingSettingsChanged]);
    expect(await victimRows()).toBe(VICTIM_ROWS);
  });

  it('refuses statement text that is not valid UTF-8 (ZA005) and keeps serving', async () => {
    const answers = await rawSession([
      Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0x27, 0x95, 0x5c, 0x27]),
    ]);
    expect(answers).toContain(SQLSTATE.invalidText);
    expect(await victimRows()).toBe(VICTIM_ROWS);
  });
});

/** Sends Query messages of raw bytes on an authenticated session; the SQLSTATEs of the errors answered. */
async function rawSession(texts: readonly Buffer[]): Promise<string[]> {
  const socket = connect({ host: '127.0.0.1', port: guarded.proxy.port });
  await new Promise((resolve) => socket.once('connect', resolve));
  const codes: string[] = [];
  let buffered = Buffer.alloc(0);
  let readies = 0;
  const done = new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 5 && buffered.length >= 1 + buffered.readInt32BE(1)) {
        const type = String.fromCharCode(buffered[0] ?? 0);
        const end = 1 + buffered.readInt32BE(1);
        if (type === 'R' && buffered.readInt32BE(5) === 3)
          socket.write(serialize.password(guarded.token));
        if (type === 'E')
          codes.push(
            /C([0-9A-Z]{5})\0/.exec(buffered.subarray(5, end).toString('latin1'))?.[1] ?? '',
          );
        if (type === 'Z' && ++readies === 1) for (const text of texts) socket.write(rawQuery(text));
        if (type === 'Z' && readies === texts.length + 1) resolve();
        if (type === 'E' && buffered[6] === 0x46 /* FATAL */) resolve();
        buffered = buffered.subarray(end);
      }
    });
  });
  socket.write(startupPacket({ user: 'agent', database: server.database }));
  await done;
  socket.end();
  return codes;
}

function rawQuery(text: Buffer): Buffer {
  return typedMessage('Q', Buffer.concat([text, Buffer.from([0])]));
}

describe('the upstream session', () => {
  it('reads as Airlock does even when the database says otherwise', async () => {
    await guarded.withDirect(async (direct) => {
      await direct.query(`ALTER DATABASE ${server.database} SET standard_conforming_strings = off`);
      await direct.query(`ALTER DATABASE ${server.database} SET client_encoding = 'SJIS'`);
    });
    try {
      // An ordinary session of that database now reads otherwise…
      await guarded.withDirect(async (direct) => {
        expect(await show(direct, 'standard_conforming_strings')).toBe('off');
      });
      // …but Airlock's startup parameters outrank the database's settings, RESET included.
      await guarded.withAgent(async (agent) => {
        expect(await show(agent, 'standard_conforming_strings')).toBe('on');
        expect(await show(agent, 'client_encoding')).toBe('UTF8');
        await agent.query('RESET ALL');
        expect(await show(agent, 'standard_conforming_strings')).toBe('on');
        expect(await show(agent, 'client_encoding')).toBe('UTF8');
        await agent.query(SCS_DELETE);
        await agent.query(SJIS_DROP);
      });
      expect(await victimRows()).toBe(VICTIM_ROWS);
    } finally {
      await guarded.withDirect(async (direct) => {
        await direct.query(`ALTER DATABASE ${server.database} RESET ALL`);
      });
    }
  });

  it('is refused when the server does not report the pinned reading', async () => {
    const fake = await startScriptedUpstream([
      ['client_encoding', 'UTF8'],
      ['standard_conforming_strings', 'off'],
    ]);
    try {
      const target = {
        host: '127.0.0.1',
        port: fake.port,
        database: 'app',
        user: 'airlock',
        password: 'upstream-secret-pw',
      };
      const opening = openUpstreamSession(target);
      await expect(opening).rejects.toBeInstanceOf(UpstreamConnectError);
      const message = await opening.catch((error: Error) => error.message);
      expect(message).toBe(
        'upstream session would read statement text differently from airlock: the server reports standard_conforming_strings = `off`',
      );
      expect(message).not.toContain(target.password);
      // What Airlock asked the server for.
      expect(fake.startups[0]).toMatchObject({
        user: 'airlock',
        database: 'app',
        client_encoding: 'UTF8',
        standard_conforming_strings: 'on',
        backslash_quote: 'safe_encoding',
      });
    } finally {
      await fake.close();
    }
    const silent = await startScriptedUpstream([['client_encoding', 'UTF8']]);
    try {
      const opening = openUpstreamSession({
        host: '127.0.0.1',
        port: silent.port,
        database: 'app',
        user: 'airlock',
        password: undefined,
      });
      await expect(opening).rejects.toThrow(
        'the server did not report standard_conforming_strings',
      );
    } finally {
      await silent.close();
    }
  });
});

describe('an agent startup packet', () => {
  it('asking for another reading in options or client_encoding is refused with 22023', async () => {
    for (const parameters of [
      { options: '-c standard_conforming_strings=off' },
      { options: '--standard-conforming-strings=off' },
      { options: '-c application_name=x -c client_encoding=SJIS' },
      { client_encoding: 'SJIS' },
      { standard_conforming_strings: 'off' },
    ]) {
      const fields = await startupAnswer({
        user: 'agent',
        database: server.database,
        ...parameters,
      });
      expect(fields.get('S'), JSON.stringify(parameters)).toBe('FATAL');
      expect(fields.get('C'), JSON.stringify(parameters)).toBe('22023');
      expect(fields.get('M'), JSON.stringify(parameters)).toMatch(
        /standard_conforming_strings|client_encoding/,
      );
    }
    const withOptions = new pg.Client({
      host: '127.0.0.1',
      port: guarded.proxy.port,
      user: 'agent',
      password: guarded.token,
      database: server.database,
      options: '-c standard_conforming_strings=off',
    });
    await expect(withOptions.connect()).rejects.toMatchObject({ code: '22023' });
  });

  it('from psql with PGCLIENTENCODING=SJIS or PGOPTIONS is refused, saying what to do', async () => {
    const env = {
      PGHOST: '127.0.0.1',
      PGPORT: String(guarded.proxy.port),
      PGUSER: 'agent',
      PGPASSWORD: guarded.token,
      PGDATABASE: server.database,
    };
    const sjis = await psql(['-c', 'SELECT 1'], { ...env, PGCLIENTENCODING: 'SJIS' });
    expect(sjis.status).toBe(2);
    expect(sjis.stderr).toContain(
      'client_encoding `SJIS` is not supported: airlock reads every session as UTF-8; connect with client_encoding UTF8',
    );
    const options = await psql(['-c', 'SELECT 1'], {
      ...env,
      PGOPTIONS: '-c standard_conforming_strings=off',
    });
    expect(options.status).toBe(2);
    expect(options.stderr).toContain(
      'startup option `-c standard_conforming_strings=off` would make the server read statement text differently from airlock',
    );
    const utf8 = await psql(['-At', '-c', 'SHOW client_encoding'], {
      ...env,
      PGCLIENTENCODING: 'UTF8',
      PGOPTIONS: '-c standard_conforming_strings=on',
    });
    expect(utf8).toMatchObject({ status: 0, stdout: 'UTF8\n' });
  });
});

/** Sends a startup packet to the proxy and returns the fields of the ErrorResponse it answers with. */
function startupAnswer(parameters: Record<string, string>): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: guarded.proxy.port }, () =>
      socket.write(startupPacket(parameters)),
    );
    const framer = new MessageFramer();
    socket.on('data', (chunk: Buffer) => {
      framer.push(chunk);
      for (let message = framer.next(); message !== undefined; message = framer.next()) {
        if (message.type === 0x45 /* E */) {
          socket.destroy();
          resolve(parseErrorFields(message.body));
        } else {
          socket.destroy();
          reject(
            new Error(
              `expected an ErrorResponse, got message ${String.fromCharCode(message.type)}`,
            ),
          );
        }
      }
    });
    socket.on('error', reject);
  });
}

/** A protocol 3.0 startup packet with exactly these parameters (pg-protocol's adds client_encoding=UTF8). */
function startupPacket(parameters: Record<string, string>): Buffer {
  const pairs = Object.entries(parameters).flatMap(([key, value]) => [key, value]);
  const body = Buffer.concat([
    int32(PROTOCOL_V3),
    ...pairs.map((text) => Buffer.from(`${text}\0`)),
    Buffer.from([0]),
  ]);
  return Buffer.concat([int32(body.length + 4), body]);
}

/** Runs psql without blocking the event loop, which serves the proxy in this same process. */
function psql(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('psql', ['-X', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end();
  });
}

/**
 * A server that speaks just enough of the protocol to open a session: it trusts the client and
 * reports the given parameters. A real PostgreSQL cannot be made to report a reading other than
 * the one Airlock's startup packet asks for, which is what this stands in for.
 */
async function startScriptedUpstream(
  reports: readonly (readonly [string, string])[],
): Promise<{ port: number; startups: Record<string, string>[]; close(): Promise<void> }> {
  const startups: Record<string, string>[] = [];
  const sockets = new Set<Socket>();
  const fake: Server = createServer((socket) => {
    sockets.add(socket);
    const framer = new MessageFramer();
    socket.on('data', (chunk: Buffer) => {
      framer.push(chunk);
      const packet = framer.nextStartup();
      if (packet === undefined) return;
      startups.push(Object.fromEntries(parseStartupParameters(packet)));
      const status = reports.map(([name, value]) =>
        typedMessage('S', Buffer.from(`${name}\0${value}\0`)),
      );
      socket.write(
        Buffer.concat([
          typedMessage('R', Buffer.alloc(4)),
          ...status,
          typedMessage('K', Buffer.alloc(8)),
          typedMessage('Z', Buffer.from('I')),
        ]),
      );
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  return {
    port: (fake.address() as AddressInfo).port,
    startups,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        fake.close(() => resolve());
      }),
  };
}
