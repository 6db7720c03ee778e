import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Agent } from 'undici';
import type { RestUpstream } from '../adapters/http/index.js';
import { createRestProxy } from '../adapters/http/index.js';
import type { HttpCatalog } from '../classify/index.js';
import { BUILTIN_CATALOGS, parseHttpCatalog } from '../classify/index.js';
import type { LoadedConfig } from '../config/index.js';
import { readSecretField } from '../config/index.js';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './output.js';
import type { ServePartFactory } from './serve-part.js';

/**
 * `airlock serve`'s part for REST upstreams: each `kind: http` upstream at `/http/NAME`. Agents
 * send `Authorization: Bearer alk_…`; AWS SDKs use their Airlock token as access key id.
 */
export const restServePart: ServePartFactory = async ({ loaded, firewall, env }) => {
  const upstreams = restUpstreamsOf(loaded, env);
  const names = Object.keys(upstreams);
  if (names.length === 0) return undefined;
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  return {
    name: 'rest upstreams',
    routes: (urls) =>
      Object.entries(upstreams).map(([name, upstream], index) => {
        const proxy = createRestProxy({ name, upstream, firewall, dispatcher, approvalsUrl: urls.approvalsUrl });
        return {
          prefix: `/http/${name}`,
          handle: (req, res) => proxy(req, res),
          // One dispatcher for every route: the last one closes it.
          ...(index === names.length - 1 ? { close: () => dispatcher.close() } : {}),
        };
      }),
    start: async (urls) => ({
      lines: names.map((name) => `rest ${name}: ${urls.url}/http/${name}`),
      info: { surface: 'http', upstreams: names.map((name) => `${urls.url}/http/${name}`) },
      close: async () => undefined,
    }),
  };
};

// The shipped catalogs of each platform; `generic` has none (reads pass, writes are held).
const PLATFORM_CATALOGS: Readonly<Record<string, readonly string[]>> = {
  aws: ['aws'], stripe: ['stripe'], github: ['github'], vercel: ['vercel'], fly: ['fly'],
  supabase: ['supabase', 'supabase-project'], neon: ['neon'], render: ['render'], generic: [],
};

/** The REST upstreams of the config, credentials read; refuses listing every problem. */
export function restUpstreamsOf(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Record<string, RestUpstream> {
  const problems: string[] = [];
  const upstreams: Record<string, RestUpstream> = {};
  for (const [name, upstream] of Object.entries(loaded.config.upstreams)) {
    if (upstream.kind !== 'http') continue;
    const where = `upstreams.${name}`;
    if (upstream.url === undefined) problems.push(`${where}.url: required for an http upstream`);
    const secrets = { env, home: loaded.home };
    let credential: RestUpstream['credential'] | undefined;
    if (upstream.aws !== undefined) {
      const accessKeyId = readSecretField(upstream.aws, 'accessKeyId', `${where}.aws`, secrets, problems);
      const secretAccessKey = readSecretField(upstream.aws, 'secretAccessKey', `${where}.aws`, secrets, problems);
      const sessionToken = readSecretField(upstream.aws, 'sessionToken', `${where}.aws`, secrets, problems, false);
      if (accessKeyId !== undefined && secretAccessKey !== undefined) {
        credential = { kind: 'aws', keys: { accessKeyId, secretAccessKey, region: upstream.aws.region, service: upstream.aws.service, ...(sessionToken === undefined ? {} : { sessionToken }) } };
      }
    } else {
      const token = readSecretField(upstream, 'credential', where, secrets, problems);
      if (token !== undefined) credential = { kind: 'header', secret: token, headers: upstream.credentialHeaders };
    }
    const catalogs = catalogsFor(upstream.platform, upstream.catalog, loaded, `${where}.catalog`, problems);
    if (upstream.url !== undefined && credential !== undefined && catalogs !== undefined) {
      upstreams[name] = { url: upstream.url, catalogs, credential, ...(upstream.environment === undefined ? {} : { environment: upstream.environment }) };
    }
  }
  if (problems.length > 0) throw new CliFailure('cannot start the gateway', EXIT.invalidInput, problems);
  return upstreams;
}

function catalogsFor(platform: string, file: string | undefined, loaded: LoadedConfig, where: string, problems: string[]): HttpCatalog[] | undefined {
  const shipped = (PLATFORM_CATALOGS[platform] ?? []).flatMap((name) => BUILTIN_CATALOGS.filter((catalog) => catalog.platform === name));
  if (file === undefined) return shipped.length > 0 ? shipped : [emptyCatalog(platform)];
  const path = resolve(loaded.file === undefined ? loaded.home : dirname(loaded.file), file);
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
  return [{ ...base, endpoints: [...parsed.value.endpoints, ...base.endpoints] }, ...shipped.slice(1)];
}

function emptyCatalog(platform: string): HttpCatalog {
  return { version: 1, platform, title: 'no catalog: reads pass, every write is held', hosts: [], paths: { style: 'router', caseInsensitiveIds: false }, bodyFormat: 'json', endpoints: [] };
}
