import { z } from 'zod';
import { envVarName } from './env-var-name.js';
import { parseDurationMs } from './duration.js';
import { graphqlUpstream } from './graphql-upstream-schema.js';
import { httpUpstream } from './http-upstream-schema.js';
import { mcpUpstream } from './mcp-upstream-schema.js';
import { postgresUpstream } from './postgres-upstream-schema.js';
import { checkOneSecretSource, secretFile } from './secret-schema.js';

const duration = z.string().transform((text, context) => {
  const ms = parseDurationMs(text);
  if (ms === undefined) {
    context.addIssue({
      code: 'custom',
      message: `\`${text}\` is not a duration like 90s, 10m, 8h or 30d`,
    });
    return z.NEVER;
  }
  return ms;
});

// Each surface's upstream shape lives beside its own schema file; `kind` tells them apart.
const upstream = z.discriminatedUnion('kind', [
  graphqlUpstream,
  httpUpstream,
  postgresUpstream,
  mcpUpstream,
]);

/** The schema of airlock.yaml; it holds every default. Unknown keys are refused, not ignored. */
export const configSchema = z.strictObject({
  version: z.literal(1).default(1),
  store: z
    .strictObject({
      kind: z.enum(['sqlite', 'memory']).default('sqlite'),
      file: z.string().default('airlock.db'),
    })
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
      // Pending approvals one token's grant may have at once; one more hold is denied and the
      // grant frozen, so an agent cannot flood approvers (and their webhooks) with holds.
      maxPendingPerGrant: z.number().int().min(1).max(1000).default(10),
      // Delayed actions: once approved, Airlock itself runs the held request after `delay`
      // unless an approver cancels (`airlock approvals cancel ID`). GraphQL upstreams only.
      undo: z
        .array(
          z.strictObject({
            delay: duration,
            upstreams: z.array(z.string().min(1)).min(1).default(['*']),
            operations: z.array(z.string().min(1)).min(1).default(['*']),
            effects: z
              .array(z.enum(['read', 'write', 'execute', 'destructive', 'unknown']))
              .min(1)
              .default(['destructive']),
          }),
        )
        .default([]),
      // How often `airlock serve` expires lapsed approvals and runs due delayed actions.
      sweepInterval: duration.prefault('1s'),
    })
    .prefault({}),
  tokens: z
    .strictObject({ defaultTtl: duration.prefault('8h'), maxTtl: duration.prefault('30d') })
    .prefault({}),
  freeze: z
    .strictObject({
      maxDenials: z.number().int().min(1).default(5),
      window: duration.prefault('10m'),
    })
    .prefault({}),
  // Signed webhooks on every new pending approval and every decision (docs/webhooks.md).
  webhooks: z
    .strictObject({
      // Where humans reach Airlock, for approval links (`/inbox/approvals/ID`); default the gateway URL.
      publicUrl: z.string().url().optional(),
      endpoints: z
        .record(
          z
            .string()
            .regex(
              /^[a-z0-9][a-z0-9-]*$/,
              'endpoint names are lowercase letters, digits and dashes',
            ),
          z
            .strictObject({
              url: z.string().url().optional(),
              // A Slack incoming-webhook URL is itself a secret: name its variable or file instead.
              urlEnv: envVarName.optional(),
              urlFile: secretFile.optional(),
              format: z.enum(['json', 'slack']).default('json'),
              // SECURITY: the HMAC signing secret, named by its environment variable or file.
              secretEnv: envVarName.optional(),
              secretFile: secretFile.optional(),
              events: z.array(z.string().min(1)).min(1).optional(),
            })
            .superRefine((e, context) => {
              const urls = [e.url, e.urlEnv, e.urlFile].filter(
                (value) => value !== undefined,
              ).length;
              if (urls !== 1)
                context.addIssue({
                  code: 'custom',
                  message: 'give exactly one of url and urlEnv or urlFile',
                });
              checkOneSecretSource(e, 'secret', context);
              if (e.format === 'json' && e.secretEnv === undefined && e.secretFile === undefined) {
                context.addIssue({
                  code: 'custom',
                  message: 'a json endpoint needs secretEnv or secretFile to sign with',
                });
              }
            }),
        )
        .default({}),
      maxAttempts: z.number().int().min(1).max(50).default(10),
      initialBackoff: duration.prefault('2s'),
      maxBackoff: duration.prefault('10m'),
      timeout: duration.prefault('5s'),
    })
    .prefault({}),
  // Signed checkpoints of the audit chain's head (docs/audit.md): `airlock serve` writes one to
  // HOME/audit-checkpoints.jsonl and every witness after `everyRecords` records or `every`.
  audit: z
    .strictObject({
      checkpoint: z
        .strictObject({
          everyRecords: z.number().int().min(1).default(100),
          every: duration.prefault('10s'),
          // Copies outside the host, which someone who can write the home cannot reach.
          witnesses: z
            .array(
              z.discriminatedUnion('kind', [
                z.strictObject({ kind: z.literal('file'), path: z.string().min(1) }),
                z.strictObject({
                  kind: z.literal('syslog'),
                  socket: z.string().min(1).optional(),
                  tag: z.string().min(1).default('airlock-audit'),
                }),
                z.strictObject({ kind: z.literal('http'), url: z.string().url() }),
              ]),
            )
            .default([]),
        })
        .prefault({}),
    })
    .prefault({}),
  // The gateway's own listener: HTTPS when a certificate and key are given (docs/inbox.md).
  server: z
    .strictObject({
      tls: z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
    })
    .prefault({}),
  // The web inbox: where approvers' browsers reach it (passkeys are bound to that origin), and
  // optionally a listener of its own, so it has an origin apart from the port agents use.
  inbox: z
    .strictObject({
      publicUrl: z.string().url().optional(),
      listen: z
        .strictObject({
          host: z.string().min(1).default('127.0.0.1'),
          port: z.number().int().min(0).max(65_535),
        })
        .optional(),
    })
    .prefault({}),
  upstreams: z
    .record(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'upstream names are lowercase letters, digits and dashes'),
      upstream,
    )
    .default({}),
});

/** Validated configuration, defaults filled in, durations in milliseconds. */
export type Config = z.output<typeof configSchema>;
