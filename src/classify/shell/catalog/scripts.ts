import type { Finding, Handler, Invocation } from '../types.js';
import { make } from './make.js';
import { bun, npm, packageRunner, pnpm, yarn } from './package-managers.js';
import { runDirectFile } from './script-files.js';
import { SCRIPT_RUNNER_HANDLERS } from './script-runners.js';

/**
 * Looking inside what will run (issue 15 part 2): package scripts (package-managers.ts,
 * package-scripts.ts), Makefiles (make.ts, makefile.ts) and script files (script-files.ts). Every
 * read goes through the classification's FileReader, bounded per file by the reader and per
 * classification by read-budget.ts; nesting is bounded by the walker (MAX_NESTING).
 */

/** `./file` or `path/to/file` run from inside the project: its `#!` line decides how it is judged. */
export function runProjectFile(inv: Invocation, path: string): Promise<Finding[]> {
  return runDirectFile(inv, path);
}

/** Handlers that look inside scripts (npm, yarn, pnpm, make…), by command name; they override the catalog. */
export const SCRIPT_HANDLERS: Readonly<Record<string, Handler>> = {
  npm,
  yarn,
  pnpm,
  bun,
  npx: packageRunner('npx'),
  bunx: packageRunner('bunx'),
  pnpx: packageRunner('pnpx'),
  make,
  gmake: make,
  ...SCRIPT_RUNNER_HANDLERS,
};
