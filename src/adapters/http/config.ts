import type { HttpCatalog } from '../../classify/index.js';

/** How the real credential is sent to a non-AWS upstream. */
export interface CredentialHeader {
  readonly name: string;
  readonly scheme: 'bearer' | 'token' | 'raw';
}

/** AWS keys and scope; Airlock re-signs every allowed request with SigV4 under them. */
export interface AwsSigningKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region: string;
  readonly service: string;
}

/** One REST upstream as the adapter needs it. Secrets never reach agents, logs or the audit log. */
export interface RestUpstream {
  /** The API base URL; the agent's path is appended to it unchanged. */
  readonly url: string;
  /** Catalogs that judge this upstream, first match wins (a user catalog, then the shipped one). */
  readonly catalogs: readonly HttpCatalog[];
  /** Either a token sent in headers, or AWS keys to sign with. */
  readonly credential: { readonly kind: 'header'; readonly secret: string; readonly headers: readonly CredentialHeader[] } | { readonly kind: 'aws'; readonly keys: AwsSigningKeys };
  /** The environment the operator says this upstream is; targets carry it. */
  readonly environment?: string;
}

/** Request bodies above this are refused before reading on. */
export const MAX_REST_BODY_BYTES = 10 * 1_048_576;

/** The secrets of an upstream, for scrubbing answers. */
export function secretsOf(upstream: RestUpstream): string[] {
  const credential = upstream.credential;
  if (credential.kind === 'header') return [credential.secret];
  const { accessKeyId, secretAccessKey, sessionToken } = credential.keys;
  return [secretAccessKey, accessKeyId, ...(sessionToken === undefined ? [] : [sessionToken])];
}
