import type { LoadedConfig } from '../config/index.js';
import type { JsonValue, PolicyEngine, Store } from '../core/index.js';
import type { FactorThrottle, Firewall } from '../firewall/index.js';
import type { GatewayRoute, GatewayUrls, PolicyReload, TlsIdentity } from '../server/index.js';

/** What every surface `airlock serve` runs is built from. */
export interface ServePartContext {
  readonly loaded: LoadedConfig;
  readonly store: Store;
  /** The policy engine in force now: `policy reload` swaps it, so read it per use, never keep it. */
  readonly engine: () => PolicyEngine;
  /** Compiles the policy folder again and swaps it in, all or nothing (`policy.invalid` on failure). */
  readonly reloadPolicy: () => Promise<PolicyReload>;
  readonly firewall: Firewall;
  readonly env: NodeJS.ProcessEnv;
  /** The interface the gateway listens on; listeners of their own use it too. */
  readonly host: string;
  /** The certificate and key of `--tls-cert`/`server.tls`: the gateway speaks HTTPS, and so do listeners of their own. */
  readonly tls?: TlsIdentity;
  /** Failed TOTP codes per approver, one count for every channel of this server (admin API, inbox). */
  readonly factorThrottle: FactorThrottle;
}

/**
 * One surface of `airlock serve` besides the GraphQL upstreams: HTTP routes mounted on the
 * gateway, and/or a listener of its own (the PostgreSQL wire protocol).
 */
export interface ServePart {
  /** For messages: "web inbox", "postgres upstream main", … */
  readonly name: string;
  readonly routes?: (urls: GatewayUrls) => readonly GatewayRoute[];
  /** Starts a listener of its own once the gateway listens; called after `routes`. */
  start?(urls: GatewayUrls): Promise<RunningPart>;
}

/** A started listener. */
export interface RunningPart {
  /** Lines `airlock serve` prints, e.g. `postgres main: postgres://127.0.0.1:6432/db`. */
  readonly lines: readonly string[];
  /** The same, for `--json`. */
  readonly info: Readonly<Record<string, JsonValue>>;
  close(): Promise<void>;
}

/**
 * Builds a surface's part from config; returns undefined when the config has nothing for it,
 * and throws a `CliFailure` listing every problem when the config is unusable.
 */
export type ServePartFactory = (context: ServePartContext) => Promise<ServePart | undefined>;
