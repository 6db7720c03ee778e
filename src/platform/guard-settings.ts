import type { GuardSettings } from '../classify/index.js';

/**
 * What the hooks guard on this machine: the Airlock home, its config, every agent client's hook
 * configuration. Placeholder until issue 15 part 6 lands: nothing.
 */
export function guardSettingsFor(_airlockHome: string | undefined): GuardSettings | undefined {
  return undefined;
}
