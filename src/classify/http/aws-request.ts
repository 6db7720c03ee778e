import type { Effect, Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';
import type { AwsServiceCatalog, CatalogClassification } from './catalog-schema.js';

/** Which AWS endpoint a host names. */
export interface AwsEndpoint {
  /** The endpoint prefix (`rds`, `s3`, `api.ecr`), `-fips` removed. */
  readonly service: string;
  readonly region: string | undefined;
  /** S3 virtual-hosted style: the bucket named by the host. */
  readonly bucket: string | undefined;
}

const S3_HOST = /^(?:(.+)\.)?s3(?:[.-](?:dualstack\.)?([a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$/;
const REGIONAL_HOST =
  /^([a-z0-9-]+(?:\.[a-z0-9-]+)?)\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$/;
const GLOBAL_HOST = /^([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** The AWS endpoint a host name is, or undefined when it is not one Airlock knows the shape of. */
export function parseAwsHost(hostname: string): AwsEndpoint | undefined {
  const s3 = S3_HOST.exec(hostname);
  if (s3 !== null) return { service: 's3', region: s3[2], bucket: s3[1] };
  const regional = REGIONAL_HOST.exec(hostname);
  if (regional !== null)
    return { service: stripFips(regional[1] ?? ''), region: regional[2], bucket: undefined };
  const global = GLOBAL_HOST.exec(hostname);
  if (global !== null)
    return { service: stripFips(global[1] ?? ''), region: undefined, bucket: undefined };
  return undefined;
}

function stripFips(service: string): string {
  return service.replace(/-fips$/, '');
}

/** How an RPC request names its operation. */
export interface RpcOperation {
  readonly name: string;
  readonly protocol: 'query' | 'json';
}

/**
 * The operation of an AWS RPC request: `X-Amz-Target: Prefix.Operation` (JSON protocol) or the
 * `Action` parameter in the query string or form body (Query protocol). Undefined when the
 * request carries neither; a problem when it carries both, or `Action` more than once.
 */
export function findRpcOperation(
  target: string | undefined,
  actions: readonly string[],
): Result<RpcOperation | undefined, string> {
  if (target !== undefined && actions.length > 0)
    return err('the request names its operation both in X-Amz-Target and in Action');
  if (target !== undefined) {
    const match = /^[A-Za-z0-9_]+\.([A-Za-z][A-Za-z0-9]*)$/.exec(target.trim());
    return match === null
      ? err('X-Amz-Target is not `Service.Operation`')
      : ok({ name: match[1] ?? '', protocol: 'json' });
  }
  if (actions.length > 1) return err('`Action` is given more than once');
  const action = actions[0];
  if (action === undefined) return ok(undefined);
  return /^[A-Za-z][A-Za-z0-9]*$/.test(action)
    ? ok({ name: action, protocol: 'query' })
    : err('`Action` is not an operation name');
}

/** The catalog entry for an operation of a service, or a guess from its verb for one not listed. */
export function rpcEntry(
  service: AwsServiceCatalog | undefined,
  name: string,
): CatalogClassification & { readonly guessed: boolean } {
  // SECURITY: own properties only, so `constructor` never finds an entry.
  const entry =
    service !== undefined && Object.hasOwn(service.operations, name)
      ? service.operations[name]
      : undefined;
  if (entry !== undefined) return { ...entry, guessed: false };
  return { effect: guessEffect(name), reversible: false, targets: [], rules: [], guessed: true };
}

// AWS names operations verb first. Reads by their verb may pass; verbs that remove things are
// destructive; every other verb of an operation not catalogued is unknown (held, never allowed).
const READ_VERBS =
  /^(Describe|List|Get|BatchGet|Query|Scan|Search|Lookup|Head|Validate|Estimate|Preview|Simulate)(?=[A-Z]|$)/;
const DESTRUCTIVE_VERBS =
  /^(Delete|BatchDelete|Terminate|Remove|Purge|Destroy|Drop|Deregister|Revoke|Disable|Detach|Disassociate|Release|Reset|Restore|Reject|Empty|Truncate|Schedule)(?=[A-Z]|$)/;

function guessEffect(name: string): Effect {
  if (READ_VERBS.test(name)) return 'read';
  if (DESTRUCTIVE_VERBS.test(name)) return 'destructive';
  return 'unknown';
}
