import type { RunningSurface, SurfaceDeps, SurfaceSettings } from '../adapters/shared/index.js';
import { dirname } from 'node:path';
import type { LoadedConfig } from '../config/index.js';
import type { Clock, HeldRequestV1, Ids, JsonValue, PolicyEngine, Store } from '../core/index.js';
import type { FactorThrottle, Firewall, GrantService } from '../firewall/index.js';
import type { AdminOperations } from './admin/index.js';
import { startGateway } from './gateway.js';
import type { TlsIdentity } from './listener.js';
import { adminServePart } from './parts/admin-part.js';
import { approvalsServePart } from './parts/approvals-part.js';
import { checkpointsServePart } from './parts/checkpoints-part.js';
import { inboxServePart } from './parts/inbox-part.js';
import type {
  RunningPart,
  ServePart,
  ServePartContext,
  ServePartFactory,
} from './parts/serve-part.js';
import { tokensServePart } from './parts/tokens-part.js';
import { decideOptionsOf } from './services.js';
import type { ValidatedSurface } from './surfaces.js';
import { SURFACES } from './surfaces.js';

/** The parts of `airlock serve` besides its surfaces, in the order they are built. */
const SERVE_PARTS: readonly ServePartFactory[] = [
  approvalsServePart,
  inboxServePart,
  tokensServePart,
  adminServePart,
  checkpointsServePart,
];

/** What `validateSurfaces` reads: the config, and the environment secrets may come from. */
export function surfaceSettingsOf(loaded: LoadedConfig, env: NodeJS.ProcessEnv): SurfaceSettings {
  const { home, policyDir, storeFile } = loaded;
  const configDir = loaded.file === undefined ? home : dirname(loaded.file);
  return {
    env,
    home,
    configDir,
    policyDir,
    storeFile,
    productionEnvironments: loaded.config.environments.production,
  };
}

/**
 * Every surface the config describes, validated and its secrets read, before anything opens or
 * listens; throws `config.invalid` listing the problems of the first surface that has any.
 */
export async function validateSurfaces(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
): Promise<ValidatedSurface[]> {
  const settings = surfaceSettingsOf(loaded, env);
  const validated: ValidatedSurface[] = [];
  for (const surface of SURFACES) {
    const ready = await surface.validate(loaded.config, settings);
    if (ready !== undefined) validated.push(ready);
  }
  return validated;
}

/** What `startServer` composes: the opened store and firewall, the validated surfaces, where to listen. */
export interface ServerOptions {
  readonly loaded: LoadedConfig;
  readonly store: Store;
  readonly firewall: Firewall;
  /** The policy engine in force now (`policy reload` swaps it). */
  readonly engine: () => PolicyEngine;
  readonly surfaces: readonly ValidatedSurface[];
  readonly grants: GrantService;
  readonly adminOperations: AdminOperations;
  readonly factorThrottle: FactorThrottle;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly env: NodeJS.ProcessEnv;
  readonly host: string;
  readonly port: number;
  readonly tls?: TlsIdentity;
  /** Where the server's warnings go. */
  readonly warn: (message: string) => void;
}

/** A running `airlock serve`. */
export interface RunningServer {
  readonly url: string;
  /** What `airlock serve` prints under its URL. */
  readonly lines: readonly string[];
  /** The same for `--json`: upstream URLs on the gateway and each surface's details. */
  readonly upstreamUrls: readonly string[];
  readonly surfaces: readonly Readonly<Record<string, JsonValue>>[];
  /** Stops the gateway, then every surface and part. */
  close(): Promise<void>;
}

/**
 * Starts `airlock serve`: the gateway (`/healthz`, `/approvals`), every validated surface
 * mounted on it or listening on its own, then the inbox, token derive, the admin socket,
 * background approvals work and audit checkpoints.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const running: RunningSurface[] = [];
  const context: ServePartContext = {
    ...options,
    runHeld: (held: HeldRequestV1) =>
      running.map((surface) => surface.runHeld?.(held)).find((runner) => runner !== undefined),
  };
  const parts: ServePart[] = [];
  for (const factory of SERVE_PARTS) {
    const part = await factory(context);
    if (part !== undefined) parts.push(part);
  }
  const { store, tls } = options;
  const gateway = await startGateway({
    host: options.host,
    port: options.port,
    ...(tls === undefined ? {} : { tls }),
    approvals: store,
    routes: (urls) => parts.flatMap((part) => part.routes?.(urls) ?? []),
  });
  const urls = { url: gateway.url, approvalsUrl: `${gateway.url}/approvals` };
  const started: RunningPart[] = [];
  const closeAll = async (): Promise<void> => {
    await gateway.close();
    for (const surface of running) await surface.close();
    for (const part of started) await part.close();
  };
  try {
    const deps = surfaceDeps(options, urls);
    for (const surface of options.surfaces) {
      const one = await surface.start(deps);
      running.push(one);
      gateway.mount(one.routes ?? []);
    }
    for (const part of parts) if (part.start !== undefined) started.push(await part.start(urls));
  } catch (error) {
    await closeAll();
    throw error;
  }
  return {
    url: gateway.url,
    upstreamUrls: running.flatMap((surface) => surface.upstreamUrls ?? []),
    lines: [...running, ...started].flatMap((one) => one.lines),
    surfaces: [
      ...running.flatMap((surface) => (surface.info === undefined ? [] : [surface.info])),
      ...started.map((part) => part.info),
    ],
    close: closeAll,
  };
}

function surfaceDeps(options: ServerOptions, urls: SurfaceDeps['urls']): SurfaceDeps {
  const { store, clock } = options;
  return {
    firewall: options.firewall,
    clock,
    ids: options.ids,
    urls,
    host: options.host,
    appendAudit: async (draft) => {
      await store.appendAudit(draft);
    },
    engine: options.engine,
    decide: decideOptionsOf(options.loaded),
  };
}
