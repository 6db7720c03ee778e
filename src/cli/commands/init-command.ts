import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE_NAME, STARTER_CONFIG } from '../../config/index.js';
import { homeOf } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { CliFailure, printLines } from '../output.js';

/**
 * Writes the commented starter config and the shipped default policy with its cases into
 * `home`, files 0600 and folders 0700 (the server's alone); returns the files written. Refuses
 * to overwrite a file that exists unless `force`.
 */
export async function writeStarterHome(home: string, force: boolean): Promise<string[]> {
  // Imported on demand, like every use of the policy module (it loads the Cedar wasm).
  const { DEFAULT_POLICY_DIR } = await import('../../policy/index.js');
  const policies = join(home, 'policies');
  const shipped = readdirSync(DEFAULT_POLICY_DIR).filter(
    (name) => name.endsWith('.cedar') || name.endsWith('.test.yaml'),
  );
  const targets = [join(home, CONFIG_FILE_NAME), ...shipped.map((name) => join(policies, name))];
  const existing = targets.filter((path) => existsSync(path));
  if (existing.length > 0 && !force) {
    // Never clobber a human's edited policy or config without being told to.
    throw new CliFailure(
      'refusing to overwrite existing files (use --force)',
      EXIT.invalidInput,
      existing,
    );
  }
  // SECURITY: the config and policy are the server's; other users may not read or change them.
  mkdirSync(policies, { recursive: true, mode: 0o700 });
  chmodSync(policies, 0o700);
  writeFileSync(join(home, CONFIG_FILE_NAME), STARTER_CONFIG, { mode: 0o600 });
  for (const name of shipped) copyFileSync(join(DEFAULT_POLICY_DIR, name), join(policies, name));
  // Modes are set after writing: an overwritten or copied file keeps the mode it had.
  for (const path of targets) chmodSync(path, 0o600);
  return targets;
}

/** Registers `airlock init`: a commented starter config and the default policy with its cases. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description(
      'write a commented airlock.yaml and the default policy (with its test cases) into the home folder',
    )
    .option('--force', 'overwrite files that exist')
    .action(async (flags: { force?: boolean }, command: Command) => {
      const home = homeOf(command);
      const targets = await writeStarterHome(home, flags.force === true);
      printLines(
        `wrote ${targets.length} file(s) under ${home}:`,
        ...targets.map((path) => `  ${path}`),
        'next: airlock policy test ' + join(home, 'policies'),
      );
    });
}
