import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { serialize } from 'pg-protocol';
import { PINNED_READING_SETTINGS, startupReportProblem } from './reading-settings.js';
import { BodyReader, MessageFramer, parseErrorFields } from './wire.js';
import type { WireMessage } from './wire.js';

/** Where and as whom Airlock connects upstream; the password comes from the environment. */
export interface UpstreamTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** The real credential. SECURITY: never logged, echoed or sent to the agent. */
  readonly password: string | undefined;
  readonly connectTimeoutMs?: number;
}

/** An authenticated upstream session, ready for queries. */
export interface UpstreamSession {
  readonly socket: Socket;
  /** ParameterStatus messages the server sent at startup, raw, to replay to the agent. */
  readonly parameterStatus: readonly Buffer[];
  /** The upstream's cancel key; the agent gets Airlock's own key instead. */
  readonly processId: number;
  readonly secretKey: number;
  /** Bytes that arrived after ReadyForQuery (none in practice). */
  readonly leftover: Buffer;
}

/** The upstream refused or failed the connection; `message` carries no secret. */
export class UpstreamConnectError extends Error {
  override readonly name = 'UpstreamConnectError';
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens and authenticates a session upstream with Airlock's own credentials: cleartext, MD5 or
 * SCRAM-SHA-256 as the server asks, with the reading settings pinned (`PINNED_READING_SETTINGS`)
 * and checked in what the server reports. Rejects with `UpstreamConnectError` on any failure.
 */
export function openUpstreamSession(target: UpstreamTarget): Promise<UpstreamSession> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    const framer = new MessageFramer();
    const parameterStatus: Buffer[] = [];
    const key = { processId: 0, secretKey: 0 };
    let scram: ScramClient | undefined;
    const timer = setTimeout(
      () => fail('timed out connecting upstream'),
      target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    );
    const fail = (message: string): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.destroy();
      reject(new UpstreamConnectError(message));
    };
    socket.once('error', (error: NodeJS.ErrnoException) =>
      fail(`cannot reach upstream: ${error.code ?? 'error'}`),
    );
    socket.once('connect', () => {
      // SECURITY: the server must read statement text as the classifier does; startup parameters
      // outrank any ALTER ROLE / DATABASE … SET, and RESET returns to them.
      socket.write(
        serialize.startup({
          user: target.user,
          database: target.database,
          ...PINNED_READING_SETTINGS,
        }),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        framer.push(chunk);
        for (let message = framer.next(); message !== undefined; message = framer.next()) {
          if (message.type === 0x52 /* R */)
            scram = answerAuthentication(socket, target, message, scram);
          else if (message.type === 0x53 /* S */) parameterStatus.push(Buffer.from(message.raw));
          else if (message.type === 0x4b /* K */) {
            const reader = new BodyReader(message.body);
            key.processId = reader.int32();
            key.secretKey = reader.int32();
          } else if (message.type === 0x45 /* E */) {
            const fields = parseErrorFields(message.body);
            return fail(
              `upstream refused the connection: ${fields.get('C') ?? ''} ${fields.get('M') ?? ''}`.trim(),
            );
          } else if (message.type === 0x5a /* Z */) {
            // A ParameterStatus body follows its type byte and length.
            const unpinned = startupReportProblem(parameterStatus.map((raw) => raw.subarray(5)));
            if (unpinned !== undefined)
              return fail(
                `upstream session would read statement text differently from airlock: ${unpinned}`,
              );
            clearTimeout(timer);
            socket.removeAllListeners('data');
            socket.removeAllListeners('error');
            const leftover = framer.drain();
            return resolve({ socket, parameterStatus, ...key, leftover });
          }
        }
      } catch (error) {
        fail(
          error instanceof UpstreamConnectError
            ? error.message
            : 'upstream spoke an unexpected protocol',
        );
      }
    });
  });
}

function answerAuthentication(
  socket: Socket,
  target: UpstreamTarget,
  message: WireMessage,
  scram: ScramClient | undefined,
): ScramClient | undefined {
  const reader = new BodyReader(message.body);
  const code = reader.int32();
  if (code === 0) return scram;
  const password = target.password;
  if (password === undefined || password === '')
    throw new UpstreamConnectError('upstream asks for a password and none is configured');
  if (code === 3) {
    socket.write(serialize.password(password));
    return scram;
  }
  if (code === 5) {
    const salt = reader.rest().subarray(0, 4);
    const inner = createHash('md5')
      .update(password + target.user)
      .digest('hex');
    socket.write(
      serialize.password(
        `md5${createHash('md5')
          .update(Buffer.concat([Buffer.from(inner), salt]))
          .digest('hex')}`,
      ),
    );
    return scram;
  }
  if (code === 10) {
    const mechanisms: string[] = [];
    for (let name = reader.cstring(); name !== ''; name = reader.cstring()) mechanisms.push(name);
    if (!mechanisms.includes('SCRAM-SHA-256'))
      throw new UpstreamConnectError('upstream offers no supported SASL mechanism');
    const client = new ScramClient(password);
    socket.write(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', client.firstMessage()));
    return client;
  }
  if (code === 11 && scram !== undefined) {
    socket.write(
      serialize.sendSCRAMClientFinalMessage(scram.finalMessage(reader.rest().toString('utf8'))),
    );
    return scram;
  }
  if (code === 12 && scram !== undefined) {
    scram.verifyServer(reader.rest().toString('utf8'));
    return scram;
  }
  throw new UpstreamConnectError(
    `upstream asks for an unsupported authentication method (${code})`,
  );
}

/** The client side of SCRAM-SHA-256 (RFC 7677) without channel binding. */
class ScramClient {
  readonly #nonce = randomBytes(18).toString('base64');
  #serverSignature: Buffer | undefined;
  readonly #password: string;
  constructor(password: string) {
    this.#password = password;
  }

  firstMessage(): string {
    return `n,,n=*,r=${this.#nonce}`;
  }

  finalMessage(serverFirst: string): string {
    const attributes = new Map(
      serverFirst.split(',').map((part) => [part.slice(0, 1), part.slice(2)] as const),
    );
    const nonce = attributes.get('r') ?? '';
    const salt = Buffer.from(attributes.get('s') ?? '', 'base64');
    const iterations = Number(attributes.get('i'));
    if (
      !nonce.startsWith(this.#nonce) ||
      nonce.length === this.#nonce.length ||
      !Number.isInteger(iterations) ||
      iterations < 1 ||
      iterations > 1_000_000
    ) {
      throw new UpstreamConnectError('upstream sent an invalid SCRAM challenge');
    }
    const salted = pbkdf2Sync(this.#password.normalize('NFKC'), salt, iterations, 32, 'sha256');
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash('sha256').update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `n=*,r=${this.#nonce},${serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.from(clientKey.map((byte, index) => byte ^ (signature[index] ?? 0)));
    this.#serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  verifyServer(serverFinal: string): void {
    const verifier = Buffer.from(
      serverFinal.startsWith('v=') ? serverFinal.slice(2) : '',
      'base64',
    );
    const expected = this.#serverSignature;
    // SECURITY: a server that cannot prove it knows the password is not the configured upstream.
    if (
      expected === undefined ||
      verifier.length !== expected.length ||
      !timingSafeEqual(verifier, expected)
    ) {
      throw new UpstreamConnectError('upstream failed SCRAM server verification');
    }
  }
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

/** Sends a CancelRequest for an upstream session on a connection of its own. */
export function sendUpstreamCancel(
  target: Pick<UpstreamTarget, 'host' | 'port'>,
  processId: number,
  secretKey: number,
): void {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80_877_102, 4);
  packet.writeInt32BE(processId, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = connect({ host: target.host, port: target.port }, () => socket.end(packet));
  socket.on('error', () => socket.destroy());
}
