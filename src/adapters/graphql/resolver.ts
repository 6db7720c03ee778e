import type { Action, Target } from '../../core/index.js';
import { toResourceKey } from '../../core/index.js';

/**
 * Fills in where targets live by asking the upstream, before the firewall decides. It never
 * throws and never guesses: a target it cannot place keeps no environment, which counts as
 * production.
 */
export interface TargetResolver {
  /** The actions with their targets placed; unplaced targets are left as they came. */
  resolve(upstream: string, actions: readonly Action[]): Promise<Action[]>;
  /** Forgets what it knows of an upstream, after a request that may have moved things. */
  invalidate(upstream: string): void;
}

/** One environment a thing lives in. */
export interface Placement {
  /** The environment's name, as grants and policies know it. */
  readonly environment: string;
  /** Whether it is its project's primary environment, which counts as production. */
  readonly primary: boolean;
}

/** Where things live on an upstream, by resource key (`type:id`). */
export type Topology = ReadonlyMap<string, readonly Placement[]>;

/**
 * Whether an action's targets must be placed before it is decided: any unplaced target, whatever
 * the effect. Destructive and unknown actions must be placed to be judged safely; reads and
 * writes are placed too, so a token scoped to staging can read what lives in staging instead of
 * being refused for an "unknown" environment. The topology is cached, so this costs one upstream
 * query per cache period, not one per request.
 */
export function needsResolution(action: Action): boolean {
  return action.targets.some((target) => target.environment === undefined);
}

/**
 * Places the targets of the actions that need it. A target found in several environments
 * becomes one target per environment (same type and id), so the most restrictive one decides.
 * A primary environment not named as production also yields a target in the first production
 * environment, so that it is judged as production.
 */
export function placeTargets(
  actions: readonly Action[],
  topology: Topology | undefined,
  productionEnvironments: readonly string[],
): Action[] {
  return actions.map((action) => {
    if (!needsResolution(action)) return action;
    const targets = action.targets.flatMap((target) =>
      placeTarget(target, topology, productionEnvironments),
    );
    return { ...action, targets };
  });
}

function placeTarget(
  target: Target,
  topology: Topology | undefined,
  production: readonly string[],
): Target[] {
  if (target.environment !== undefined) return [target];
  const placements = topology?.get(toResourceKey(target)) ?? [];
  // SECURITY: not found is not "nowhere"; it stays unknown, which counts as production.
  if (placements.length === 0) return [target];
  const environments = new Set<string | undefined>();
  for (const placement of placements) {
    environments.add(placement.environment);
    if (placement.primary && !production.includes(placement.environment))
      environments.add(production[0]);
  }
  // `target` has no environment here, so an undefined one keeps it unknown.
  return [...environments].map((environment) =>
    environment === undefined ? target : { ...target, environment },
  );
}
