import type { Handler } from '../types.js';
import { found } from '../types.js';
import { BUILTIN_HANDLERS } from './builtins.js';
import { COMMAND_CATALOG, namesOf } from './command-catalog.js';
import type { CommandSpec } from './command-schema.js';
import { EXEC_HANDLERS } from './exec.js';
import { FILE_HANDLERS } from './files.js';
import { git } from './git.js';
import { PLATFORM_HANDLERS } from './platforms.js';
import { SCRIPT_HANDLERS } from './scripts.js';
import { handlerFromSpec } from './spec-handler.js';

/** The code handlers catalog entries may name with `handler`, by module, then by command name. */
export const CODE_HANDLERS: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  files: FILE_HANDLERS,
  git: { git },
  platforms: PLATFORM_HANDLERS,
};

/**
 * Drivers that run project scripts which SCRIPT_HANDLERS (scripts.ts) does not read yet: they run
 * code Airlock has not read, which is `execute`. Each yields to SCRIPT_HANDLERS once it has the name.
 */
export const PENDING_SCRIPT_TOOLS: readonly string[] = ['corepack', 'just'].filter(
  (name) => !(name in SCRIPT_HANDLERS),
);

/** The handler of one catalog entry under one of its names. */
function handlerOf(spec: CommandSpec, name: string): Handler {
  if (spec.handler === undefined) return handlerFromSpec(spec);
  const handler = CODE_HANDLERS[spec.handler]?.[name];
  if (handler === undefined)
    throw new Error(
      `catalog entry \`${spec.name}\` names handler \`${spec.handler}\`, which has no \`${name}\``,
    );
  return handler;
}

/** Every command Airlock knows how to judge, by name. Anything else is `unknown`. */
export const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ...PENDING_SCRIPT_TOOLS.map((name): [string, Handler] => [name, () => found.execute(name)]),
  ...COMMAND_CATALOG.flatMap((spec) =>
    namesOf(spec).map((name): [string, Handler] => [name, handlerOf(spec, name)]),
  ),
  ...Object.entries(EXEC_HANDLERS),
  // Last, so that they win: bash runs its builtin before any program of the same name.
  ...Object.entries(SCRIPT_HANDLERS),
  ...Object.entries(BUILTIN_HANDLERS),
]);
