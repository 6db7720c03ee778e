import type { Effect } from '../../core/index.js';

/**
 * Where an operation's target id sits in its arguments: a dot path from the field's arguments,
 * e.g. `volumeId`, `id`, `input.serviceId`. `many` marks a list of ids (each is a target).
 */
export interface TargetLocator {
  readonly arg: string;
  /** The kind of thing the id names: `volume`, `service`, `environment`, `project`, … */
  readonly type: string;
  readonly many?: boolean;
}

/** How Airlock understands one root field of an upstream's GraphQL API. */
export interface OperationEntry {
  readonly effect: Effect;
  readonly reversible: boolean;
  /** Every argument that names a thing the operation acts on; empty when it acts on none. */
  readonly targets: readonly TargetLocator[];
  /** Why this classification, when it is not obvious from the name. */
  readonly note?: string;
}

/** One upstream's GraphQL catalog, as data: every root field it knows, by root type. */
export interface GraphqlCatalog {
  readonly upstream: string;
  readonly query: Readonly<Record<string, OperationEntry>>;
  readonly mutation: Readonly<Record<string, OperationEntry>>;
  readonly subscription: Readonly<Record<string, OperationEntry>>;
}
