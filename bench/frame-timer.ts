/**
 * Two TCP pipes around a proxy that time each frontend message: when it left the client (the
 * front pipe saw it) and when the proxy forwarded it (the back pipe saw it). The difference is
 * how long the proxy held the message: judging it, or queued behind one being judged. Messages
 * are matched by their exact bytes, in order, once a front connection is paired with its back
 * connection by the first message only the two of them carry.
 */
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One message's time in the proxy. */
export interface HeldMessage {
  /** `Q`, `P`, `B`, `E`, `S`…; for `Q`, the statement's first word too (`Q UPDATE`). */
  readonly kind: string;
  readonly heldUs: number;
}

interface Pending {
  readonly bytes: Buffer;
  readonly at: number;
  readonly kind: string;
}

interface FrontConnection {
  readonly pending: Pending[];
}

/** Splits a stream into frontend messages (after the untyped startup packet). */
class Splitter {
  #buffer = Buffer.alloc(0);
  #started = false;

  push(chunk: Buffer, each: (message: Buffer) => void): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const typed = this.#started ? 1 : 0;
      if (this.#buffer.length < typed + 4) return;
      const length = this.#buffer.readInt32BE(typed) + typed;
      if (this.#buffer.length < length) return;
      const message = this.#buffer.subarray(0, length);
      this.#buffer = this.#buffer.subarray(length);
      // An SSLRequest or the startup packet are untyped; everything after the startup is typed.
      if (this.#started) each(message);
      else if (message.readInt32BE(4) === 196_608) this.#started = true;
    }
  }
}

function kindOf(message: Buffer): string {
  const type = String.fromCharCode(message[0] ?? 0);
  if (type !== 'Q') return type;
  return `Q ${/^\s*(\w+)/.exec(message.toString('utf8', 5, Math.min(message.length, 40)))?.[1]?.toUpperCase() ?? ''}`;
}

/** The two pipes and what they measured. */
export class FrameTimer {
  readonly held: HeldMessage[] = [];
  /** Messages seen upstream that no client sent, by kind: the proxy's own (its SAVEPOINTs, its login). */
  readonly added = new Map<string, number>();
  readonly #fronts = new Set<FrontConnection>();

  /** A pipe clients connect to, forwarding to `port` (the proxy). */
  front(port: number): Promise<Server> {
    return listen((client) => {
      const connection: FrontConnection = { pending: [] };
      this.#fronts.add(connection);
      const splitter = new Splitter();
      const upstream = pipeTo(client, port, (chunk) =>
        splitter.push(chunk, (message) =>
          connection.pending.push({
            bytes: Buffer.from(message),
            at: performance.now(),
            kind: kindOf(message),
          }),
        ),
      );
      upstream.on('close', () => this.#fronts.delete(connection));
    });
  }

  /** A pipe the proxy connects to as its upstream, forwarding to `port` (PostgreSQL). */
  back(port: number): Promise<Server> {
    return listen((proxySide) => {
      let paired: FrontConnection | undefined;
      const splitter = new Splitter();
      pipeTo(proxySide, port, (chunk) =>
        splitter.push(chunk, (message) => {
          const now = performance.now();
          paired ??= this.#pairFor(message);
          const index = paired?.pending.findIndex((pending) => pending.bytes.equals(message)) ?? -1;
          const found = index < 0 ? undefined : paired?.pending[index];
          if (found === undefined || paired === undefined) {
            const kind = kindOf(message);
            this.added.set(kind, (this.added.get(kind) ?? 0) + 1);
            return;
          }
          paired.pending.splice(0, index + 1);
          this.held.push({ kind: found.kind, heldUs: (now - found.at) * 1000 });
        }),
      );
    });
  }

  #pairFor(message: Buffer): FrontConnection | undefined {
    const carriers = [...this.#fronts].filter((front) =>
      front.pending.some((pending) => pending.bytes.equals(message)),
    );
    return carriers.length === 1 ? carriers[0] : undefined;
  }
}

function listen(onConnection: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Pipes `client` to a new connection to `port`, showing `observe` what the client sends. */
function pipeTo(client: Socket, port: number, observe: (chunk: Buffer) => void): Socket {
  client.setNoDelay(true);
  const upstream = connect({ host: '127.0.0.1', port }, () => upstream.setNoDelay(true));
  client.on('data', (chunk: Buffer) => {
    observe(chunk);
    upstream.write(chunk);
  });
  upstream.on('data', (chunk: Buffer) => client.write(chunk));
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  return upstream;
}
