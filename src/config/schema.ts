import { z } from 'zod';
import { parseDurationMs } from './duration.js';
import { httpUpstream } from './http-upstream-schema.js';
import { mcpUpstream } from './mcp-upstream-schema.js';
import { postgresUpstream } from './postgres-upstream-schema.js';

const duration = z.string().transform((text, context) => {
  const ms = parseDurationMs(text);
  if (ms === undefined) {
    context.addIssue({ code: 'custom', message: `\`${text}\` is not a duration like 90s, 10m, 8h or 30d` });
    return z.NEVER;
  }
  return ms;
});

// SECURITY: a secret is named by its environment variable, never written into the file.
export const envVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the name of an environment variable (A-Z, 0-9, _), not the secret itself');

const graphqlUpstream = z.strictObject({
  kind: z.literal('graphql'),
  url: z.string().url().optional(),
  credentialEnv: envVarName.optional(),
  // Railway: account and workspace tokens go in `Authorization: Bearer`, project tokens in
  // `Project-Access-Token`.
  credentialHeader: z.enum(['authorization', 'project-access-token']).default('authorization'),
});

// Each surface's upstream shape lives beside its own schema file; `kind` tells them apart.
const upstream = z.discriminatedUnion('kind', [graphqlUpstream, httpUpstream, postgresUpstream, mcpUpstream]);

/** The schema of airlock.yaml; it holds every default. Unknown keys are refused, not ignored. */
export const configSchema = z.strictObject({
  version: z.literal(1).default(1),
  store: z
    .strictObject({ kind: z.enum(['sqlite', 'memory']).default('sqlite'), file: z.string().default('airlock.db') })
    .prefault({}),
  policy: z.strictObject({ dir: z.string().default('policies') }).default({ dir: 'policies' }),
  environments: z
    .strictObject({ production: z.array(z.string().min(1)).min(1).default(['production', 'prod']) })
    .prefault({}),
  approvals: z
    .strictObject({
      obtainable: z.number().int().min(1).max(10).default(2),
      // How long a held request waits for approvers, and an approved one for its retry.
      ttl: duration.prefault('1h'),
      denyEndsIt: z.boolean().default(true),
      // Off by default: the human who directed the agent should not be its only check.
      ownerMayApprove: z.boolean().default(false),
    })
    .prefault({}),
  tokens: z
    .strictObject({ defaultTtl: duration.prefault('8h'), maxTtl: duration.prefault('30d') })
    .prefault({}),
  freeze: z
    .strictObject({ maxDenials: z.number().int().min(1).default(5), window: duration.prefault('10m') })
    .prefault({}),
  upstreams: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'upstream names are lowercase letters, digits and dashes'), upstream).default({}),
});

/** Validated configuration, defaults filled in, durations in milliseconds. */
export type Config = z.output<typeof configSchema>;
