import { z } from 'zod';

/** A `kind: mcp` upstream in airlock.yaml (MCP upstream servers, issue 8). */
export const mcpUpstream = z.strictObject({
  kind: z.literal('mcp'),
  url: z.string().url().optional(),
  credentialEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the name of an environment variable (A-Z, 0-9, _), not the secret itself').optional(),
});
