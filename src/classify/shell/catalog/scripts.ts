import type { Finding, Handler, Invocation } from '../types.js';
import { found } from '../types.js';

/**
 * Looking inside what will run (issue 15 part 2): package scripts, shell script files, Makefiles.
 * Placeholder until that work lands: behaves as before.
 */

/** `./file` or `path/to/file` run from inside the project. */
export function runProjectFile(_inv: Invocation, path: string): Finding[] | Promise<Finding[]> {
  return found.write('project executable', [{ type: 'path', id: path }]);
}

/** Handlers that look inside scripts (npm, yarn, pnpm, make…), by command name; they override the catalog. */
export const SCRIPT_HANDLERS: Readonly<Record<string, Handler>> = {};
