import type { PathFact } from '../../classify/index.js';
import type { UpstreamServer } from './upstream-client.js';

// The filesystem server's own metadata tool, read-only; asked with Airlock's session, like the
// GraphQL resolver asks Railway for a target's environment.
const PROBE_TOOL = 'get_file_info';

/**
 * Finds out, from the upstream itself, whether each path a call would write already exists:
 * creating a file is a write, replacing one is destructive. A path the upstream cannot tell
 * about stays unknown (and so counts as existing).
 */
export async function resolvePathFacts(
  upstream: UpstreamServer,
  paths: readonly { raw: string; key: string }[],
): Promise<Map<string, PathFact>> {
  const facts = new Map<string, PathFact>();
  if (paths.length === 0 || !upstream.tools.some((tool) => tool.name === PROBE_TOOL)) return facts;
  for (const { raw, key } of paths) {
    const fact = factOf(await upstream.callTool(PROBE_TOOL, { path: raw }));
    if (fact !== undefined) facts.set(key, fact);
  }
  return facts;
}

function factOf(result: Record<string, unknown>): PathFact | undefined {
  const text = textOf(result);
  if (result['isError'] === true) return /\bENOENT\b/.test(text) ? 'absent' : undefined;
  if (/^isDirectory: true$/m.test(text)) return 'directory';
  if (/^isFile: true$/m.test(text)) return 'file';
  return undefined;
}

function textOf(result: Record<string, unknown>): string {
  const content = Array.isArray(result['content']) ? (result['content'] as unknown[]) : [];
  return content
    .map((item) =>
      item !== null && typeof item === 'object' && 'text' in item && typeof item.text === 'string'
        ? item.text
        : '',
    )
    .join('\n');
}
