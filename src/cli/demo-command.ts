import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_APPROVAL_OPTIONS, Firewall, GrantService } from '../firewall/index.js';
import { cryptoRandom, randomIds, systemClock } from '../platform/index.js';
import { startGateway } from '../server/index.js';
import { startRailwayStandin } from '../standins/index.js';
import { openSqliteStore } from '../stores/index.js';
import type { DemoStep } from './demo-story.js';
import { tellIncident } from './demo-story.js';
import { EXIT } from './exit-codes.js';
import { printJson, printLines } from './output.js';
import { loadEngineFor } from './policy-loading.js';

const PRODUCTION = ['production'];

/** Registers `airlock demo`: the incident replayed end to end on the Railway stand-in. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('replay the volumeDelete incident through the gateway against a local Railway stand-in')
    .option('--json', 'one JSON object per step')
    .action(async (flags: { json?: boolean }, command: Command) => {
      // The demo's own --home keeps its state; by default it runs in a fresh folder it removes.
      const chosen = command.optsWithGlobals<{ home?: string }>().home;
      const home = chosen === undefined ? mkdtempSync(join(tmpdir(), 'airlock-demo-')) : resolve(chosen);
      mkdirSync(home, { recursive: true });
      try {
        const told = await runDemo(home, flags.json === true);
        if (!told) process.exitCode = EXIT.failed;
      } finally {
        if (chosen === undefined) rmSync(home, { recursive: true, force: true });
        else if (flags.json !== true) printLines(`state, stand-in and audit kept in ${home}`);
      }
    });
}

async function runDemo(home: string, json: boolean): Promise<boolean> {
  const store = openSqliteStore({ path: join(home, 'airlock.db') });
  // Airlock's own credential for the upstream: the agent never sees it.
  const railwayCredential = `standin_${Buffer.from(cryptoRandom.bytes(18)).toString('base64url')}`;
  const standin = await startRailwayStandin({ port: 0, statePath: join(home, 'railway-standin.json'), tokens: { account: [railwayCredential] }, seed: true });
  try {
    const engine = await loadEngineFor(join(home, 'policies'));
    const firewall = new Firewall({
      store,
      engine: () => engine,
      clock: systemClock,
      ids: randomIds,
      decide: { productionEnvironments: PRODUCTION, approvalsObtainable: 2 },
      freeze: { maxDenials: 5, windowMs: 600_000 },
      approvals: DEFAULT_APPROVAL_OPTIONS,
    });
    const grants = new GrantService({ store, clock: systemClock, ids: randomIds, random: cryptoRandom, limits: { maxTtlMs: 86_400_000 } });
    const gateway = await startGateway({
      firewall,
      upstreams: { railway: { kind: 'graphql', url: standin.url, credential: railwayCredential } },
      productionEnvironments: PRODUCTION,
      approvals: store,
    });
    try {
      if (!json) printIntro(standin.url, gateway.url);
      return await tellIncident({
        home,
        gatewayUrl: gateway.url,
        store,
        grants,
        volumeExists: (id) => standin.state.state.volumes.some((volume) => volume.id === id),
        emit: (step) => (json ? printJson(withoutLines(step)) : printStep(step)),
      });
    } finally {
      await gateway.close();
    }
  } finally {
    await standin.close();
    await store.close();
  }
}

function printIntro(standinUrl: string, gatewayUrl: string): void {
  printLines(
    'Airlock demo: the volumeDelete incident, replayed.',
    `  Railway stand-in (real schema, real HTTP): ${standinUrl}`,
    `  Airlock gateway, the only way the agent reaches it: ${gatewayUrl}/graphql/railway`,
    '  The agent holds only Airlock tokens; Railway\'s credential stays inside Airlock.',
    '',
  );
}

function printStep(step: DemoStep): void {
  printLines(step.title, ...step.lines, '');
}

function withoutLines(step: DemoStep): Record<string, unknown> {
  const { lines: _lines, title: _title, ...rest } = step;
  return rest;
}
