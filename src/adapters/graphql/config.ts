/** Which header carries Airlock's own credential to a GraphQL upstream. */
export type CredentialHeader = 'authorization' | 'project-access-token';

/** One GraphQL upstream as the adapter needs it: where it is and Airlock's own credential. */
export interface GraphqlUpstream {
  readonly kind: 'graphql';
  /** The upstream's GraphQL endpoint, e.g. `https://backboard.railway.com/graphql/v2`. */
  readonly url: string;
  /** Airlock's credential for the upstream. Never shown to agents, logged or audited. */
  readonly credential: string;
  /** Railway: `authorization` (Bearer) for account and workspace tokens, `project-access-token` for project tokens. */
  readonly credentialHeader?: CredentialHeader;
}

/** Request bodies above this are refused before parsing. */
export const MAX_REQUEST_BODY_BYTES = 1_048_576;
/** How long a resolution may take before its targets count as unknown (production). */
export const DEFAULT_RESOLVE_TIMEOUT_MS = 2_000;
/** How long a resolved topology is trusted before it is asked again. */
export const DEFAULT_RESOLVE_CACHE_MS = 5_000;

/** The header Airlock sends its own credential in, name and value. */
export function toCredentialHeader(upstream: GraphqlUpstream): readonly [string, string] {
  return upstream.credentialHeader === 'project-access-token'
    ? ['project-access-token', upstream.credential]
    : ['authorization', `Bearer ${upstream.credential}`];
}

// SECURITY: an allow-list, so that every credential-bearing header an agent might send
// (Authorization, Project-Access-Token, Cookie, X-Api-Key, …) is dropped, named or not.
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'user-agent'] as const;

/** The headers sent upstream: the agent's harmless ones, Airlock's credential, identity encoding. */
export function toUpstreamHeaders(
  agentHeaders: Readonly<Record<string, string | string[] | undefined>>,
  upstream: GraphqlUpstream,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = agentHeaders[name];
    if (typeof value === 'string') headers[name] = value;
  }
  // Plain bytes back, so the response can be scrubbed of the credential as it streams.
  headers['accept-encoding'] = 'identity';
  const [name, value] = toCredentialHeader(upstream);
  headers[name] = value;
  return headers;
}
