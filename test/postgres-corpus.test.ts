import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLSTATE } from '../src/adapters/postgres/index.js';
import { classifierFor } from '../src/classify/index.js';
import { SQL_CLASSIFIER, classifySqlText } from '../src/classify/sql/index.js';
import type { CheckVerdict } from '../src/firewall/index.js';
import { dryRunLine } from '../src/firewall/index.js';
import { CedarPolicyEngine, loadDefaultPolicyFiles } from '../src/policy/index.js';
import type { TestPostgres } from './pg-server.js';
import { startTestPostgres } from './pg-server.js';
import { startGuardedPostgres } from './pg-proxy-harness.js';

interface SqlCase {
  readonly id: string;
  readonly surface: string;
  readonly input: { sql?: string; extended?: ExtendedMessage[] };
}
type ExtendedMessage = {
  parse?: string;
  name?: string;
  bind?: string;
  params?: unknown[];
  execute?: string;
  close?: string;
};

const CASES = readFileSync(join(import.meta.dirname, 'corpus', 'public.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as SqlCase)
  .filter((entry) => entry.surface === 'sql');

const AIRLOCK_CODES = new Set<string>([
  SQLSTATE.held,
  SQLSTATE.denied,
  SQLSTATE.unavailable,
  SQLSTATE.unprepared,
  SQLSTATE.snapshotFailed,
]);

let server: TestPostgres;
let guarded: Awaited<ReturnType<typeof startGuardedPostgres>>;
const engineResult = CedarPolicyEngine.create(loadDefaultPolicyFiles());
if (!engineResult.ok) throw new Error('the default policy does not load');
const engine = engineResult.value;

beforeAll(async () => {
  server = await startTestPostgres();
  guarded = await startGuardedPostgres(server, classifySqlText, { engine });
}, 120_000);

afterAll(async () => {
  await guarded?.proxy.close();
  await server?.stop();
});

/**
 * The tables the cases destroy exist and hold rows before each case: the proxy asks the server
 * whether a DROP or TRUNCATE would destroy anything, and on an empty database nothing would.
 */
async function fillTables(): Promise<void> {
  await guarded.withDirect(async (direct) => {
    for (const table of ['users', '"Users"', 'orders']) {
      await direct.query(`CREATE TABLE IF NOT EXISTS ${table} (id int)`);
      await direct.query(`INSERT INTO ${table} SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM ${table})`);
    }
  });
}

/** Sends a case through the proxy with `pg`: whether Airlock stopped it (an Airlock SQLSTATE). */
async function stoppedByProxy(entry: SqlCase): Promise<boolean> {
  await fillTables();
  const client = guarded.agentClient();
  await client.connect();
  let stopped = false;
  const run = async (query: Parameters<pg.Client['query']>[0]): Promise<void> => {
    try {
      await client.query(query as string);
    } catch (error) {
      // Errors from the server itself (a missing table) mean the statement was forwarded.
      if (AIRLOCK_CODES.has((error as { code?: string }).code ?? '')) stopped = true;
    }
  };
  try {
    if (entry.input.sql !== undefined) await run(entry.input.sql);
    const prepared = new Map<string, string>();
    let bound: { name: string; values: unknown[] } | undefined;
    for (const message of entry.input.extended ?? []) {
      if (message.parse !== undefined) prepared.set(message.name ?? '', message.parse);
      if (message.bind !== undefined) bound = { name: message.bind, values: message.params ?? [] };
      if (message.execute !== undefined && bound !== undefined) {
        const text = prepared.get(bound.name) ?? '';
        await run({
          name: bound.name === '' ? undefined : bound.name,
          text,
          values: bound.values,
        } as never);
      }
    }
  } finally {
    await client.end();
  }
  return stopped;
}

describe('sql corpus through the real proxy', () => {
  it.skipIf(SQL_CLASSIFIER === undefined)(
    'stops exactly the cases `airlock check` does not allow',
    async () => {
      const mismatches: string[] = [];
      for (const entry of CASES) {
        const check: CheckVerdict = await dryRunLine(JSON.stringify(entry), {
          engine,
          decide: { productionEnvironments: ['production'], approvalsObtainable: 2 },
          classify: classifierFor,
        });
        const stopped = await stoppedByProxy(entry);
        if (stopped !== (check.verdict !== 'allow'))
          mismatches.push(
            `${entry.id}: check says ${check.verdict}, proxy ${stopped ? 'stopped it' : 'forwarded it'}`,
          );
      }
      expect(mismatches).toEqual([]);
    },
    120_000,
  );
});
