import type { IncomingHttpHeaders } from 'node:http';
import type { CredentialHeader } from './config.js';

// SECURITY: an allow-list, so that every credential an agent might send (Authorization, Cookie,
// X-Api-Key, apikey, X-Amz-Security-Token, …) is dropped whether it is named here or not, and
// method-override and host-override headers never reach the upstream.
const FORWARDED = new Set([
  'content-type',
  'accept',
  'accept-language',
  'user-agent',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'range',
  'idempotency-key',
  'stripe-version',
  'x-github-api-version',
  'prefer',
  'content-md5',
  'x-amz-target',
]);
// AWS request parameters travel in `x-amz-*` headers (S3 metadata, ACLs, copy sources); these are
// the signature's own and are recomputed.
const AWS_SIGNATURE_HEADERS = new Set([
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'x-amz-credential',
  'x-amz-signature',
  'x-amz-user-agent',
]);

/** The agent's headers that may go upstream, lower-cased; never a credential. */
export function forwardableHeaders(
  headers: IncomingHttpHeaders,
  aws: boolean,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') continue;
    const lower = name.toLowerCase();
    const awsParam = aws && lower.startsWith('x-amz-') && !AWS_SIGNATURE_HEADERS.has(lower);
    if (FORWARDED.has(lower) || awsParam) kept[lower] = value;
  }
  return kept;
}

/** The real credential's headers, name and value. */
export function credentialHeaders(
  secret: string,
  headers: readonly CredentialHeader[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const header of headers) {
    const prefix =
      header.scheme === 'bearer' ? 'Bearer ' : header.scheme === 'token' ? 'token ' : '';
    out[header.name.toLowerCase()] = `${prefix}${secret}`;
  }
  return out;
}
