/**
 * The paths a Codex-style patch (`apply_patch`, Cursor's `ApplyPatch`) touches. The envelope names
 * each file on a header line: `*** Add File: P`, `*** Update File: P`, `*** Delete File: P`, and a
 * rename's target on `*** Move to: P`. Every one of them is written (created, changed, removed).
 */

const HEADER = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/;

/** The paths named by a patch's headers, in order and without repeats; empty when it names none. */
export function patchPaths(patch: string): string[] {
  const paths: string[] = [];
  for (const line of patch.split(/\r?\n/)) {
    const match = HEADER.exec(line);
    const path = match?.[1]?.trim();
    if (path !== undefined && path !== '' && !paths.includes(path)) paths.push(path);
  }
  return paths;
}
