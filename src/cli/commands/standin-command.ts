import { resolve } from 'node:path';
import type { Command } from 'commander';
import { envSecret } from '../../config/index.js';
import { startRailwayStandin } from '../../standins/index.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printJson, printLines } from '../output.js';

/** Environment variable holding the account token the Railway stand-in accepts. */
export const RAILWAY_STANDIN_TOKEN_ENV = 'RAILWAY_STANDIN_TOKEN';

/** Registers `airlock standin railway`: a local Railway API stand-in for the demo and tests. */
export function registerStandinCommand(program: Command): void {
  const standin = program
    .command('standin')
    .description('run a local stand-in for an upstream API (for the demo and tests)');
  standin
    .command('railway')
    .description(
      `serve a Railway GraphQL stand-in at /graphql/v2; accepts the account token in $${RAILWAY_STANDIN_TOKEN_ENV}`,
    )
    .option('--port <n>', 'TCP port (default: a free one)', parsePort, 0)
    .option('--state <file>', 'JSON file to load state from and save it to')
    .option('--seed', 'start from the incident world when there is no saved state')
    .option('--json', 'print the URL as a JSON object')
    .action(async (flags: { port: number; state?: string; seed?: boolean; json?: boolean }) => {
      const token = envSecret(RAILWAY_STANDIN_TOKEN_ENV, process.env);
      // SECURITY: the stand-in never runs open; without a token there is nothing to check callers against.
      if (token === undefined) {
        throw new CliFailure(
          `set $${RAILWAY_STANDIN_TOKEN_ENV} to the account token the stand-in should accept`,
          EXIT.invalidInput,
        );
      }
      const server = await startRailwayStandin({
        port: flags.port,
        tokens: { account: [token] },
        seed: flags.seed === true,
        ...(flags.state === undefined ? {} : { statePath: resolve(flags.state) }),
      });
      if (flags.json === true) printJson({ url: server.url });
      else printLines(`railway stand-in listening on ${server.url} (ctrl-c to stop)`);
      await new Promise<void>((done) => process.once('SIGINT', () => done()));
      await server.close();
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliFailure(`invalid port \`${value}\``, EXIT.invalidInput);
  }
  return port;
}
