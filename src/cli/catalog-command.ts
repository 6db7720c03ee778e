import type { Command } from 'commander';

/** Registers: airlock catalog import openapi (issue 9). Nothing yet. */
export function registerCatalogCommands(_program: Command): void {}
