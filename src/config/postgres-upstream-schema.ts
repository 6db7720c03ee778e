import { z } from 'zod';

/** A `kind: postgres` upstream in airlock.yaml (PostgreSQL upstreams, issue 6). */
export const postgresUpstream = z.strictObject({
  kind: z.literal('postgres'),
  url: z.string().url().optional(),
  credentialEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the name of an environment variable (A-Z, 0-9, _), not the secret itself').optional(),
});
