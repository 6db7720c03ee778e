import type { ClassifiedRequest, JsonValue } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import type { McpServerProfile } from './mcp-catalog.js';
import { inspectPath } from './path-check.js';

/**
 * Classifies reading one resource of a server: a read of that URI. A `file:` URI is a path
 * like any other: climbing out or leaving the roots makes it `unknown`.
 */
export function classifyMcpResourceRead(
  server: string,
  uri: string,
  profile: McpServerProfile,
): ClassifiedRequest {
  const digest = digestRequest({ surface: 'mcp', server, method: 'resources/read', uri });
  let reason: string | undefined;
  if (/^file:/i.test(uri)) {
    let path: string;
    try {
      path = decodeURIComponent(new URL(uri).pathname);
    } catch {
      path = uri;
    }
    const inspected = inspectPath(path, profile.roots, undefined);
    reason =
      inspected.problem ??
      (inspected.insideRoots === false ? 'outside the allowed folders' : undefined);
  }
  const attrs = reason === undefined ? {} : { reason };
  const effect = reason === undefined ? 'read' : 'unknown';
  return {
    digest,
    actions: [
      {
        upstream: server,
        surface: 'mcp',
        operation: 'resources/read',
        effect,
        reversible: true,
        targets: [{ type: 'resource', id: uri, attrs }],
        digest,
      },
    ],
  };
}

/** Classifies getting one prompt: a read (a prompt only renders messages). */
export function classifyMcpPromptGet(
  server: string,
  name: string,
  args: Readonly<Record<string, string>>,
): ClassifiedRequest {
  const digest = digestRequest({
    surface: 'mcp',
    server,
    method: 'prompts/get',
    name,
    arguments: args as JsonValue,
  });
  return {
    digest,
    actions: [
      {
        upstream: server,
        surface: 'mcp',
        operation: 'prompts/get',
        effect: 'read',
        reversible: true,
        targets: [{ type: 'prompt', id: name, attrs: {} }],
        digest,
      },
    ],
  };
}

/**
 * Classifies listing the tools, resources or prompts of `servers` in one request: a read of each
 * server itself.
 */
export function classifyMcpListing(servers: readonly string[], method: string): ClassifiedRequest {
  const digest = digestRequest({ surface: 'mcp', method, servers: [...servers] });
  return {
    digest,
    actions: servers.map((server) => ({
      upstream: server,
      surface: 'mcp',
      operation: method,
      effect: 'read',
      reversible: true,
      targets: [],
      digest,
    })),
  };
}
