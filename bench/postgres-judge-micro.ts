/**
 * The CPU of each step Airlock's PostgreSQL path takes for one TPC-B statement, measured alone
 * (no sockets, no PostgreSQL), so the numbers hold on a busy machine: framing, the shape key,
 * PostgreSQL's normalizer, a classification the cache misses (every TPC-B text is new: its
 * constants differ), a request digest, and a full firewall judgment with its SQLite audit append,
 * one at a time and eight at once (the store writes appends of one event-loop turn together).
 *
 * Run: node --import tsx bench/postgres-judge-micro.ts   (BENCH_MICRO_ROUNDS, default 2000)
 */
import { performance } from 'node:perf_hooks';
import { MessageFramer } from '../src/adapters/postgres/wire.js';
import { classifySqlText, literalKey, loadSqlParser, sqlShape } from '../src/classify/sql/index.js';
import { EFFECTS, digestRequest } from '../src/core/index.js';
import { benchFirewall } from './pg-targets.js';

const ROUNDS = Number(process.env['BENCH_MICRO_ROUNDS'] ?? 2000);

let seed = 1;
function random(below: number): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return 1 + (seed % below);
}

/** One pgbench tpcb-like transaction's statements, with fresh constants. */
function tpcbTexts(): string[] {
  const [aid, tid, delta] = [random(100_000), random(10), random(10_000) - 5_000];
  return [
    'BEGIN;',
    `UPDATE pgbench_accounts SET abalance = abalance + ${delta} WHERE aid = ${aid};`,
    `SELECT abalance FROM pgbench_accounts WHERE aid = ${aid};`,
    `UPDATE pgbench_tellers SET tbalance = tbalance + ${delta} WHERE tid = ${tid};`,
    `UPDATE pgbench_branches SET bbalance = bbalance + ${delta} WHERE bid = 1;`,
    `INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (${tid}, 1, ${aid}, ${delta}, CURRENT_TIMESTAMP);`,
    'END;',
  ];
}

function queryMessage(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('Q', 0, 'latin1');
  header.writeInt32BE(text.length + 4, 1);
  return Buffer.concat([header, text]);
}

/** CPU and wall µs per call of `step` over `texts` (per `each` of what one call does); awaits only promises. */
async function measure(
  label: string,
  texts: readonly string[],
  step: (text: string) => unknown,
  each = 1,
): Promise<void> {
  const pass = async (of: readonly string[]) => {
    for (const text of of) {
      const result = step(text);
      if (result instanceof Promise) await result;
    }
  };
  await pass(texts.slice(0, 200));
  const cpu = process.cpuUsage();
  const started = performance.now();
  await pass(texts);
  const wall = (performance.now() - started) * 1000;
  const used = process.cpuUsage(cpu);
  const calls = texts.length * each;
  console.log(
    `  ${label.padEnd(58)} ${((used.user + used.system) / calls).toFixed(2).padStart(9)} ${(wall / calls).toFixed(2).padStart(9)}`,
  );
}

async function main(): Promise<void> {
  await loadSqlParser();
  const texts = Array.from({ length: ROUNDS }, tpcbTexts).flat();
  const messages = texts.map(queryMessage);
  const { store, firewall, grants } = benchFirewall('airlock-micro-');
  const { token } = await grants.issue(
    {
      agent: 'bench',
      owner: 'alice',
      upstreams: ['app'],
      environments: ['*'],
      effects: [...EFFECTS],
      resources: ['*'],
      ttlMs: 3_600_000,
    },
    'human:alice',
  );
  const classified = new Map<string, Awaited<ReturnType<typeof classifySqlText>>>();
  for (const text of texts) classified.set(text, await classifySqlText(text, 'app'));

  console.log(
    `one TPC-B statement, ${texts.length} texts (${ROUNDS} transactions)          CPU µs/call  wall µs/call`,
  );
  const framer = new MessageFramer();
  await measure('framing: push one Q message, next()', texts, (_text) => {
    framer.push(messages[0] as Buffer);
    return framer.next();
  });
  let index = 0;
  await measure('framing: a Q message in two chunks (split mid-text)', texts, () => {
    const message = messages[index++ % messages.length] as Buffer;
    framer.push(message.subarray(0, 9));
    framer.next();
    framer.push(message.subarray(9));
    return framer.next();
  });
  await measure('shape key: literalKey', texts, (text) => literalKey(text));
  await measure('PostgreSQL normalizer: sqlShape', texts, (text) => sqlShape(text));
  await measure(
    'classify a new text (parse + walk): classifySqlText',
    texts.slice(0, 7 * 500),
    (text) => classifySqlText(text, 'app'),
  );
  await measure('request digest (sqlDigest)', texts, (text) =>
    digestRequest({ surface: 'sql', upstream: 'app', sql: text }),
  );
  await measure('authenticate: store.findGrantByTokenHash', texts, () =>
    store.findGrantByTokenHash('0'.repeat(64)),
  );
  const judge = (text: string) => {
    const actions = classified.get(text) ?? [];
    return firewall.judge({ surface: 'sql', digest: actions[0]?.digest ?? '', actions }, token);
  };
  await measure('firewall.judge (auth, Cedar, audit append), one at a time', texts, judge);
  const batches = Array.from({ length: Math.floor(texts.length / 8) }, (_, batch) =>
    texts.slice(batch * 8, batch * 8 + 8),
  );
  await measure(
    'firewall.judge, 8 at once (per judgment)',
    batches.map((_, batch) => String(batch)),
    async (batch) => {
      await Promise.all((batches[Number(batch)] ?? []).map(judge));
    },
    8,
  );
  await store.close();
}

await main();
