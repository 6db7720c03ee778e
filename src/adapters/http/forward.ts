import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import type { RestUpstream } from './config.js';
import { secretsOf } from './config.js';
import { credentialHeaders } from './outgoing-headers.js';
import { createScrub } from '../shared/index.js';
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

// Hop-by-hop headers, those the re-streamed body makes wrong, and sessions of Airlock's credential.
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate',
  'proxy-authorization', 'content-length', 'content-encoding', 'set-cookie',
]);

/** The URL the request goes to: the upstream base path, then the agent's path and query unchanged. */
export function upstreamTarget(upstream: RestUpstream, target: string): { url: URL; pathAndQuery: string } {
  const url = new URL(upstream.url);
  const base = url.pathname.replace(/\/+$/, '');
  return { url, pathAndQuery: `${base}${target}` };
}

/**
 * Sends an allowed request with the real credential (or, for AWS, a fresh SigV4 signature under
 * the real keys), and streams the answer back scrubbed of every secret. Throws if the upstream
 * fails before answering; after that the connection is cut.
 */
export async function forwardRest(upstream: RestUpstream, forward: RestForward, res: ServerResponse, dispatcher: Dispatcher): Promise<void> {
  const { url, pathAndQuery } = upstreamTarget(upstream, forward.target);
  // Plain bytes back, so the answer can be scrubbed as it streams.
  const base = { ...forward.headers, 'accept-encoding': 'identity' };
  const credential = upstream.credential;
  const headers =
    credential.kind === 'aws'
      ? await signAwsRequest({ method: forward.method, url, pathAndQuery, headers: base, body: forward.body }, credential.keys)
      : { ...base, ...credentialHeaders(credential.secret, credential.headers) };
  const answer = await dispatcher.request({
    origin: url.origin,
    // INVARIANT: the path is sent as a string, never through URL parsing: no dot segment is
    // resolved and no escape changed between what was judged and what runs.
    path: pathAndQuery,
    method: forward.method as Dispatcher.HttpMethod,
    headers,
    ...(forward.body.length > 0 || !['GET', 'HEAD'].includes(forward.method) ? { body: forward.body } : {}),
  });
  const encoding = String(answer.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = encoding === 'identity' || encoding === '' ? null : encoding === 'gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
  if (decoder === undefined) {
    answer.body.destroy();
    throw new Error('the upstream answered in an encoding Airlock cannot scrub');
  }
  const secrets = secretsOf(upstream);
  res.writeHead(answer.statusCode, agentHeaders(answer.headers, secrets));
  const source: Readable = decoder === null ? answer.body : answer.body.pipe(decoder);
  const scrub = createScrub(secrets);
  for await (const chunk of source) {
    const out = scrub.push(chunk as Buffer);
    if (out.length > 0 && !res.write(out)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end(scrub.end());
}

function agentHeaders(headers: Dispatcher.ResponseData['headers'], secrets: readonly string[]): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) continue;
    const text = Array.isArray(value) ? value.join('\n') : value;
    // SECURITY: a header that reflects a secret is dropped whole, not patched.
    if (secrets.some((secret) => text.includes(secret))) continue;
    kept[name] = value;
  }
  return kept;
}
