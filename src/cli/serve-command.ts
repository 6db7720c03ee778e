import type { Command } from 'commander';
import type { LoadedConfig } from '../config/index.js';
import type { GatewayOptions } from '../server/index.js';
import { startGateway } from '../server/index.js';
import { createFirewall, loadConfigOf, openContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { CliFailure, printJson, printLines } from './output.js';
import { loadEngineFor } from './policy-loading.js';

/** Registers `airlock serve`: the gateway agents reach protected systems through. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the gateway: each configured GraphQL upstream at /graphql/NAME, behind the firewall')
    .option('--port <n>', 'TCP port (default: 8080)', parsePort, 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--json', 'print the URL as a JSON object')
    .action(async (flags: { port: number; host: string; json?: boolean }, command: Command) => {
      // Refuse before opening anything: a gateway without its credentials cannot forward.
      const upstreams = upstreamsOf(loadConfigOf(command), process.env);
      const context = await openContext(command);
      try {
        const { loaded, store } = context;
        const engine = await loadEngineFor(loaded.policyDir);
        const firewall = createFirewall(loaded, store, engine);
        const gateway = await startGateway({
          firewall,
          upstreams,
          productionEnvironments: loaded.config.environments.production,
          host: flags.host,
          port: flags.port,
          approvals: store,
        });
        const paths = Object.keys(upstreams).map((name) => `${gateway.url}/graphql/${name}`);
        if (flags.json === true) printJson({ url: gateway.url, upstreams: paths });
        else printLines(`airlock gateway listening on ${gateway.url}`, ...paths.map((path) => `  ${path}`), '(ctrl-c to stop)');
        await untilSignalled();
        await gateway.close();
      } finally {
        await context.close();
      }
    });
}

/** The GraphQL upstreams of the config with their credentials; refuses listing every problem. */
export function upstreamsOf(loaded: LoadedConfig, env: NodeJS.ProcessEnv): GatewayOptions['upstreams'] {
  const problems: string[] = [];
  const upstreams: Record<string, GatewayOptions['upstreams'][string]> = {};
  for (const [name, upstream] of Object.entries(loaded.config.upstreams)) {
    if (upstream.kind !== 'graphql') continue;
    if (upstream.url === undefined) problems.push(`upstreams.${name}.url: required for a graphql upstream`);
    const credential = upstream.credentialEnv === undefined ? undefined : env[upstream.credentialEnv];
    // SECURITY: only the variable's name is ever shown, never its value.
    if (upstream.credentialEnv === undefined) problems.push(`upstreams.${name}.credentialEnv: required for a graphql upstream`);
    else if (credential === undefined || credential.trim() === '') problems.push(`upstreams.${name}.credentialEnv: $${upstream.credentialEnv} is unset`);
    if (upstream.url !== undefined && credential !== undefined && credential.trim() !== '') {
      upstreams[name] = { kind: 'graphql', url: upstream.url, credential: credential.trim(), credentialHeader: upstream.credentialHeader };
    }
  }
  if (problems.length > 0) throw new CliFailure('cannot start the gateway', EXIT.invalidInput, problems);
  if (Object.keys(upstreams).length === 0) {
    throw new CliFailure('cannot start the gateway', EXIT.invalidInput, ['upstreams: no graphql upstream is configured']);
  }
  return upstreams;
}

function untilSignalled(): Promise<void> {
  return new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliFailure(`invalid port \`${value}\``, EXIT.invalidInput);
  }
  return port;
}
