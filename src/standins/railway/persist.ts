import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RailwayStateV1 } from './state.js';
import { parseRailwayState } from './state.js';

/** Reads a saved state file, or returns undefined when there is none yet. */
export function loadRailwayState(path: string): RailwayStateV1 | undefined {
  if (!existsSync(path)) return undefined;
  return parseRailwayState(JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * Writes the state atomically: a temporary file beside the target, then a rename, so a crash
 * mid-write leaves the previous state whole rather than a truncated file.
 */
export function saveRailwayState(path: string, state: RailwayStateV1): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
