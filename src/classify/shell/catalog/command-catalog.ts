import type { CommandSpec } from './command-schema.js';
import { parseCommandSpecs } from './command-schema.js';
import { ARCHIVE_COMMANDS } from './commands/archives.js';
import { BUILD_COMMANDS } from './commands/build.js';
import { CODE_HANDLED_COMMANDS } from './commands/code-handled.js';
import { COMPILER_COMMANDS } from './commands/compilers.js';
import { EDITOR_COMMANDS } from './commands/editors.js';
import { FILE_CHANGE_COMMANDS } from './commands/file-changes.js';
import { SYSTEM_COMMANDS } from './commands/system.js';
import { SYSTEM_TOOL_COMMANDS } from './commands/system-tools.js';
import { TEXT_COMMANDS } from './commands/text.js';

export type { CommandSpec };

/**
 * Every program Airlock judges by a catalog entry, validated at load: an invalid shipped entry
 * is a bug in Airlock and fails loudly at startup rather than judging with half a catalog.
 * bash builtins (builtins.ts) and the tools that run scripts or other commands (scripts.ts,
 * exec.ts) are judged by their own code and are not listed here.
 */
export const COMMAND_CATALOG: readonly CommandSpec[] = (() => {
  const parsed = parseCommandSpecs([
    ...TEXT_COMMANDS,
    ...SYSTEM_COMMANDS,
    ...ARCHIVE_COMMANDS,
    ...FILE_CHANGE_COMMANDS,
    ...EDITOR_COMMANDS,
    ...COMPILER_COMMANDS,
    ...BUILD_COMMANDS,
    ...SYSTEM_TOOL_COMMANDS,
    ...CODE_HANDLED_COMMANDS,
  ]);
  if (!parsed.ok)
    throw new Error(`shipped shell command catalog is invalid: ${parsed.error.join('; ')}`);
  return Object.freeze(parsed.value);
})();

/** Every name a catalog entry answers to: its name and its aliases. */
export function namesOf(spec: CommandSpec): string[] {
  return [
    spec.name,
    ...spec.aliases.map((alias) => (typeof alias === 'string' ? alias : alias.name)),
  ];
}
