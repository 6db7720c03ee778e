import type { Config, SecretContext } from '../../config/index.js';
import { readSecretField } from '../../config/index.js';
import type { Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';

/** A `kind: graphql` section of the config's `upstreams`. */
export type GraphqlUpstreamConfig = Extract<Config['upstreams'][string], { kind: 'graphql' }>;

/** The platforms a GraphQL upstream may name (`platform: railway`). */
export type GraphqlPlatformName = GraphqlUpstreamConfig['platform'];

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
  /** Supplies the catalog and the resolver; default `railway`. */
  readonly platform?: GraphqlPlatformName;
}

/**
 * The GraphQL upstreams of the config with their credentials read, or every problem (a missing
 * URL, an unset or unreadable credential).
 */
export function graphqlUpstreamsOf(
  sections: Readonly<Record<string, GraphqlUpstreamConfig>>,
  secrets: SecretContext,
): Result<Record<string, GraphqlUpstream>, string[]> {
  const problems: string[] = [];
  const upstreams: Record<string, GraphqlUpstream> = {};
  for (const [name, upstream] of Object.entries(sections)) {
    if (upstream.url === undefined)
      problems.push(`upstreams.${name}.url: required for a graphql upstream`);
    const credential = readSecretField(
      upstream,
      'credential',
      `upstreams.${name}`,
      secrets,
      problems,
    );
    if (upstream.url !== undefined && credential !== undefined) {
      const { url, credentialHeader, platform } = upstream;
      upstreams[name] = { kind: 'graphql', url, credential, credentialHeader, platform };
    }
  }
  return problems.length > 0 ? err(problems) : ok(upstreams);
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
