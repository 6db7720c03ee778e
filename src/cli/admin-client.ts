import { lstatSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { AdminAnswer, AdminAuthV1, AdminOperation, AdminRequest } from '../api/index.js';
import {
  ADMIN_ROUTES,
  ADMIN_SOCKET_FILE,
  adminErrorAnswerV1,
  describeIssues,
} from '../api/index.js';
import { resolveCliActor } from '../config/index.js';
import type { FirewallErrorCode } from '../core/index.js';
import { FirewallError } from '../core/index.js';
import type { AdminOperations } from '../server/index.js';
import { adminOperationsOf } from './admin-operations-of.js';
import { homeOf, openContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './output.js';
import { compilePolicyDir } from './policy-loading.js';
import { readTotpCode } from './read-secret.js';

/**
 * The admin API as the CLI uses it. Remote while a server owns the home (its socket is there);
 * local otherwise, where the CLI opens the store itself, as the home's owner.
 */
export interface AdminClient {
  readonly mode: 'remote' | 'local';
  call<K extends AdminOperation>(operation: K, request: AdminRequest<K>): Promise<AdminAnswer<K>>;
  close(): Promise<void>;
}

/** The channel local changes are recorded with. */
export const LOCAL_CHANNEL = 'cli-local';

/** The admin socket of a home. */
export function adminSocketPath(home: string): string {
  return join(home, ADMIN_SOCKET_FILE);
}

/**
 * The client for the command's home. `HOME/admin.sock` present: remote, and never the store,
 * even when nothing answers there (a stale socket is reported, not worked around: the CLI
 * cannot tell a crashed server from a stuck one, and two writers would break the one control
 * plane). Not allowed to look: a clear message. Absent: local.
 */
export async function openAdminClient(command: Command): Promise<AdminClient> {
  const home = homeOf(command);
  const socket = adminSocketPath(home);
  try {
    lstatSync(socket);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw notInGroup(home);
    if (code === 'ENOENT' || code === 'ENOTDIR') return LocalAdmin.open(command);
    throw error;
  }
  return new RemoteAdmin(socket);
}

/** Runs a command body with an admin client and always closes it. */
export async function withAdmin<T>(
  command: Command,
  body: (client: AdminClient) => Promise<T>,
): Promise<T> {
  const client = await openAdminClient(command);
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

/**
 * The `auth` of an admin change: `--as NAME` and that administrator's code, read from the
 * terminal. Without `--as` only a local client may go on (as the home's owner).
 */
export function adminAuthOf(client: AdminClient, as: string | undefined): AdminAuthV1 | undefined {
  if (as !== undefined) return { as, totp: readTotpCode(as) };
  if (client.mode === 'local') return undefined;
  throw new CliFailure(
    'a server owns this home: name an administrator with `--as NAME`; their TOTP code is asked next',
    EXIT.invalidInput,
  );
}

/** The `auth` of a vote: the approver and their own code. */
export function voterAuthOf(as: string): AdminAuthV1 {
  return { as, totp: readTotpCode(as) };
}

function notInGroup(home: string): CliFailure {
  return new CliFailure(
    `not allowed to reach the Airlock server of \`${home}\`: ask to be added to group airlock (\`airlock setup --admin-user NAME\`), then log in again`,
    EXIT.invalidInput,
  );
}

/** The admin API over the server's Unix socket. */
export class RemoteAdmin implements AdminClient {
  readonly mode = 'remote';

  constructor(readonly socketPath: string) {}

  async call<K extends AdminOperation>(
    operation: K,
    input: AdminRequest<K>,
  ): Promise<AdminAnswer<K>> {
    const route = ADMIN_ROUTES[operation];
    const { status, body } = await this.#send(route.method, route.path, input);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      throw new CliFailure(
        `the server answered \`${operation}\` with something other than JSON (HTTP ${status})`,
        EXIT.internal,
      );
    }
    if (status !== 200) throw toError(parsed, status);
    const answer = route.answer.safeParse(parsed);
    if (!answer.success)
      throw new CliFailure(
        `the server's answer to \`${operation}\` is not what this CLI expects`,
        EXIT.internal,
        describeIssues(answer.error),
      );
    return answer.data as AdminAnswer<K>;
  }

  async close(): Promise<void> {}

  #send(
    method: 'GET' | 'POST',
    path: string,
    input: unknown,
  ): Promise<{ status: number; body: string }> {
    const query = method === 'GET' ? toQuery(input as Record<string, unknown>) : '';
    const payload = method === 'POST' ? JSON.stringify(input) : undefined;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: this.socketPath,
          method,
          path: query === '' ? path : `${path}?${query}`,
          headers:
            payload === undefined
              ? {}
              : {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(payload),
                },
          timeout: 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.once('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.once('error', reject);
        },
      );
      req.once('timeout', () => req.destroy(new Error('the server did not answer in time')));
      req.once('error', (error: NodeJS.ErrnoException) => reject(this.#unreachable(error)));
      req.end(payload);
    });
  }

  #unreachable(error: NodeJS.ErrnoException): Error {
    if (error.code === 'EACCES') return notInGroup(join(this.socketPath, '..'));
    if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') {
      return new CliFailure(
        `no Airlock server answers on \`${this.socketPath}\`: start \`airlock serve\` for this home; if it stopped for good, remove that stale socket file (the CLI does not open the store while it is there)`,
        EXIT.internal,
      );
    }
    return new CliFailure(
      `cannot reach the Airlock server on \`${this.socketPath}\`: ${error.message}`,
      EXIT.internal,
    );
  }
}

function toQuery(input: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(input))
    if (value !== undefined) query.set(key, String(value));
  return query.toString();
}

function toError(parsed: unknown, status: number): Error {
  const answer = adminErrorAnswerV1.safeParse(parsed);
  if (!answer.success)
    return new CliFailure(`the server refused with HTTP ${status}`, EXIT.internal);
  const { code, message, details } = answer.data.error;
  if (code === 'internal') return new CliFailure(message, EXIT.internal);
  // The server only answers with FirewallError codes (and `internal`), so it is one of them.
  return new FirewallError(code as FirewallErrorCode, message, { details });
}

/**
 * The admin operations on the store, in this process: for homes no server owns (demo, tests,
 * development). Whoever can open the store can change anything in it, so a change without
 * `auth` is taken as the home's owner's; given `auth`, it is checked exactly as the server would.
 */
export class LocalAdmin implements AdminClient {
  readonly mode = 'local';

  private constructor(
    readonly operations: AdminOperations,
    readonly close: () => Promise<void>,
  ) {}

  /** Opens the home's store and wires the same operations the server runs. */
  static async open(command: Command): Promise<LocalAdmin> {
    const context = await openContext(command);
    const { policyDir } = context.loaded;
    const operations = adminOperationsOf(context.loaded, context.store, {
      // No server holds a policy set to swap: check the folder, which serve loads when it starts.
      reloadPolicy: async () => {
        const compiled = await compilePolicyDir(policyDir);
        if (!compiled.ok)
          throw new FirewallError(
            'policy.invalid',
            `the policies in \`${policyDir}\` are invalid`,
            { details: compiled.error },
          );
        return { policyFiles: compiled.value.files, loadedFrom: policyDir };
      },
      channel: LOCAL_CHANNEL,
      ownerActor: resolveCliActor(process.env),
    });
    return new LocalAdmin(operations, () => context.close());
  }

  async call<K extends AdminOperation>(
    operation: K,
    input: AdminRequest<K>,
  ): Promise<AdminAnswer<K>> {
    const answer = await this.operations.dispatch(operation, input);
    // Through JSON and the answer's schema, as a remote answer goes: both modes answer alike.
    return ADMIN_ROUTES[operation].answer.parse(
      JSON.parse(JSON.stringify(answer)),
    ) as AdminAnswer<K>;
  }
}
