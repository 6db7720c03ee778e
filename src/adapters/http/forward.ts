import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { RestUpstream } from './config.js';
import { secretsOf } from './config.js';
import { credentialHeaders } from './outgoing-headers.js';
import { relayAnswer } from '../shared/index.js';
import { signAwsRequest } from './sigv4.js';

/** An allowed request as it goes upstream. */
export interface RestForward {
  readonly method: string;
  /** Path and query relative to the upstream base, as the agent sent them. */
  readonly target: string;
  /** The agent's forwardable headers (no credential of any kind). */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** The URL the request goes to: the upstream base path, then the agent's path and query unchanged. */
export function upstreamTarget(
  upstream: RestUpstream,
  target: string,
): { url: URL; pathAndQuery: string } {
  const url = new URL(upstream.url);
  const base = url.pathname.replace(/\/+$/, '');
  return { url, pathAndQuery: `${base}${target}` };
}

/**
 * Sends an allowed request with the real credential (or, for AWS, a fresh SigV4 signature under
 * the real keys), and streams the answer back scrubbed of every secret. Throws if the upstream
 * fails before answering; after that the connection is cut.
 */
export async function forwardRest(
  upstream: RestUpstream,
  forward: RestForward,
  res: ServerResponse,
  dispatcher: Dispatcher,
): Promise<void> {
  const { url, pathAndQuery } = upstreamTarget(upstream, forward.target);
  // Plain bytes back, so the answer can be scrubbed as it streams.
  const base = { ...forward.headers, 'accept-encoding': 'identity' };
  const credential = upstream.credential;
  const headers =
    credential.kind === 'aws'
      ? await signAwsRequest(
          { method: forward.method, url, pathAndQuery, headers: base, body: forward.body },
          credential.keys,
        )
      : { ...base, ...credentialHeaders(credential.secret, credential.headers) };
  const answer = await dispatcher.request({
    origin: url.origin,
    // INVARIANT: the path is sent as a string, never through URL parsing: no dot segment is
    // resolved and no escape changed between what was judged and what runs.
    path: pathAndQuery,
    method: forward.method as Dispatcher.HttpMethod,
    headers,
    ...(forward.body.length > 0 || !['GET', 'HEAD'].includes(forward.method)
      ? { body: forward.body }
      : {}),
  });
  await relayAnswer(answer, secretsOf(upstream), res);
}
