import { z } from 'zod';
import { envVarName } from './env-var-name.js';
import { checkOneSecretSource, secretFile } from './secret-schema.js';

/** What one argument of a tool carries (see `ArgumentRole` in src/classify/mcp). */
const argumentRole = z.union([
  z.enum([
    'command',
    'sql',
    'graphql',
    'read-path',
    'write-path',
    'edit-path',
    'create-path',
    'move-source',
  ]),
  z.strictObject({ target: z.string().min(1) }),
]);

/** A user's classification of one tool; it wins over the shipped catalog. */
const toolClassification = z.strictObject({
  effect: z.enum(['read', 'write', 'destructive']),
  reversible: z.boolean().default(false),
  args: z.record(z.string().min(1), argumentRole).optional(),
  decidedBy: z.string().min(1).optional(),
});

// SECURITY: a password written into a command line would be shown by `config show` and visible
// in `ps`; it must come from the environment (`${NAME}` is replaced when the server starts).
const commandArgument = z
  .string()
  .refine(
    (arg) => !/:\/\/[^/@\s]*:[^/@\s]+@/.test(arg),
    'carries a password; write `${NAME}` and set it in the environment instead',
  );

/**
 * A `kind: mcp` upstream in airlock.yaml: an MCP server Airlock connects to and serves under
 * `NAME__tool`. Either `command` (+ `args`, `env`: names of variables handed to the child,
 * `envFiles`: variables handed to it from credential files; nothing else of Airlock's
 * environment is) or `url` (Streamable HTTP, with `credentialEnv` or
 * `credentialFile` sent as a bearer token). `catalog` names the shipped catalog its tools are judged by (default: the
 * one named like the upstream, if any); `tools` classifies tools the catalog lacks or overrides
 * it; `roots` are the folders path arguments may write in.
 */
export const mcpUpstream = z
  .strictObject({
    kind: z.literal('mcp'),
    url: z.string().url().optional(),
    credentialEnv: envVarName.optional(),
    credentialFile: secretFile.optional(),
    command: z.string().min(1).optional(),
    args: z.array(commandArgument).default([]),
    env: z.array(envVarName).default([]),
    // Variables handed to the child whose values come from credential files (the service's way).
    envFiles: z.record(envVarName, secretFile).default({}),
    catalog: z
      .enum(['filesystem', 'memory', 'everything', 'postgres', 'railway', 'shell', 'none'])
      .optional(),
    roots: z.array(z.string().regex(/^\//, 'must be an absolute path')).min(1).optional(),
    cwd: z.string().regex(/^\//, 'must be an absolute path').optional(),
    tools: z
      .record(
        z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be an MCP tool name (A-Z a-z 0-9 _ - .)'),
        toolClassification,
      )
      .default({}),
  })
  .superRefine((upstream, context) => {
    if ((upstream.url === undefined) === (upstream.command === undefined)) {
      context.addIssue({
        code: 'custom',
        message: 'give exactly one of `command` (stdio) or `url` (Streamable HTTP)',
      });
    }
    checkOneSecretSource(upstream, 'credential', context);
    for (const named of upstream.env.filter((variable) =>
      Object.hasOwn(upstream.envFiles, variable),
    )) {
      context.addIssue({
        code: 'custom',
        path: ['envFiles', named],
        message: `\`${named}\` is in \`env\` too: give it one source`,
      });
    }
    if (Object.keys(upstream.envFiles).length > 0 && upstream.command === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['envFiles'],
        message: 'only a `command` upstream is handed variables',
      });
    }
    if (upstream.credentialEnv !== undefined && upstream.url === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['credentialEnv'],
        message: 'only a `url` upstream sends a credential',
      });
    }
    if (upstream.credentialFile !== undefined && upstream.url === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['credentialFile'],
        message: 'only a `url` upstream sends a credential',
      });
    }
  });

/** A validated `kind: mcp` upstream. */
export type McpUpstreamConfig = z.output<typeof mcpUpstream>;
