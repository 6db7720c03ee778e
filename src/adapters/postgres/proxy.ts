import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { Clock } from '../../core/index.js';
import type { Firewall } from '../../firewall/index.js';
import type { BlastRadius } from './blast-radius.js';
import { DEFAULT_BLAST_RADIUS } from './blast-radius.js';
import { CancelRegistry } from './cancel-registry.js';
import { startupParametersProblem } from './reading-settings.js';
import type { SqlClassifier } from './session/classified-text.js';
import { StatementGate } from './session/gate.js';
import { SessionRelay } from './session/relay.js';
import type { SnapshotRequest } from './session/relay.js';
import type { UpstreamTarget } from './upstream-connection.js';
import { openUpstreamSession, sendUpstreamCancel } from './upstream-connection.js';
import {
  BodyReader,
  CANCEL_REQUEST_CODE,
  GSSENC_REQUEST_CODE,
  MessageFramer,
  PROTOCOL_V3,
  SSL_REQUEST_CODE,
  errorResponse,
  int32,
  parseStartupParameters,
  readyForQuery,
  typedMessage,
} from './wire.js';

/** What one PostgreSQL upstream's listener needs. */
export interface PostgresProxyOptions {
  /** The upstream's configured name; actions carry it, and grants name it. */
  readonly name: string;
  readonly upstream: UpstreamTarget;
  readonly firewall: Firewall;
  /** Times the recheck of prepared statements and what sessions learnt of tables. */
  readonly clock: Clock;
  readonly classify: SqlClassifier;
  /** Dumps what an allowed destructive statement destroys; absent means nothing destructive runs. */
  readonly snapshot?: (request: SnapshotRequest) => Promise<void>;
  /** Base of the URLs a held agent polls. */
  readonly approvalsUrl: string;
  /** How many rows one statement may change before it is held (default `DEFAULT_BLAST_RADIUS`). */
  readonly blastRadius?: BlastRadius;
  /** The environment everything behind this upstream lives in; unset counts as production. */
  readonly environment?: string;
  /** Environment names that count as production, for the hold message's `--confirm`. */
  readonly productionEnvironments?: readonly string[];
  /** Where humans decide in the inbox, e.g. `http://127.0.0.1:8080/inbox/approvals`. */
  readonly approvalPagesUrl?: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

/** A listening proxy. */
export interface RunningPostgresProxy {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Starts a PostgreSQL wire-protocol listener for one upstream. Agents connect with a normal
 * connection string whose password is their Airlock token, sent as a cleartext password
 * message (listen on loopback, or put TLS in front); Airlock then opens its own upstream session
 * with the real credentials. `SSLRequest` and `GSSENCRequest` are refused with `N`.
 */
export async function startPostgresProxy(
  options: PostgresProxyOptions,
): Promise<RunningPostgresProxy> {
  const cancels = new CancelRegistry();
  const gate = new StatementGate({
    upstream: options.name,
    firewall: options.firewall,
    classify: options.classify,
    environment: options.environment,
    clock: options.clock,
  });
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    acceptConnection(socket, options, gate, cancels);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    host: options.host,
    port: address.port,
    close: async () => {
      await new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      // The counts of reused decisions reach the audit log before the proxy says it is closed.
      await gate.close();
    },
  };
}

/** Runs one connection's startup: SSL refusal or cancel, then password (the token), then upstream. */
function acceptConnection(
  socket: Socket,
  options: PostgresProxyOptions,
  gate: StatementGate,
  cancels: CancelRegistry,
): void {
  socket.setNoDelay(true);
  const framer = new MessageFramer();
  let phase: 'startup' | 'password' | 'connecting' = 'startup';
  let parameters = new Map<string, string>();
  const timer = setTimeout(() => socket.destroy(), STARTUP_TIMEOUT_MS);
  const fatal = (sqlstate: string, message: string): void => {
    clearTimeout(timer);
    socket.end(errorResponse({ sqlstate, message, severity: 'FATAL' }));
  };
  const onData = (chunk: Buffer): void => {
    try {
      framer.push(chunk);
      while (phase === 'startup') {
        const packet = framer.nextStartup();
        if (packet === undefined) return;
        const code = packet.readInt32BE(4);
        if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
          socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST_CODE && packet.length === 16) {
          cancels.cancel(packet.readInt32BE(8), packet.readInt32BE(12));
          clearTimeout(timer);
          socket.end();
          return;
        }
        if (code !== PROTOCOL_V3)
          return fatal('0A000', 'unsupported frontend protocol: airlock speaks protocol 3.0');
        parameters = parseStartupParameters(packet);
        // SECURITY: the agent may not ask for a reading of statement text Airlock does not share.
        const unreadable = startupParametersProblem(parameters);
        if (unreadable !== undefined)
          return fatal('22023' /* invalid_parameter_value */, unreadable);
        const database = parameters.get('database') ?? parameters.get('user') ?? '';
        if (database !== options.upstream.database && database !== options.name) {
          return fatal(
            '3D000',
            `database \`${database}\` is not served here: connect to \`${options.upstream.database}\``,
          );
        }
        phase = 'password';
        socket.write(typedMessage('R', int32(3)));
      }
      if (phase !== 'password') return;
      const message = framer.next();
      if (message === undefined) return;
      if (message.type !== 0x70 /* p */) return fatal('08P01', 'expected a password message');
      phase = 'connecting';
      socket.pause();
      socket.removeListener('data', onData);
      // SECURITY: the token is the password; it is never logged or echoed.
      void connectSession(
        socket,
        options,
        gate,
        cancels,
        new BodyReader(message.body).cstring(),
        framer.drain(),
      ).finally(() => clearTimeout(timer));
    } catch {
      fatal('08P01', 'invalid startup packet');
    }
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
}

async function connectSession(
  socket: Socket,
  options: PostgresProxyOptions,
  gate: StatementGate,
  cancels: CancelRegistry,
  token: string,
  pending: Buffer,
): Promise<void> {
  const fatal = (sqlstate: string, message: string): void => {
    socket.end(errorResponse({ sqlstate, message, severity: 'FATAL' }));
  };
  // Authenticated once for the connection; the firewall asks again within its recheck bound.
  const who = await options.firewall.authenticate(token);
  if (!who.ok && who.failure === 'unavailable')
    return fatal('ZA002', 'airlock is unavailable; try again later');
  if (!who.ok)
    return fatal(
      '28P01',
      'password authentication failed: the password must be a live Airlock token',
    );
  let upstream;
  try {
    upstream = await openUpstreamSession(options.upstream);
  } catch {
    return fatal('08006', `airlock cannot open a session on upstream \`${options.name}\``);
  }
  if (socket.destroyed) {
    upstream.socket.destroy();
    return;
  }
  const { host, port } = options.upstream;
  const upstreamKey = { processId: upstream.processId, secretKey: upstream.secretKey };
  const key = cancels.issue(() =>
    sendUpstreamCancel({ host, port }, upstreamKey.processId, upstreamKey.secretKey),
  );
  const backendKey = Buffer.alloc(8);
  backendKey.writeInt32BE(key.processId, 0);
  backendKey.writeInt32BE(key.secretKey, 4);
  socket.write(
    Buffer.concat([
      typedMessage('R', int32(0)),
      ...upstream.parameterStatus,
      typedMessage('K', backendKey),
      readyForQuery('I'),
    ]),
  );
  const sessionOptions = {
    gate,
    approvalsUrl: options.approvalsUrl,
    snapshot: options.snapshot,
    blastRadius: options.blastRadius ?? DEFAULT_BLAST_RADIUS,
    hint: {
      ...(options.productionEnvironments === undefined
        ? {}
        : { productionEnvironments: options.productionEnvironments }),
      ...(options.approvalPagesUrl === undefined
        ? {}
        : { approvalPagesUrl: options.approvalPagesUrl }),
    },
  };
  const session = new SessionRelay(socket, upstream, who.session, sessionOptions, key.withdraw);
  session.start(pending);
  socket.resume();
}
