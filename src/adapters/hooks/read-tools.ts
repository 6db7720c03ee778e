import { isAbsolute, resolve } from 'node:path';
import type { HookCall } from './protocols.js';

/**
 * The clients' file-reading tools (issue 24 part 3): a read of a file that holds a provider
 * credential is held like the shell's `cat .env`, so these calls are judged as reads of their
 * paths (the credential check then looks into them). Claude Code `Read` and `Grep` (the working
 * folder when it names none), Gemini CLI `read_file`, `read_many_files` and its search tools.
 * Undefined for any other tool; a read naming no path is left to the client (nothing to check).
 */
export function readToolCall(
  tool: string,
  input: Readonly<Record<string, unknown>>,
  cwd: string,
): HookCall | undefined {
  const named = (keys: readonly string[]): string[] =>
    keys.flatMap((key) => {
      const value = input[key];
      const values = Array.isArray(value) ? value : [value];
      return values.filter((item): item is string => typeof item === 'string' && item !== '');
    });
  let paths: string[];
  switch (tool) {
    case 'Read':
    case 'read_file':
      paths = named(['file_path', 'absolute_path', 'path']);
      break;
    case 'read_many_files':
      paths = named(['paths', 'include']);
      break;
    case 'Grep':
    case 'search_file_content':
    case 'grep_search': {
      paths = named(['path', 'dir_path']);
      if (paths.length === 0) paths = [cwd];
      break;
    }
    default:
      return undefined;
  }
  const reads = paths.flatMap((path) =>
    isAbsolute(path) ? [resolve(path)] : cwd === '' ? [] : [resolve(cwd, path)],
  );
  return reads.length === 0 ? undefined : { kind: 'file', tool, writes: [], reads, cwd };
}
