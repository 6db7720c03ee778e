import type { Action, ClassifiedRequest, Effect, JsonValue, Target } from '../../core/index.js';
import { digestRequest, sha256Hex, worseEffect } from '../../core/index.js';
import { inspectArguments } from './inspect-arguments.js';
import { inspectPath } from './path-check.js';
import type { McpServerProfile, McpToolEntry, PathFact } from './mcp-catalog.js';
import { builtinProfileFor } from './server-profiles.js';
import { stripServerPrefix, toCatalogKey, toolNameProblem } from './tool-name.js';

/** One `tools/call` as Airlock judges it (the corpus input shape). */
export interface McpToolCall {
  readonly server: string;
  readonly tool: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The annotations the server advertised for the tool: hints, never proof. */
  readonly annotations: McpToolAnnotations;
}

/** The tool annotations of the MCP spec that matter to Airlock. */
export interface McpToolAnnotations {
  readonly readOnlyHint?: unknown;
  readonly destructiveHint?: unknown;
}

/** What judging a call may know beyond the call: the server's profile, and resolved facts. */
export interface McpClassifyOptions {
  /** Default: the built-in catalog named like the server, if any. */
  readonly profile?: McpServerProfile;
  /** Facts the proxy found at path arguments, by absolute path; never from the agent. */
  readonly facts?: ReadonlyMap<string, PathFact>;
}

/**
 * Classifies one MCP `tools/call` (`{server, tool, arguments, annotations}`) into actions: one
 * for the tool, judged by Airlock's catalog (annotations can make a read tool more dangerous,
 * never anything safer), plus the actions of any shell, SQL or GraphQL its arguments carry.
 * A tool no catalog knows is `unknown` (or `destructive` when the server says so). Never throws.
 *
 * @example
 * await classifyMcpToolCall({ server: 'railway', tool: 'remove_volume', arguments: { volume_id: 'v1' }, annotations: { readOnlyHint: true } });
 * // [{ operation: 'remove_volume', effect: 'destructive', targets: [{ type: 'volume', id: 'v1', … }], … }]
 */
export async function classifyMcpToolCall(
  input: unknown,
  options: McpClassifyOptions = {},
): Promise<Action[]> {
  return [...(await classifyMcpCall(input, options)).actions];
}

/**
 * The call as `classifyMcpToolCall` classifies it, with its digest: server, tool and arguments
 * canonically (`digestToolCall`), or the raw input when it is not a call.
 */
export async function classifyMcpCall(
  input: unknown,
  options: McpClassifyOptions = {},
): Promise<ClassifiedRequest> {
  const call = parseToolCall(input);
  if (typeof call === 'string')
    return problemRequest(serverOf(input), 'tools/call', call, rawDigest(input));
  const digest = digestToolCall(call);
  try {
    return {
      digest,
      actions: await classifyCall(
        call,
        options.profile ?? builtinProfileFor(call.server),
        options.facts ?? new Map(),
        digest,
      ),
    };
  } catch {
    // SECURITY: a classifier bug on hostile input must still produce a judgeable, blocked action.
    return problemRequest(call.server, call.tool, 'the call could not be classified', digest);
  }
}

/** The digest an approval of this call binds to: server, tool and arguments, canonically. */
export function digestToolCall(call: Pick<McpToolCall, 'server' | 'tool' | 'arguments'>): string {
  return digestRequest({
    surface: 'mcp',
    server: call.server,
    tool: call.tool,
    arguments: call.arguments as JsonValue,
  });
}

async function classifyCall(
  call: McpToolCall,
  profile: McpServerProfile,
  facts: ReadonlyMap<string, PathFact>,
  digest: string,
): Promise<Action[]> {
  const tool = stripServerPrefix(call.server, call.tool);
  if (tool === undefined)
    return [problemAction(call.server, call.tool, `\`${call.tool}\` names another server`, digest)];
  const known = [...Object.keys(profile.tools ?? {}), ...Object.keys(profile.catalog?.tools ?? {})];
  const nameProblem = toolNameProblem(tool, known);
  if (nameProblem !== undefined) return [problemAction(call.server, tool, nameProblem, digest)];
  const entry = entryFor(profile, tool);
  const findings = await inspectArguments(call.arguments, entry?.args, {
    server: call.server,
    profile,
    facts,
  });
  const nested = findings.nested.map((action) => ({ ...action, upstream: call.server, digest }));
  let effect: Effect;
  const targets: Target[] = [...findings.targets];
  if (entry === undefined) {
    // SECURITY: a tool Airlock has no entry for is unknown whatever it claims; a server that
    // calls its own tool destructive is believed, since that only adds care.
    effect = call.annotations.destructiveHint === true ? 'destructive' : 'unknown';
    targets.push({
      type: 'mcp-tool',
      id: tool,
      attrs: {
        reason: `\`${tool}\` is not in the catalog of \`${call.server}\`; its annotations are not trusted`,
      },
    });
  } else {
    effect = worseEffect(escalatedByAnnotations(entry, call.annotations), findings.effect);
    if (entry.decidedBy !== undefined && typeof call.arguments[entry.decidedBy] !== 'string') {
      effect = 'unknown';
      targets.push({
        type: 'mcp-argument',
        id: entry.decidedBy,
        attrs: { reason: `\`${entry.decidedBy}\` is missing or not text` },
      });
    }
  }
  for (const action of nested) effect = worseEffect(effect, action.effect);
  const reversible =
    effect === 'read' ||
    (entry?.reversible === true && effect === 'write' && nested.every((a) => a.reversible));
  const toolAction: Action = {
    upstream: call.server,
    surface: 'mcp',
    operation: tool,
    effect,
    reversible,
    targets,
    digest,
  };
  return [toolAction, ...nested];
}

/**
 * The path arguments of a call whose existence changes its judgment (`write-path`: creating is
 * a write, replacing is destructive), as given and as the key `facts` are looked up by.
 */
export function pathsToResolve(
  call: Pick<McpToolCall, 'tool' | 'arguments'>,
  profile: McpServerProfile,
): { raw: string; key: string }[] {
  const entry = entryFor(profile, call.tool);
  const found: { raw: string; key: string }[] = [];
  for (const [name, role] of Object.entries(entry?.args ?? {})) {
    const value = Object.hasOwn(call.arguments, name) ? call.arguments[name] : undefined;
    if (role !== 'write-path' || typeof value !== 'string') continue;
    const inspected = inspectPath(value, profile.roots, profile.cwd ?? profile.roots?.[0]);
    if (inspected.problem === undefined) found.push({ raw: value, key: inspected.path });
  }
  return found;
}

/** Config's entry wins over the catalog's; both looked up by canonical name, own keys only. */
function entryFor(profile: McpServerProfile, tool: string): McpToolEntry | undefined {
  const key = toCatalogKey(tool);
  for (const table of [profile.tools, profile.catalog?.tools]) {
    if (table === undefined) continue;
    if (Object.hasOwn(table, tool)) return table[tool];
    if (Object.hasOwn(table, key)) return table[key];
  }
  return undefined;
}

/**
 * Annotations may raise a tool the catalog calls read (the catalog may be older than the
 * server), never lower anything. Tools whose arguments decide (a command, SQL) and write tools
 * (whose path arguments decide) are judged finer than a tool-wide hint can say.
 */
function escalatedByAnnotations(entry: McpToolEntry, annotations: McpToolAnnotations): Effect {
  if (entry.effect !== 'read' || entry.decidedBy !== undefined) return entry.effect;
  if (annotations.destructiveHint === true && annotations.readOnlyHint !== true)
    return 'destructive';
  if (annotations.readOnlyHint === false) return 'write';
  return 'read';
}

function parseToolCall(input: unknown): McpToolCall | string {
  if (!isRecord(input)) return 'a tool call must be an object';
  const { server, tool } = input;
  if (typeof server !== 'string' || server === '') return 'a tool call needs a `server`';
  if (typeof tool !== 'string' || tool === '') return 'a tool call needs a `tool`';
  const args = input['arguments'] ?? {};
  if (!isRecord(args)) return '`arguments` must be an object';
  const annotations = input['annotations'] ?? {};
  if (!isRecord(annotations)) return '`annotations` must be an object';
  return { server, tool, arguments: args, annotations };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function serverOf(input: unknown): string {
  return isRecord(input) && typeof input['server'] === 'string' && input['server'] !== ''
    ? input['server']
    : 'mcp';
}

function problemAction(
  upstream: string,
  operation: string,
  reason: string,
  digest: string,
): Action {
  return {
    upstream,
    surface: 'mcp',
    operation,
    effect: 'unknown',
    reversible: false,
    targets: [{ type: 'mcp-call', id: operation, attrs: { reason } }],
    digest,
  };
}

function problemRequest(
  upstream: string,
  operation: string,
  reason: string,
  digest: string,
): ClassifiedRequest {
  return { digest, actions: [problemAction(upstream, operation, reason, digest)] };
}

function rawDigest(input: unknown): string {
  try {
    return digestRequest({ surface: 'mcp', raw: input as JsonValue });
  } catch {
    return sha256Hex(`mcp:undigestable:${String(typeof input)}`);
  }
}
