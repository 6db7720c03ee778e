import type { Command } from 'commander';

/** Registers: airlock snapshots list, airlock restore (issue 6). Nothing yet. */
export function registerPostgresCommands(_program: Command): void {}
