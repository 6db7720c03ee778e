import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { GraphqlUpstream } from './config.js';
import { toUpstreamHeaders } from './config.js';
import type { ScrubSecrets } from '../shared/index.js';
import { relayAnswer, toScrubSecrets } from '../shared/index.js';

/** One allowed request, as it goes upstream: the agent's bytes unchanged. */
export interface ForwardRequest {
  readonly method: 'GET' | 'POST';
  /** The agent's query string, `?…` or empty, passed on as it came. */
  readonly search: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Sends an allowed request upstream with Airlock's credential instead of the agent's, and streams
 * the answer back with the credential scrubbed from headers and body. Throws if the upstream
 * fails before the answer starts; after that the connection is cut. `secrets` is the upstream's
 * credential worked out for scrubbing, passed by a proxy that forwards many requests.
 */
export async function forwardGraphql(
  upstream: GraphqlUpstream,
  forward: ForwardRequest,
  res: ServerResponse,
  dispatcher: Dispatcher,
  secrets: ScrubSecrets = toScrubSecrets([upstream.credential]),
): Promise<void> {
  const answer = await request(`${upstream.url}${forward.search}`, {
    method: forward.method,
    dispatcher,
    headers: toUpstreamHeaders(forward.headers, upstream),
    ...(forward.method === 'POST' ? { body: forward.body } : {}),
  });
  await relayAnswer(answer, secrets, res);
}
