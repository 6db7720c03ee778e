import type { Action, Effect, Target } from '../../core/index.js';
import { worseEffect } from '../../core/index.js';
import { RAILWAY_CATALOG } from '../catalogs/railway-catalog.js';
import type { GraphqlCatalog } from '../graphql/index.js';
import { classifyGraphqlRequest } from '../graphql/index.js';
import { classifyShellCommand } from '../shell/index.js';
import { classifySqlText } from '../sql/index.js';
import type { ArgumentRole, McpServerProfile, PathFact } from './mcp-catalog.js';
import { inspectPath } from './path-check.js';

/** What the arguments of one call were found to carry. */
export interface ArgumentFindings {
  /** The most an argument raises the call to (path rules); `read` when nothing does. */
  readonly effect: Effect;
  readonly targets: Target[];
  /** Actions of the shell, SQL and GraphQL classifiers for arguments that carry code. */
  readonly nested: Action[];
}

/** What inspecting arguments needs beyond the call itself. */
export interface InspectContext {
  readonly server: string;
  readonly profile: McpServerProfile;
  /** What the proxy found at path arguments (absolute path → fact); never from the agent. */
  readonly facts: ReadonlyMap<string, PathFact>;
}

// Argument names that carry a shell command on any tool, declared or not: `command`, `cmd`,
// `script`, `start_command`, `pre-deploy-commands`, `startCommand`; whole words only, so that
// `transcript` or `recommend` stay data.
const CAMEL_COMMAND_KEY = /[a-z0-9](?:Command|Cmd|Script)s?$/;
const WORD_COMMAND_KEY = /^(?:command|cmd|script)s?$|[_-](?:command|cmd|script)s?$/i;

/** Which role an argument plays: declared by the catalog, else guessed from its name. */
export function roleOf(
  name: string,
  declared: Readonly<Record<string, ArgumentRole>> | undefined,
): ArgumentRole | undefined {
  if (declared !== undefined && Object.hasOwn(declared, name)) return declared[name];
  if (WORD_COMMAND_KEY.test(name) || CAMEL_COMMAND_KEY.test(name)) return 'command';
  if (name.toLowerCase() === 'sql') return 'sql';
  return undefined;
}

/** Looks inside every argument with a role; arguments without one are data. */
export async function inspectArguments(
  args: Readonly<Record<string, unknown>>,
  declared: Readonly<Record<string, ArgumentRole>> | undefined,
  context: InspectContext,
): Promise<ArgumentFindings> {
  let effect: Effect = 'read';
  const targets: Target[] = [];
  const nested: Action[] = [];
  for (const name of Object.keys(args)) {
    const role = roleOf(name, declared);
    const value = args[name];
    if (role === undefined || value === undefined || value === null) continue;
    if (typeof role === 'object') {
      if (typeof value === 'string' || typeof value === 'number')
        targets.push({ type: role.target, id: String(value), attrs: { arg: name } });
      continue;
    }
    const texts = textsOf(value);
    if (texts === undefined) {
      effect = 'unknown';
      targets.push({
        type: 'mcp-argument',
        id: name,
        attrs: { reason: `\`${name}\` should be text` },
      });
      continue;
    }
    for (const text of texts) {
      if (role === 'command' || role === 'sql' || role === 'graphql') {
        nested.push(...(await classifyCode(role, text, args, context)));
      } else {
        const found = judgePath(role, name, text, context);
        effect = worseEffect(effect, found.effect);
        targets.push(found.target);
      }
    }
  }
  return { effect, targets, nested };
}

function textsOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return value as string[];
  return undefined;
}

const EMPTY_GRAPHQL_CATALOG = (upstream: string): GraphqlCatalog => ({
  upstream,
  query: {},
  mutation: {},
  subscription: {},
});

async function classifyCode(
  role: 'command' | 'sql' | 'graphql',
  text: string,
  args: Readonly<Record<string, unknown>>,
  context: InspectContext,
): Promise<Action[]> {
  const { server, profile } = context;
  if (role === 'command') return classifyShellCommand(text, cwdOf(profile), server);
  if (role === 'sql') return classifySqlText(text, server);
  // Only Railway's GraphQL API is catalogued; any other schema's fields are all unknown.
  const catalog =
    profile.catalog?.name === 'railway'
      ? { ...RAILWAY_CATALOG, upstream: server }
      : EMPTY_GRAPHQL_CATALOG(server);
  const variables = args['variables'];
  const body =
    variables !== null && typeof variables === 'object'
      ? { query: text, variables }
      : { query: text };
  return classifyGraphqlRequest({ method: 'POST', contentType: 'application/json', body }, catalog);
}

function cwdOf(profile: McpServerProfile): string {
  return profile.cwd ?? profile.roots?.[0] ?? '/';
}

type PathRole = Exclude<ArgumentRole, 'command' | 'sql' | 'graphql' | { readonly target: string }>;

/** The effect a path argument gives the call, and the file it targets. */
function judgePath(
  role: PathRole,
  name: string,
  raw: string,
  context: InspectContext,
): { effect: Effect; target: Target } {
  const { profile, facts } = context;
  const inspected = inspectPath(raw, profile.roots, profile.cwd ?? profile.roots?.[0]);
  const fact = facts.get(inspected.path);
  const attrs = { arg: name, role, ...(fact === undefined ? {} : { found: fact }) };
  const target = (reason?: string): Target => ({
    type: 'file',
    id: inspected.path,
    attrs: reason === undefined ? attrs : { ...attrs, reason },
  });
  if (inspected.problem !== undefined)
    return { effect: 'unknown', target: target(inspected.problem) };
  if (inspected.insideRoots === false) {
    // Reading outside the allowed folders is not damage, but it is not what they allow either.
    const effect: Effect = role === 'read-path' ? 'unknown' : 'destructive';
    return { effect, target: target('outside the allowed folders') };
  }
  if (role === 'write-path' && fact !== 'absent') {
    return {
      effect: 'destructive',
      target: target(
        fact === undefined ? 'may replace an existing file' : 'replaces an existing file',
      ),
    };
  }
  return { effect: role === 'read-path' ? 'read' : 'write', target: target() };
}
