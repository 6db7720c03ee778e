import type { Finding, GuardSettings, Invocation } from './types.js';

/**
 * What Airlock guards from the agent (issue 15 part 6): its home, its config, the agent clients'
 * hook configuration, its processes, other processes' environments. Placeholder until that work lands.
 */

/** Extra findings for one command (reads of /proc/PID/environ, signals to Airlock's processes). */
export function guardInvocation(_inv: Invocation, _guard: GuardSettings | undefined): Finding[] {
  return [];
}

/** Every finding that writes, moves or deletes a guarded path, turned into one Airlock denies. */
export function guardFindings(findings: readonly Finding[], _guard: GuardSettings | undefined): Finding[] {
  return [...findings];
}
