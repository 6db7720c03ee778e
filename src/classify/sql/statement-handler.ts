import type { Findings } from './findings.js';
import type { PgObject } from './parse-node.js';
import type { WalkContext } from './tree-walk.js';

/**
 * Judges one kind of statement: records its effect and targets into `findings` (walking the
 * parts that can run functions or nested statements) and returns the operation's name.
 */
export type StatementHandler = (
  body: PgObject,
  findings: Findings,
  context: WalkContext,
  depth: number,
) => string;
