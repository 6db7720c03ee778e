import type { IncomingMessage } from 'node:http';
import { readBoundedBody } from '../shared/index.js';
import { MAX_REST_BODY_BYTES } from './config.js';

/** An agent's REST request: what arrived, with the path relative to the upstream's base URL. */
export interface RestAgentRequest {
  readonly method: string;
  /** The Airlock token, from `Authorization: Bearer` or an AWS signature's access key id; empty if none. */
  readonly token: string;
  /** The path and query after `/http/NAME`, byte for byte as sent (`/…`). */
  readonly target: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** Why a request was refused before judging. */
export type RestRefusal = 'wrong-prefix' | 'too-large' | 'presigned';

/**
 * Reads a request arriving at `prefix`. The path is taken from the raw request line, not a parsed
 * URL: URL parsing resolves `..` and decodes, and the upstream must get the bytes Airlock judged.
 */
export async function readRestRequest(
  req: IncomingMessage,
  prefix: string,
): Promise<RestAgentRequest | RestRefusal> {
  const raw = req.url ?? '';
  // SECURITY: `/foo/../http/NAME/…` was routed here by a normalized path; the raw one must agree.
  if (!raw.startsWith(prefix) || !['', '/', '?'].includes(raw.charAt(prefix.length)))
    return 'wrong-prefix';
  const rest = raw.slice(prefix.length);
  const target = rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest;
  // Query-string signatures would travel to the upstream inside the URL; they are not supported.
  if (/[?&]X-Amz-(Credential|Signature)=/i.test(target)) return 'presigned';
  const body = await readBoundedBody(req, MAX_REST_BODY_BYTES);
  if (body === undefined) return 'too-large';
  return {
    method: req.method ?? '',
    token: agentToken(req.headers.authorization),
    target,
    headers: req.headers,
    body,
  };
}

/**
 * The agent's Airlock token. Plain clients send `Authorization: Bearer alk_…`; AWS SDKs are set up
 * with the token as their access key id (any secret), so it arrives as the signature's
 * `Credential=alk_…/date/region/service/aws4_request`. The agent's signature is not checked: the
 * token is the credential, exactly as a bearer token is, and the signature is replaced.
 */
export function agentToken(header: string | undefined): string {
  if (header === undefined) return '';
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer !== null) return bearer[1] ?? '';
  const sigv4 = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\//.exec(header);
  return sigv4?.[1] ?? '';
}
