import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE_NAME, STARTER_CONFIG } from '../config/index.js';
import { homeOf } from './context.js';
import { EXIT } from './exit-codes.js';
import { CliFailure, printLines } from './output.js';

/** Registers `airlock init`: a commented starter config and the default policy with its cases. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented airlock.yaml and the default policy (with its test cases) into the home folder')
    .option('--force', 'overwrite files that exist')
    .action(async (flags: { force?: boolean }, command: Command) => {
      // Imported on demand, like every use of the policy module (it loads the Cedar wasm).
      const { DEFAULT_POLICY_DIR } = await import('../policy/index.js');
      const home = homeOf(command);
      const policies = join(home, 'policies');
      const shipped = readdirSync(DEFAULT_POLICY_DIR).filter((name) => name.endsWith('.cedar') || name.endsWith('.test.yaml'));
      const targets = [join(home, CONFIG_FILE_NAME), ...shipped.map((name) => join(policies, name))];
      const existing = targets.filter((path) => existsSync(path));
      if (existing.length > 0 && flags.force !== true) {
        // Never clobber a human's edited policy or config without being told to.
        throw new CliFailure('refusing to overwrite existing files (use --force)', EXIT.invalidInput, existing);
      }
      mkdirSync(policies, { recursive: true });
      writeFileSync(join(home, CONFIG_FILE_NAME), STARTER_CONFIG);
      for (const name of shipped) copyFileSync(join(DEFAULT_POLICY_DIR, name), join(policies, name));
      printLines(`wrote ${targets.length} file(s) under ${home}:`, ...targets.map((path) => `  ${path}`), 'next: airlock policy test ' + policies);
    });
}
