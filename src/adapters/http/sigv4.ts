import { createHash, createHmac } from 'node:crypto';
import type { Hash, Hmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import type { AwsSigningKeys } from './config.js';
import { parseQueryPairs } from './query.js';

/** SHA-256 (or HMAC-SHA256 with a secret) on node:crypto, in the shape the signer asks for. */
export class NodeSha256 implements Checksum {
  readonly #secret: SourceData | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#hash = NodeSha256.#create(secret);
  }

  update(data: Uint8Array): void {
    this.#hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }

  reset(): void {
    this.#hash = NodeSha256.#create(this.#secret);
  }

  static #create(secret: SourceData | undefined): Hash | Hmac {
    if (secret === undefined) return createHash('sha256');
    const key =
      typeof secret === 'string'
        ? secret
        : Buffer.from(
            secret instanceof ArrayBuffer
              ? new Uint8Array(secret)
              : new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength),
          );
    return createHmac('sha256', key);
  }
}

/** A request to sign: what will be sent, byte for byte. */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Path and query as they will be sent (`/…?…`). */
  readonly pathAndQuery: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Signs a request with SigV4 under the real keys (smithy's signer, as the AWS SDKs use it) and
 * returns the headers to send. S3 signs the path as sent; other services escape it again.
 */
export async function signAwsRequest(
  request: SignableRequest,
  keys: AwsSigningKeys,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretAccessKey,
      ...(keys.sessionToken === undefined ? {} : { sessionToken: keys.sessionToken }),
    },
    region: keys.region,
    service: keys.service,
    sha256: NodeSha256,
    uriEscapePath: keys.service !== 's3',
    applyChecksum: true,
  });
  const mark = request.pathAndQuery.indexOf('?');
  const path = mark === -1 ? request.pathAndQuery : request.pathAndQuery.slice(0, mark);
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of parseQueryPairs(
    mark === -1 ? '' : request.pathAndQuery.slice(mark + 1),
  )) {
    const seen = Object.hasOwn(query, name) ? query[name] : undefined;
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port === '' ? {} : { port: Number(request.url.port) }),
      path,
      query,
      headers: { ...request.headers, host: request.url.host },
      body: request.body,
    }),
  );
  return signed.headers;
}
