/**
 * Exit codes, distinct so scripts and hooks can tell a verdict from a failure.
 * - 0: done; the check passed.
 * - 1: the check ran and found a problem (a failing policy case, a broken audit chain).
 * - 2: the command was given input it cannot use (usage, invalid config or policy, bad id).
 * - 3: Airlock itself failed (store unavailable, unexpected error).
 */
export const EXIT = { ok: 0, failed: 1, invalidInput: 2, internal: 3 } as const;
