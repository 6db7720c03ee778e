import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RailwayAccess, identifyCaller } from './auth.js';
import type { GraphQLAnswer, GraphQLRequest } from './execute.js';
import { executeRailwayRequest } from './execute.js';
import { loadRailwayState, saveRailwayState } from './persist.js';
import { loadRailwaySchema } from './schema.js';
import { seedIncidentWorld } from './seed.js';
import { createEmptyState } from './state.js';
import { createViews } from './views.js';
import { RailwayWorld } from './world.js';

/** Railway's GraphQL path; the stand-in answers nowhere else. */
export const RAILWAY_GRAPHQL_PATH = '/graphql/v2';

// Bounded so a careless or hostile client cannot make the stand-in buffer without limit.
const MAX_BODY_BYTES = 1_048_576;
const MAX_BATCH_LENGTH = 50;

/** Options of `startRailwayStandin`. */
export interface RailwayStandinOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; the default keeps it on this machine. */
  host?: string;
  /** JSON file the state is loaded from on start and saved to after every mutation. */
  statePath?: string;
  /** Credentials the stand-in accepts as `Authorization: Bearer` account tokens. */
  tokens: { account: readonly string[] };
  /** Start from the incident's world when there is no saved state (see `seedIncidentWorld`). */
  seed?: boolean;
}

/** A running stand-in. */
export interface RailwayStandin {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4567/graphql/v2`. */
  readonly url: string;
  /** The live world, for tests and the demo to inspect. */
  readonly state: RailwayWorld;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Starts the Railway stand-in on a real HTTP port.
 * @example
 * const railway = await startRailwayStandin({ tokens: { account: ['secret'] }, seed: true });
 * await fetch(railway.url, { method: 'POST', headers: { authorization: 'Bearer secret', 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id } }' }) });
 * await railway.close();
 */
export async function startRailwayStandin(options: RailwayStandinOptions): Promise<RailwayStandin> {
  // SECURITY: the stand-in never runs open. With no accepted token every caller would be
  // anonymous anyway, but refusing to start makes the mistake loud.
  if (options.tokens.account.length === 0 || options.tokens.account.some((t) => t === '')) {
    throw new Error('railway stand-in: at least one non-empty account token is required');
  }
  const schema = loadRailwaySchema();
  const saved = options.statePath === undefined ? undefined : loadRailwayState(options.statePath);
  const world = new RailwayWorld(
    saved ?? (options.seed === true ? seedIncidentWorld() : createEmptyState()),
  );
  const views = createViews(world);
  const persist = (): void => {
    if (options.statePath !== undefined) saveRailwayState(options.statePath, world.state);
  };
  if (saved === undefined) persist();

  const answer = (
    request: GraphQLRequest,
    req: IncomingMessage,
    method: 'GET' | 'POST',
  ): GraphQLAnswer => {
    const caller = identifyCaller(req.headers, options.tokens.account, world.state.projectTokens);
    const result = executeRailwayRequest(
      schema,
      request,
      { world, views, access: new RailwayAccess(caller) },
      method,
    );
    if (result.mutated) persist();
    return result;
  };

  const server = createServer((req, res) => {
    handle(req, res, answer).catch(() => {
      if (!res.headersSent)
        send(res, 500, {
          errors: [
            {
              message: 'Problem processing request',
              extensions: { code: 'INTERNAL_SERVER_ERROR' },
            },
          ],
        });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}${RAILWAY_GRAPHQL_PATH}`,
    state: world,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

type Answer = (
  request: GraphQLRequest,
  req: IncomingMessage,
  method: 'GET' | 'POST',
) => GraphQLAnswer;

async function handle(req: IncomingMessage, res: ServerResponse, answer: Answer): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  if (url.pathname !== RAILWAY_GRAPHQL_PATH) {
    send(res, 404, { message: 'Not Found' });
    return;
  }
  if (req.method === 'GET') {
    const variables = url.searchParams.get('variables');
    const request: GraphQLRequest = {
      query: url.searchParams.get('query') ?? undefined,
      operationName: url.searchParams.get('operationName') ?? undefined,
    };
    if (variables !== null) {
      const parsed = parseJson(variables);
      if (!parsed.ok) return badRequest(res, '`variables` in a GET request must be JSON');
      request.variables = parsed.value;
    }
    const result = answer(request, req, 'GET');
    send(res, result.status, result.body);
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'GET, POST');
    send(res, 405, {
      errors: [
        {
          message: 'GraphQL only supports GET and POST requests.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    return;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    return badRequest(res, 'POST body missing, invalid Content-Type, or JSON object has no keys.');
  const raw = await readBody(req);
  if (raw === undefined) {
    send(res, 413, {
      errors: [{ message: 'Request body too large', extensions: { code: 'BAD_REQUEST' } }],
    });
    return;
  }
  const parsed = parseJson(raw);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
    return badRequest(res, 'POST body missing, invalid Content-Type, or JSON object has no keys.');
  }
  if (Array.isArray(parsed.value)) {
    if (parsed.value.length === 0 || parsed.value.length > MAX_BATCH_LENGTH)
      return badRequest(res, `a batch must hold 1 to ${MAX_BATCH_LENGTH} operations`);
    // Batched operations run in order, each with its own errors, as Apollo's batching does.
    const bodies = parsed.value.map((item: unknown) => answer(asRequest(item), req, 'POST').body);
    send(res, 200, bodies);
    return;
  }
  const result = answer(asRequest(parsed.value), req, 'POST');
  send(res, result.status, result.body);
}

function asRequest(value: unknown): GraphQLRequest {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as GraphQLRequest)
    : {};
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function badRequest(res: ServerResponse, message: string): void {
  send(res, 400, { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
