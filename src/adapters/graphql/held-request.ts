import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { DelayedActionResultV1, HeldRequestV1 } from '../../core/index.js';
import type { GraphqlUpstream } from './config.js';
import { toUpstreamHeaders } from './config.js';
import type { AgentRequest } from './read-request.js';
import { decodedBody, decoderFor, scrubText } from '../shared/index.js';

// SECURITY: an allow-list (as for forwarding): the agent's token and any credential header it
// sent are never stored with a held request.
const KEPT_HEADERS = ['content-type', 'accept', 'user-agent'] as const;

/** Answers larger than this are cut when kept as a delayed action's result. */
export const MAX_KEPT_RESULT_BYTES = 1_048_576;

/** A held GraphQL request as Airlock keeps it to run after an undo window. */
export function toHeldRequest(upstream: string, request: AgentRequest): HeldRequestV1 {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return {
    upstream,
    surface: 'graphql',
    method: request.method,
    search: request.search,
    headers,
    body: request.body.toString('utf8'),
  };
}

/**
 * Runs a held request on its upstream through the same header rules as forwarding (Airlock's
 * credential injected, identity encoding asked), and keeps the answer scrubbed of the credential.
 * Throws when no answer came: the caller cannot know whether it ran.
 */
export async function runHeldGraphqlRequest(
  upstream: GraphqlUpstream,
  held: HeldRequestV1,
  dispatcher: Dispatcher,
): Promise<DelayedActionResultV1> {
  const answer = await request(`${upstream.url}${held.search}`, {
    method: held.method,
    dispatcher,
    headers: toUpstreamHeaders(held.headers, upstream),
    ...(held.method === 'POST' ? { body: held.body } : {}),
  });
  const decoder = decoderFor(answer.headers['content-encoding']);
  const stream = decoder === undefined ? undefined : decodedBody(answer.body, decoder);
  // SECURITY: bytes that cannot be decoded cannot be scrubbed, so they are not kept.
  const body =
    stream === undefined ? (await answer.body.dump(), UNREADABLE) : await readBounded(stream);
  const contentType = answer.headers['content-type'];
  return {
    status: answer.statusCode,
    ...(typeof contentType === 'string' ? { contentType } : {}),
    body: scrubText(body, [upstream.credential]),
  };
}

const UNREADABLE = '[the upstream answered in an encoding airlock cannot read]';

async function readBounded(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_KEPT_RESULT_BYTES) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
