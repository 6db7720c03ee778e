import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { GraphqlUpstream } from './config.js';
import { toUpstreamHeaders } from './config.js';
import type { Scrub } from './scrub.js';
import { createScrub, createScrubber } from './scrub.js';

/** One allowed request, as it goes upstream: the agent's bytes unchanged. */
export interface ForwardRequest {
  readonly method: 'GET' | 'POST';
  /** The agent's query string, `?…` or empty, passed on as it came. */
  readonly search: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

// Hop-by-hop headers and those the scrubbed, re-chunked body makes wrong.
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'proxy-authenticate', 'proxy-authorization', 'content-length', 'content-encoding',
  // SECURITY: a session the upstream opens belongs to Airlock's credential, not the agent.
  'set-cookie',
]);

/**
 * Sends an allowed request upstream with Airlock's credential instead of the agent's, and streams
 * the answer back with the credential scrubbed from headers and body. Throws if the upstream
 * fails before the answer starts; after that the connection is cut.
 */
export async function forwardGraphql(
  upstream: GraphqlUpstream,
  forward: ForwardRequest,
  res: ServerResponse,
  dispatcher: Dispatcher,
): Promise<void> {
  const answer = await request(`${upstream.url}${forward.search}`, {
    method: forward.method,
    dispatcher,
    headers: toUpstreamHeaders(forward.headers, upstream),
    ...(forward.method === 'POST' ? { body: forward.body } : {}),
  });
  const decoder = decoderFor(answer.headers['content-encoding']);
  if (decoder === undefined) {
    answer.body.destroy();
    throw new Error('the upstream answered in an encoding Airlock cannot scrub');
  }
  res.writeHead(answer.statusCode, toAgentHeaders(answer.headers, upstream.credential));
  // Plain bytes, the common case, skip `pipeline`: its per-request error and abort objects cost more than the relay.
  if (decoder === null) await relay(answer.body, createScrub([upstream.credential]), res);
  else await pipeline(answer.body, decoder, createScrubber([upstream.credential]), res);
}

/**
 * Streams `source` through `scrub` into `res`, with backpressure. Rejects, destroying both ends,
 * if either fails or the agent goes away before the end; `res` never gets unscrubbed bytes.
 */
function relay(source: Readable, scrub: Scrub, res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const cleanup = (): void => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onSourceClose);
      res.off('drain', onDrain);
      res.off('close', onResClose);
      res.off('error', onError);
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      cleanup();
      source.destroy();
      res.destroy();
      reject(error);
    };
    function onData(chunk: Buffer): void {
      const out = scrub.push(chunk);
      if (out.length > 0 && !res.write(out)) source.pause();
    }
    function onDrain(): void {
      source.resume();
    }
    function onEnd(): void {
      if (settled) return;
      settled = true;
      cleanup();
      res.end(scrub.end());
      resolve();
    }
    function onError(error: Error): void {
      fail(error);
    }
    function onSourceClose(): void {
      fail(new Error('the upstream answer closed before its end'));
    }
    function onResClose(): void {
      fail(new Error('the agent connection closed before the answer ended'));
    }
    source.on('data', onData);
    source.once('end', onEnd);
    source.on('error', onError);
    source.once('close', onSourceClose);
    res.on('drain', onDrain);
    res.once('close', onResClose);
    res.on('error', onError);
  });
}

function toAgentHeaders(headers: Dispatcher.ResponseData['headers'], secret: string): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) continue;
    // SECURITY: a header that reflects the credential is dropped whole, not patched.
    const text = Array.isArray(value) ? value.join('\n') : value;
    if (text.includes(secret)) continue;
    kept[name] = value;
  }
  return kept;
}

/** A decoder for the body's encoding: null for plain bytes, undefined for one Airlock cannot read. */
function decoderFor(encoding: string | string[] | undefined): Transform | null | undefined {
  const name = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? 'identity')).trim().toLowerCase();
  if (name === '' || name === 'identity') return null;
  // Asked for identity, an upstream may still compress; the body is decoded so it can be scrubbed.
  if (name === 'gzip' || name === 'x-gzip') return createGunzip();
  if (name === 'deflate') return createInflate();
  if (name === 'br') return createBrotliDecompress();
  return undefined;
}
