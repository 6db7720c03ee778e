import type { ServerResponse } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import type { Scrub, ScrubSecrets } from './scrub.js';
import { createScrub, isSecretList } from './scrub.js';

// Hop-by-hop headers and those the scrubbed, re-chunked body makes wrong.
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'content-length',
  'content-encoding',
  // SECURITY: a session the upstream opens belongs to Airlock's credential, not the agent.
  'set-cookie',
]);

/**
 * Sends an upstream's answer on to the agent: its headers without hop-by-hop ones and without any
 * that reflect a secret, its body decoded when compressed and scrubbed of every secret as it
 * streams. Throws before writing anything when the body is in an encoding Airlock cannot read
 * (and so cannot scrub); rejects, cutting both ends, if either fails midway.
 */
export async function relayAnswer(
  answer: Dispatcher.ResponseData,
  secrets: readonly string[] | ScrubSecrets,
  res: ServerResponse,
): Promise<void> {
  const decoder = decoderFor(answer.headers['content-encoding']);
  if (decoder === undefined) {
    answer.body.destroy();
    throw new Error('the upstream answered in an encoding Airlock cannot scrub');
  }
  res.writeHead(
    answer.statusCode,
    agentHeaders(answer.headers, isSecretList(secrets) ? secrets : secrets.secrets),
  );
  // A hand-written relay rather than `pipeline`: its per-request error and abort objects cost
  // more than the relay itself on this hot path.
  await relay(decodedBody(answer.body, decoder), createScrub(secrets), res);
}

/** A decoder for the body's encoding: null for plain bytes, undefined for one Airlock cannot read. */
export function decoderFor(encoding: string | string[] | undefined): Transform | null | undefined {
  const name = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? 'identity'))
    .trim()
    .toLowerCase();
  if (name === '' || name === 'identity') return null;
  // Asked for identity, an upstream may still compress; the body is decoded so it can be scrubbed.
  if (name === 'gzip' || name === 'x-gzip') return createGunzip();
  if (name === 'deflate') return createInflate();
  if (name === 'br') return createBrotliDecompress();
  return undefined;
}

/** The upstream body, decoded when compressed; an error on either stream surfaces on the result. */
export function decodedBody(body: Readable, decoder: Transform | null): Readable {
  if (decoder === null) return body;
  body.once('error', (error) => decoder.destroy(error));
  return body.pipe(decoder);
}

function agentHeaders(
  headers: Dispatcher.ResponseData['headers'],
  secrets: readonly string[],
): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) continue;
    // SECURITY: a header that reflects a secret is dropped whole, not patched.
    const text = Array.isArray(value) ? value.join('\n') : value;
    if (secrets.some((secret) => text.includes(secret))) continue;
    kept[name] = value;
  }
  return kept;
}

// Node's own listener type, so that typed handlers fit `on` and `off` alike.
type Listener = Parameters<Readable['on']>[1];

/**
 * Streams `source` through `scrub` into `res`, with backpressure. Rejects, destroying both ends,
 * if either fails or the agent goes away before the end; `res` never gets unscrubbed bytes.
 */
function relay(source: Readable, scrub: Scrub, res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    // A method, not a named closure: tsx names each of those with a defineProperty per request.
    const relaying = {
      settle(error?: Error): void {
        if (settled) return;
        settled = true;
        for (const [emitter, event, listener] of listeners) emitter.off(event, listener);
        if (error === undefined) {
          res.end(scrub.end());
          resolve();
          return;
        }
        source.destroy();
        res.destroy();
        reject(error);
      },
    };
    const listeners: readonly [Readable | ServerResponse, string, Listener][] = [
      [
        source,
        'data',
        (chunk: Buffer) => {
          const out = scrub.push(chunk);
          if (out.length > 0 && !res.write(out)) source.pause();
        },
      ],
      [source, 'end', () => relaying.settle()],
      [source, 'error', (error: Error) => relaying.settle(error)],
      [
        source,
        'close',
        () => relaying.settle(new Error('the upstream answer closed before its end')),
      ],
      [res, 'drain', () => source.resume()],
      [
        res,
        'close',
        () => relaying.settle(new Error('the agent connection closed before the answer ended')),
      ],
      [res, 'error', (error: Error) => relaying.settle(error)],
    ];
    for (const [emitter, event, listener] of listeners) emitter.on(event, listener);
  });
}
