import type { JsonValue } from './canonical.js';

/**
 * What an action does to its target, as the classifier understood it. `execute` runs a program
 * whose effect Airlock cannot see into (a compiled binary, `node app.js`, a test runner): the
 * policy decides, knowing only that it can do whatever its user can.
 */
export type Effect = 'read' | 'write' | 'execute' | 'destructive' | 'unknown';

/** Every effect, from least to most dangerous. */
export const EFFECTS: readonly Effect[] = ['read', 'write', 'execute', 'destructive', 'unknown'];

/** The more dangerous of two effects, in the order of `EFFECTS` (`unknown` is the most). */
export function worseEffect(a: Effect, b: Effect): Effect {
  return EFFECTS.indexOf(b) > EFFECTS.indexOf(a) ? b : a;
}

/** Type guard for an effect name. */
export function isEffect(value: unknown): value is Effect {
  return typeof value === 'string' && (EFFECTS as readonly string[]).includes(value);
}

/** The protocol an action arrived through (a `Surface` is the adapter that speaks it). */
export type SurfaceKind = 'graphql' | 'http' | 'sql' | 'mcp' | 'shell';

/** Every surface Airlock knows of. */
export const SURFACE_KINDS: readonly SurfaceKind[] = ['graphql', 'http', 'sql', 'mcp', 'shell'];

/** Type guard for a surface name. */
export function isSurfaceKind(value: unknown): value is SurfaceKind {
  return typeof value === 'string' && (SURFACE_KINDS as readonly string[]).includes(value);
}

/** Something an action touches; `environment` comes from the resolver, never from the caller. */
export interface Target {
  readonly type: string;
  readonly id: string;
  /** Resolved environment name; undefined means unknown, which counts as production. */
  readonly environment?: string;
  readonly attrs: Readonly<Record<string, JsonValue>>;
}

/** One normalized thing a request would do, whatever protocol carried it. */
export interface ActionV1 {
  readonly upstream: string;
  readonly surface: SurfaceKind;
  /** The protocol's own name for the operation: `volumeDelete`, `DROP TABLE`, `rm`, a tool name. */
  readonly operation: string;
  readonly effect: Effect;
  readonly reversible: boolean;
  readonly targets: readonly Target[];
  /** SHA-256 of the canonical request this action came from. */
  readonly digest: string;
}

/** The current version of an action. */
export type Action = ActionV1;

/**
 * The target type classifiers give what Airlock guards from every agent: its home, its installed
 * code, the agent clients' hook configuration, its processes, other processes' environments. The
 * firewall denies such an action in code, before the grant and Cedar (`GUARD_POLICY_ID`).
 */
export const GUARDED_TARGET_TYPE = 'airlock-guarded';

/** The key a resource pattern is matched against: `type:id`. */
export function toResourceKey(target: Target): string {
  return `${target.type}:${target.id}`;
}
