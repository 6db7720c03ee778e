import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  AuditDraft,
  Clock,
  HeldRequestV1,
  Ids,
  JsonValue,
  PolicyEngine,
  Result,
} from '../../core/index.js';
import type { DecideOptions, Firewall, HeldRequestRunner } from '../../firewall/index.js';

// The port every surface of `airlock serve` implements, in the shape of OPA's plugin `Factory`:
// `validate` turns the surface's config section into options (or every problem with it) before
// anything listens; `start` runs it. It lives here, not in `server/`, because adapters implement
// it and adapters never import the server; not in `core`, because routes carry node:http types.

/** A handler for every request whose path is `prefix` or starts with `prefix/`. */
export interface SurfaceRoute {
  readonly prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  close?(): Promise<void>;
}

/** Where the gateway listens and where held agents poll. */
export interface SurfaceUrls {
  /** e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** e.g. `http://127.0.0.1:8080/approvals`. */
  readonly approvalsUrl: string;
}

/** What `validate` reads besides the section: where secrets and relative paths resolve. */
export interface SurfaceSettings {
  readonly env: NodeJS.ProcessEnv;
  /** The server's home: relative credential files, vaults and data folders resolve under it. */
  readonly home: string;
  /** The folder of the config file (the home without one): relative catalog files resolve there. */
  readonly configDir: string;
  /** Where the config puts the policy folder and the store, which the hooks' shell guards. */
  readonly policyDir: string;
  readonly storeFile: string;
  /** Environment names that count as production. */
  readonly productionEnvironments: readonly string[];
}

/** What a started surface may use: the firewall and the injected clock and ids, and where it is served. */
export interface SurfaceDeps {
  readonly firewall: Firewall;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly urls: SurfaceUrls;
  /** The interface the gateway listens on; listeners of their own use it too. */
  readonly host: string;
  /** Appends a record to the audit log (a snapshot taken, …). */
  appendAudit(draft: AuditDraft): Promise<void>;
  /** The policy engine in force now: `policy reload` swaps it, so read it per use, never keep it. */
  engine(): PolicyEngine;
  /** The decision settings of the config, for judging without the store (dry runs). */
  readonly decide: DecideOptions;
}

/** A started surface. */
export interface RunningSurface {
  /** Routes mounted on the gateway under their prefixes; the gateway closes them after it stops listening. */
  readonly routes?: readonly SurfaceRoute[];
  /** URLs of upstreams served on the gateway, listed as `upstreams` by `airlock serve --json`. */
  readonly upstreamUrls?: readonly string[];
  /** Lines `airlock serve` prints, e.g. `postgres main: postgres://127.0.0.1:6432/db`. */
  readonly lines: readonly string[];
  /** The same, for `--json` (`surfaces`); none for a surface listed by `upstreamUrls` alone. */
  readonly info?: Readonly<Record<string, JsonValue>>;
  /** What runs a held request of this surface once its undo window ends (delayed actions). */
  runHeld?(held: HeldRequestV1): HeldRequestRunner | undefined;
  /** Stops its own listeners and closes its connections (after the gateway closed the routes). */
  close(): Promise<void>;
}

/** Why a surface cannot start: every problem, and whether the config or an upstream is at fault. */
export interface SurfaceRefusalDetails {
  /** e.g. `cannot start the gateway`. */
  readonly title: string;
  readonly problems: readonly string[];
}

/** Thrown by `start` (and by `airlock serve`) when a surface cannot start. */
export class SurfaceRefusal extends Error {
  /** Every problem, one a line. */
  readonly details: readonly string[];
  /** `config`: the operator must fix the config; `upstream`: an upstream could not be reached. */
  readonly fault: 'config' | 'upstream';

  constructor(details: SurfaceRefusalDetails, fault: 'config' | 'upstream' = 'config') {
    super(details.title);
    this.name = 'SurfaceRefusal';
    this.details = details.problems;
    this.fault = fault;
  }
}

/**
 * One surface agents reach protected systems through; `server/surfaces.ts` lists them, with the
 * config's upstream kind each serves (`upstreams.NAME.kind`), if any.
 */
export interface Surface<Section, Options> {
  /** For messages: `graphql`, `agent hooks`, … */
  readonly name: string;
  /**
   * The options to start with, from the surface's sections (by upstream name); undefined when
   * there is nothing to serve. Secrets are read here, once.
   */
  validate(
    sections: Readonly<Record<string, Section>>,
    settings: SurfaceSettings,
  ): Promise<Result<Options | undefined, SurfaceRefusalDetails>>;
  /** Starts serving; throws a `SurfaceRefusal` when an upstream cannot be reached. */
  start(options: Options, deps: SurfaceDeps): Promise<RunningSurface>;
}
