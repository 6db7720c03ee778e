import type { FileReader } from '../classify/index.js';

/**
 * The shell classifier's file reader on this machine (package.json, scripts, Makefiles).
 * Placeholder until issue 15 part 2 lands: reads nothing.
 */
export function nodeFileReader(): FileReader | undefined {
  return undefined;
}
