import { z } from 'zod';

/**
 * The name of an environment variable that holds a secret.
 * SECURITY: a secret is named by its variable, never written into airlock.yaml; a value that is
 * not a variable name (a pasted token, say) is refused without being echoed.
 */
export const envVarName = z
  .string()
  .regex(
    /^[A-Z_][A-Z0-9_]*$/,
    'must be the name of an environment variable (A-Z, 0-9, _), not the secret itself',
  );
