import type { Handler } from '../types.js';

/**
 * bash builtins (issue 15 part 1): those that run code from their arguments are judged by the
 * code they run. Placeholder until that work lands.
 */
export const BUILTIN_HANDLERS: Readonly<Record<string, Handler>> = {};
