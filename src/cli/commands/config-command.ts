import type { Command } from 'commander';
import { redactConfig } from '../../config/index.js';
import { loadConfigOf } from '../context.js';
import { printJson } from '../output.js';

/** Registers `airlock config show`. */
export function registerConfigCommands(program: Command): void {
  program
    .command('config')
    .description('configuration')
    .command('show')
    .description('print the validated configuration, secrets redacted')
    .action((_flags: unknown, command: Command) => {
      const loaded = loadConfigOf(command);
      printJson({
        home: loaded.home,
        file: loaded.file ?? null,
        config: redactConfig(loaded.config, process.env, loaded.home),
      });
    });
}
