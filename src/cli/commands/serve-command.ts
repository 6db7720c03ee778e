import type { Command } from 'commander';
import { FactorThrottle } from '../../firewall/index.js';
import { randomIds, systemClock } from '../../platform/index.js';
import type { TlsFlags } from '../../server/index.js';
import {
  createFirewall,
  enforceBoundary,
  startServer,
  tlsIdentityOf,
  validateSurfaces,
} from '../../server/index.js';
import { adminOperationsOf } from '../admin-operations-of.js';
import { verifyAuditLogOf } from '../audit-verify.js';
import { createGrantService, loadConfigOf, openContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printJson, printLines } from '../output.js';
import { loadSwappablePolicy } from '../policy-loading.js';

/** The channel admin changes made through the server are recorded with. */
export const ADMIN_API_CHANNEL = 'admin-api';

/** Registers `airlock serve`: the gateway agents reach protected systems through. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'run the gateway: each configured GraphQL upstream at /graphql/NAME, behind the firewall',
    )
    .option('--port <n>', 'TCP port (default: 8080)', parsePort, 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--json', 'print the URL as a JSON object')
    .option(
      '--tls-cert <file>',
      'serve HTTPS with this certificate (PEM; with --tls-key); default server.tls of the config',
    )
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
    .option(
      '--dev',
      'development mode: a home anywhere, started from a developer shell; boundary problems are warnings',
    )
    .option('--allow-root', 'run as root (refused otherwise)')
    .action(
      async (
        flags: { port: number; host: string; json?: boolean; dev?: boolean; allowRoot?: boolean },
        command: Command,
      ) => {
        // SECURITY: everything serve creates (database, WAL, admin socket, snapshots) is its user's alone.
        process.umask(0o077);
        const configured = loadConfigOf(command);
        // Refuse before opening anything: state others can reach is no boundary.
        enforceBoundary(configured, process.env, flags, (text) => process.stderr.write(text));
        // A gateway without its credentials cannot forward: every surface is validated first.
        const surfaces = await validateSurfaces(configured, process.env);
        const context = await openContext(command, 'server');
        try {
          const { loaded, store } = context;
          const tls = tlsIdentityOf(command.opts<TlsFlags>(), loaded);
          const policy = await loadSwappablePolicy(loaded.policyDir);
          const factorThrottle = new FactorThrottle({ clock: systemClock });
          // The server reads its home: a human in group `airlock` gets the whole audit check through it.
          const verifyAudit = () => verifyAuditLogOf(loaded, { witnessFiles: [] });
          const server = await startServer({
            loaded,
            store,
            firewall: createFirewall(loaded, store, policy.current),
            engine: policy.current,
            surfaces,
            grants: createGrantService(loaded, store),
            adminOperations: adminOperationsOf(loaded, store, {
              reloadPolicy: policy.reload,
              channel: ADMIN_API_CHANNEL,
              factorThrottle,
              verifyAudit,
            }),
            factorThrottle,
            clock: systemClock,
            ids: randomIds,
            env: process.env,
            host: flags.host,
            port: flags.port,
            ...(tls === undefined ? {} : { tls }),
            warn: (message) => process.stderr.write(`airlock: ${message}\n`),
          });
          try {
            if (flags.json === true)
              printJson({
                url: server.url,
                upstreams: server.upstreamUrls,
                surfaces: server.surfaces,
              });
            else
              printLines(
                `airlock gateway listening on ${server.url}`,
                ...[...server.upstreamUrls, ...server.lines].map((line) => `  ${line}`),
                '(ctrl-c to stop)',
              );
            await untilSignalled();
          } finally {
            await server.close();
          }
        } finally {
          await context.close();
        }
      },
    );
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
