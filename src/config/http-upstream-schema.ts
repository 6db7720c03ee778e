import { z } from 'zod';

/** A `kind: http` upstream in airlock.yaml (REST upstreams, issue 9). */
export const httpUpstream = z.strictObject({
  kind: z.literal('http'),
  url: z.string().url().optional(),
  credentialEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the name of an environment variable (A-Z, 0-9, _), not the secret itself').optional(),
});
