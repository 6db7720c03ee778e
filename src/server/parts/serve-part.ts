import type { LoadedConfig } from '../../config/index.js';
import type { JsonValue, PolicyEngine, Store } from '../../core/index.js';
import type {
  FactorThrottle,
  Firewall,
  GrantService,
  HeldRequestRunner,
} from '../../firewall/index.js';
import type { HeldRequestV1 } from '../../core/index.js';
import type { AdminOperations } from '../admin/index.js';
import type { GatewayRoute, GatewayUrls } from '../gateway.js';
import type { TlsIdentity } from '../listener.js';

/** What every part of `airlock serve` besides its surfaces is built from. */
export interface ServePartContext {
  readonly loaded: LoadedConfig;
  readonly store: Store;
  /** The policy engine in force now: `policy reload` swaps it, so read it per use, never keep it. */
  readonly engine: () => PolicyEngine;
  readonly firewall: Firewall;
  readonly env: NodeJS.ProcessEnv;
  /** The interface the gateway listens on; listeners of their own use it too. */
  readonly host: string;
  /** The certificate and key of `--tls-cert`/`server.tls`: the gateway speaks HTTPS, and so do listeners of their own. */
  readonly tls?: TlsIdentity;
  /** Failed TOTP codes per approver, one count for every channel of this server (admin API, inbox). */
  readonly factorThrottle: FactorThrottle;
  /** The grant service agents derive tokens through. */
  readonly grants: GrantService;
  /** The admin operations the admin socket serves. */
  readonly adminOperations: AdminOperations;
  /** What runs a held request when its undo window ends: the surface it came through. */
  readonly runHeld: (held: HeldRequestV1) => HeldRequestRunner | undefined;
  /** Where the server's own warnings go (stderr for `airlock serve`). */
  readonly warn: (message: string) => void;
}

/**
 * One part of `airlock serve` besides its surfaces: HTTP routes mounted on the gateway (the web
 * inbox, token derive), a listener of its own (the admin socket), or background work.
 */
export interface ServePart {
  /** For messages: "web inbox", "admin api", … */
  readonly name: string;
  readonly routes?: (urls: GatewayUrls) => readonly GatewayRoute[];
  /** Starts a listener or loop of its own once the gateway listens; called after `routes`. */
  start?(urls: GatewayUrls): Promise<RunningPart>;
}

/** A started listener or loop. */
export interface RunningPart {
  /** Lines `airlock serve` prints, e.g. `web inbox: http://127.0.0.1:8080/inbox`. */
  readonly lines: readonly string[];
  /** The same, for `--json`. */
  readonly info: Readonly<Record<string, JsonValue>>;
  close(): Promise<void>;
}

/**
 * Builds a part from config; returns undefined when the config has nothing for it, and throws a
 * `config.invalid` FirewallError listing every problem when the config is unusable.
 */
export type ServePartFactory = (context: ServePartContext) => Promise<ServePart | undefined>;
