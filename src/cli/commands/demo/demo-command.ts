import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createGraphqlRoute } from '../../../adapters/graphql/index.js';
import { loadConfig } from '../../../config/index.js';
import { cryptoRandom } from '../../../platform/index.js';
import { startGateway } from '../../../server/index.js';
import { startRailwayStandin } from '../../../standins/index.js';
import { openSqliteStore } from '../../../stores/index.js';
import type { DemoStep } from './demo-story.js';
import { tellIncident } from './demo-story.js';
import { EXIT } from '../../exit-codes.js';
import { CliFailure, printJson, printLines } from '../../output.js';
import { createFirewall, createGrantService } from '../../context.js';
import { loadEngineFor } from '../../policy-loading.js';

/** Registers `airlock demo`: the incident replayed end to end on the Railway stand-in. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'replay the volumeDelete incident through the gateway against a local Railway stand-in',
    )
    .option('--json', 'one JSON object per step')
    .action(async (flags: { json?: boolean }, command: Command) => {
      // The demo's own --home keeps its state; by default it runs in a fresh folder it removes.
      const chosen = command.optsWithGlobals<{ home?: string }>().home;
      const home =
        chosen === undefined ? mkdtempSync(join(tmpdir(), 'airlock-demo-')) : resolve(chosen);
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
  const loaded = loadConfig(home);
  if (!loaded.ok)
    throw new CliFailure('invalid configuration in the demo home', EXIT.invalidInput, loaded.error);
  const config = loaded.value;
  const store = openSqliteStore({ path: config.storeFile });
  // Airlock's own credential for the upstream: the agent never sees it.
  const railwayCredential = `standin_${Buffer.from(cryptoRandom.bytes(18)).toString('base64url')}`;
  const standin = await startRailwayStandin({
    port: 0,
    statePath: join(home, 'railway-standin.json'),
    tokens: { account: [railwayCredential] },
    seed: true,
  });
  try {
    const engine = await loadEngineFor(config.policyDir);
    const firewall = createFirewall(config, store, engine);
    const grants = createGrantService(config, store);
    const upstreams = {
      railway: { kind: 'graphql', url: standin.url, credential: railwayCredential },
    } as const;
    const productionEnvironments = config.config.environments.production;
    const gateway = await startGateway({
      approvals: store,
      routes: (urls) => [
        createGraphqlRoute({
          firewall,
          upstreams,
          productionEnvironments,
          approvalsUrl: urls.approvalsUrl,
        }),
      ],
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
    "  The agent holds only Airlock tokens; Railway's credential stays inside Airlock.",
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
