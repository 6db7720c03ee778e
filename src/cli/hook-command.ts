import type { Command } from 'commander';

/** Registers: airlock hook CLIENT, install-hooks, doctor (issue 7). Nothing yet. */
export function registerHookCommands(_program: Command): void {}
