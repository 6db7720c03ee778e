import { z } from 'zod';
import { envVarName } from './env-var-name.js';
import { checkOneSecretSource, secretFile } from './secret-schema.js';

const postgresUrl = z
  .string()
  .url()
  .refine(
    (text) => /^postgres(ql)?:\/\//.test(text),
    'must be a postgres:// URL like postgres://user@host:5432/db',
  )
  // SECURITY: a password in the URL would be a secret in the file; it comes from credentialEnv.
  .refine(
    (text) => !/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(text),
    'must not contain a password: name its environment variable in credentialEnv or its file in credentialFile',
  );

/** A per-table blast-radius limit: either bound replaces the upstream's own for that table. */
const tableBlastRadius = z.strictObject({
  rows: z.number().int().min(0).optional(),
  share: z.number().gt(0).max(1).optional(),
});

/**
 * How many rows a data-changing statement may change before it is held: a data-changing
 * statement that changes more rows than `rows`, or at least `shareFloor` rows that are more
 * than `share` of its table, is rolled back and held. `tables` sets other bounds for named tables.
 */
const blastRadius = z.strictObject({
  rows: z.number().int().min(0).default(1000),
  share: z.number().gt(0).max(1).default(0.5),
  shareFloor: z.number().int().min(1).default(10),
  tables: z.record(z.string().min(1), tableBlastRadius).optional(),
});

/**
 * A `kind: postgres` upstream in airlock.yaml: the real server (`url` without a password, the
 * password in `$credentialEnv` or the file `credentialFile`), where agents connect (`listen`), and the vault that receives
 * a snapshot before any destructive statement runs (`vault.dir`, on another filesystem than
 * `dataDir`, the server's data directory when Airlock can see it). `environment` is where the
 * database lives (`staging`), as the operator declares it; without it every target counts as
 * production. `blastRadius` bounds the rows a statement may change unapproved: a data-changing
 * statement that changes more rows than `rows`, or at least `shareFloor` rows that are more than
 * `share` of its table, is rolled back and held.
 */
export const postgresUpstream = z
  .strictObject({
    kind: z.literal('postgres'),
    url: postgresUrl.optional(),
    credentialEnv: envVarName.optional(),
    credentialFile: secretFile.optional(),
    listen: z
      .strictObject({ port: z.number().int().min(0).max(65_535).default(6432) })
      .prefault({}),
    vault: z.strictObject({ dir: z.string().min(1) }).optional(),
    dataDir: z.string().min(1).optional(),
    environment: z.string().min(1).optional(),
    blastRadius: blastRadius.prefault({}),
  })
  .superRefine((upstream, context) => checkOneSecretSource(upstream, 'credential', context));

/** A validated `kind: postgres` upstream. */
export type PostgresUpstreamConfig = z.output<typeof postgresUpstream>;
