import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { ADMIN_ROUTES, MAX_ADMIN_BODY_BYTES, findAdminRoute } from '../../api/index.js';
import { FirewallError } from '../../core/index.js';
import type { AdminOperations } from './admin-operations.js';
import { sendJson } from '../json-answer.js';
import { sendFailure, sendInvalid } from './admin-respond.js';

/** The socket's mode: its owner (the service user) and group `airlock` may connect. */
export const ADMIN_SOCKET_MODE = 0o660;

// An oversized body is read this far (and dropped) to answer it; beyond, the connection is cut.
const MAX_DRAINED_BYTES = 16 * MAX_ADMIN_BODY_BYTES;

/** Where the admin socket listens and what it runs. */
export interface AdminSocketOptions {
  readonly path: string;
  readonly operations: AdminOperations;
  /** Where unexpected errors are described; never to the client. */
  readonly log: (line: string) => void;
}

/** A listening admin socket. */
export interface AdminSocket {
  readonly path: string;
  /** Stops listening and removes the socket file. */
  close(): Promise<void>;
}

/**
 * Serves the admin API (HTTP/1.1 with JSON bodies) on a Unix socket. A socket file left by a
 * server that died is replaced; one that answers means another server owns the home: refused.
 */
export async function startAdminSocket(options: AdminSocketOptions): Promise<AdminSocket> {
  await removeStaleSocket(options.path);
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    handle(req, res, options).catch((error: unknown) => sendFailure(res, error, options.log));
  });
  await listen(server, options.path);
  return {
    path: options.path,
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      try {
        unlinkSync(options.path);
      } catch {
        // Already gone: nothing to tidy.
      }
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: AdminSocketOptions,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin.invalid');
  const operation = findAdminRoute(req.method ?? '', url.pathname);
  if (operation === undefined) {
    const known = Object.values(ADMIN_ROUTES).some((route) => route.path === url.pathname);
    sendJson(res, known ? 405 : 404, {
      error: {
        code: 'input.invalid',
        message: `no admin operation \`${req.method ?? ''} ${url.pathname}\``,
        details: [],
      },
    });
    return;
  }
  const input =
    ADMIN_ROUTES[operation].method === 'GET' ? queryInput(url) : await bodyInput(req, res);
  if (input === undefined) return;
  sendJson(res, 200, await options.operations.dispatch(operation, input));
}

function queryInput(url: URL): Record<string, string> {
  const input: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    // SECURITY: one reading per parameter; a repeated one is ambiguous, so refused.
    if (key in input)
      throw new FirewallError('input.invalid', `query parameter \`${key}\` is given twice`);
    input[key] = value;
  }
  return input;
}

/** The parsed JSON body, or undefined once a 400 has been sent for it. */
async function bodyInput(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  // The body is read before any answer, so the client is done sending when it comes.
  const body = await readBody(req);
  if (body === undefined) {
    if (await drained(req))
      sendInvalid(res, `the request body is larger than ${MAX_ADMIN_BODY_BYTES} bytes`);
    return undefined;
  }
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    sendInvalid(res, 'send the request as `application/json`');
    return undefined;
  }
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    sendInvalid(res, 'the request body is not JSON');
    return undefined;
  }
}

/** The body, or undefined when it is larger than the limit (the rest is left unread). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_ADMIN_BODY_BYTES)
    return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_ADMIN_BODY_BYTES) chunks.push(chunk);
      else {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
      }
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Reads and drops the rest of a body up to a hard limit; past it the connection is cut (false). */
function drained(req: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAINED_BYTES) {
        req.destroy();
        resolve(false);
      }
    });
    req.once('end', () => resolve(true));
    req.once('error', () => resolve(false));
    req.resume();
  });
}

async function listen(server: Server, path: string): Promise<void> {
  // SECURITY: created owner-only, then opened to the group: never a moment open to everyone.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(path, ADMIN_SOCKET_MODE);
}

/**
 * Readies the socket path: removes a socket file nothing answers on (a server that died left
 * it); refuses when a server answers there, or when the file is no socket.
 */
export async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket)
    throw new FirewallError(
      'store.unavailable',
      `\`${path}\` exists and is not a socket: move it away, then start again`,
    );
  if (await answers(path))
    throw new FirewallError(
      'store.unavailable',
      `another airlock serve answers on \`${path}\`: one server owns a home`,
    );
  unlinkSync(path);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
