import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HttpCatalog } from '../../classify/index.js';
import { BUILTIN_CATALOGS, parseHttpCatalog } from '../../classify/index.js';
import type { Config } from '../../config/index.js';
import { readSecretField } from '../../config/index.js';
import type { Result } from '../../core/index.js';
import { err, ok } from '../../core/index.js';
import type { SurfaceSettings } from '../shared/index.js';

/** A `kind: http` section of the config's `upstreams`. */
export type RestUpstreamConfig = Extract<Config['upstreams'][string], { kind: 'http' }>;

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
  readonly credential:
    | {
        readonly kind: 'header';
        readonly secret: string;
        readonly headers: readonly CredentialHeader[];
      }
    | { readonly kind: 'aws'; readonly keys: AwsSigningKeys };
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

/** The REST upstreams of the config, credentials read and catalogs loaded, or every problem. */
export function restUpstreamsOf(
  sections: Readonly<Record<string, RestUpstreamConfig>>,
  settings: Pick<SurfaceSettings, 'env' | 'home' | 'configDir'>,
): Result<Record<string, RestUpstream>, string[]> {
  const problems: string[] = [];
  const upstreams: Record<string, RestUpstream> = {};
  for (const [name, upstream] of Object.entries(sections)) {
    const where = `upstreams.${name}`;
    if (upstream.url === undefined) problems.push(`${where}.url: required for an http upstream`);
    const credential = credentialOf(upstream, where, settings, problems);
    const catalogs = catalogsFor(
      upstream.platform,
      upstream.catalog,
      settings.configDir,
      `${where}.catalog`,
      problems,
    );
    if (upstream.url !== undefined && credential !== undefined && catalogs !== undefined) {
      upstreams[name] = {
        url: upstream.url,
        catalogs,
        credential,
        ...(upstream.environment === undefined ? {} : { environment: upstream.environment }),
      };
    }
  }
  return problems.length > 0 ? err(problems) : ok(upstreams);
}

function credentialOf(
  upstream: RestUpstreamConfig,
  where: string,
  secrets: Pick<SurfaceSettings, 'env' | 'home'>,
  problems: string[],
): RestUpstream['credential'] | undefined {
  if (upstream.aws === undefined) {
    const token = readSecretField(upstream, 'credential', where, secrets, problems);
    return token === undefined
      ? undefined
      : { kind: 'header', secret: token, headers: upstream.credentialHeaders };
  }
  const accessKeyId = readSecretField(
    upstream.aws,
    'accessKeyId',
    `${where}.aws`,
    secrets,
    problems,
  );
  const secretAccessKey = readSecretField(
    upstream.aws,
    'secretAccessKey',
    `${where}.aws`,
    secrets,
    problems,
  );
  const sessionToken = readSecretField(
    upstream.aws,
    'sessionToken',
    `${where}.aws`,
    secrets,
    problems,
    false,
  );
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  const { region, service } = upstream.aws;
  return {
    kind: 'aws',
    keys: {
      accessKeyId,
      secretAccessKey,
      region,
      service,
      ...(sessionToken === undefined ? {} : { sessionToken }),
    },
  };
}

// The shipped catalogs of each platform; `generic` has none (reads pass, writes are held).
const PLATFORM_CATALOGS: Readonly<Record<string, readonly string[]>> = {
  aws: ['aws'],
  stripe: ['stripe'],
  github: ['github'],
  vercel: ['vercel'],
  fly: ['fly'],
  supabase: ['supabase', 'supabase-project'],
  neon: ['neon'],
  render: ['render'],
  generic: [],
};

function catalogsFor(
  platform: string,
  file: string | undefined,
  configDir: string,
  where: string,
  problems: string[],
): HttpCatalog[] | undefined {
  const shipped = (PLATFORM_CATALOGS[platform] ?? []).flatMap((name) =>
    BUILTIN_CATALOGS.filter((catalog) => catalog.platform === name),
  );
  if (file === undefined) return shipped.length > 0 ? shipped : [emptyCatalog(platform)];
  const path = resolve(configDir, file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    problems.push(`${where}: \`${file}\` is not a readable JSON file`);
    return undefined;
  }
  const parsed = parseHttpCatalog(data);
  if (!parsed.ok) {
    problems.push(...parsed.error.map((problem) => `${where}: ${problem}`));
    return undefined;
  }
  // A user's entries extend the shipped catalog and win over it where both match alike.
  const base = shipped[0];
  if (base === undefined) return [parsed.value];
  return [
    { ...base, endpoints: [...parsed.value.endpoints, ...base.endpoints] },
    ...shipped.slice(1),
  ];
}

function emptyCatalog(platform: string): HttpCatalog {
  return {
    version: 1,
    platform,
    title: 'no catalog: reads pass, every write is held',
    hosts: [],
    paths: { style: 'router', caseInsensitiveIds: false },
    bodyFormat: 'json',
    endpoints: [],
  };
}
