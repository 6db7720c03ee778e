import type { Command } from 'commander';
import type { LoadedConfig } from '../config/index.js';
import type { GraphqlUpstream } from '../adapters/graphql/index.js';
import { createGraphqlRoute, graphqlUpstreamsOf } from '../adapters/graphql/index.js';
import { FactorThrottle } from '../firewall/index.js';
import { systemClock } from '../platform/index.js';
import { startGateway } from '../server/index.js';
import { createFirewall, loadConfigOf, openContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { CliFailure, printJson, printLines } from './output.js';
import { loadSwappablePolicy } from './policy-loading.js';
import { enforceBoundary } from './serve-boundary.js';
import { adminServePart } from './serve-admin.js';
import { approvalsServePart } from './serve-approvals.js';
import { checkpointsServePart } from './serve-checkpoints.js';
import { hooksServePart } from './serve-hooks.js';
import { inboxServePart } from './serve-inbox.js';
import { mcpServePart } from './serve-mcp.js';
import type { RunningPart, ServePart, ServePartFactory } from './serve-part.js';
import { postgresServePart } from './serve-postgres.js';
import { restServePart } from './serve-rest.js';
import { tokensServePart } from './serve-tokens.js';
import type { TlsFlags } from './serve-tls.js';
import { tlsIdentityOf } from './serve-tls.js';

/** Every surface besides GraphQL that `airlock serve` may run, each built from its own config. */
const SERVE_PARTS: readonly ServePartFactory[] = [approvalsServePart, inboxServePart, restServePart, mcpServePart, postgresServePart, hooksServePart, tokensServePart, adminServePart, checkpointsServePart];

/** Registers `airlock serve`: the gateway agents reach protected systems through. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the gateway: each configured GraphQL upstream at /graphql/NAME, behind the firewall')
    .option('--port <n>', 'TCP port (default: 8080)', parsePort, 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--json', 'print the URL as a JSON object')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM; with --tls-key); default server.tls of the config')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
    .option('--dev', 'development mode: a home anywhere, started from a developer shell; boundary problems are warnings')
    .option('--allow-root', 'run as root (refused otherwise)')
    .action(async (flags: { port: number; host: string; json?: boolean; dev?: boolean; allowRoot?: boolean }, command: Command) => {
      // SECURITY: everything serve creates (database, WAL, admin socket, snapshots) is its user's alone.
      process.umask(0o077);
      const configured = loadConfigOf(command);
      // Refuse before opening anything: state others can reach is no boundary.
      enforceBoundary(configured, process.env, flags, (text) => process.stderr.write(text));
      // A gateway without its credentials cannot forward.
      const upstreams = upstreamsOf(configured, process.env);
      const context = await openContext(command, 'server');
      const running: RunningPart[] = [];
      try {
        const { loaded, store } = context;
        const tls = tlsIdentityOf(command.opts<TlsFlags>(), loaded);
        const policy = await loadSwappablePolicy(loaded.policyDir);
        const firewall = createFirewall(loaded, store, policy.current);
        const factorThrottle = new FactorThrottle({ clock: systemClock });
        const partContext = { loaded, store, factorThrottle, engine: policy.current, reloadPolicy: policy.reload, firewall, env: process.env, host: flags.host, ...(tls === undefined ? {} : { tls }) };
        const parts: ServePart[] = [];
        for (const factory of SERVE_PARTS) {
          const part = await factory(partContext);
          if (part !== undefined) parts.push(part);
        }
        // Never empty: the agent hooks' route needs no upstream, so serve runs with none configured.
        const productionEnvironments = loaded.config.environments.production;
        const gateway = await startGateway({
          host: flags.host,
          port: flags.port,
          ...(tls === undefined ? {} : { tls }),
          approvals: store,
          routes: (urls) => [createGraphqlRoute({ firewall, upstreams, productionEnvironments, approvalsUrl: urls.approvalsUrl }), ...parts.flatMap((part) => part.routes?.(urls) ?? [])],
        });
        const urls = { url: gateway.url, approvalsUrl: `${gateway.url}/approvals` };
        for (const part of parts) if (part.start !== undefined) running.push(await part.start(urls));
        const paths = Object.keys(upstreams).map((name) => `${gateway.url}/graphql/${name}`);
        const lines = running.flatMap((part) => part.lines);
        if (flags.json === true) printJson({ url: gateway.url, upstreams: paths, surfaces: running.map((part) => part.info) });
        else printLines(`airlock gateway listening on ${gateway.url}`, ...paths.map((path) => `  ${path}`), ...lines.map((line) => `  ${line}`), '(ctrl-c to stop)');
        await untilSignalled();
        await gateway.close();
      } finally {
        for (const part of running) await part.close();
        await context.close();
      }
    });
}

/** The GraphQL upstreams of the config with their credentials; refuses listing every problem. */
export function upstreamsOf(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Record<string, GraphqlUpstream> {
  const sections = Object.fromEntries(Object.entries(loaded.config.upstreams).flatMap(([name, upstream]) => (upstream.kind === 'graphql' ? [[name, upstream]] : [])));
  const upstreams = graphqlUpstreamsOf(sections, { env, home: loaded.home });
  if (!upstreams.ok) throw new CliFailure('cannot start the gateway', EXIT.invalidInput, upstreams.error);
  return upstreams.value;
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
