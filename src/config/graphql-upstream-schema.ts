import { z } from 'zod';
import { envVarName } from './env-var-name.js';
import { checkOneSecretSource, secretFile } from './secret-schema.js';

/** The GraphQL platforms Airlock ships a catalog and a resolver for. */
export const GRAPHQL_PLATFORMS = ['railway'] as const;

/**
 * A GraphQL upstream: `platform` supplies the catalog its operations are judged by and the
 * resolver that places targets. Default `railway`, what every GraphQL upstream meant before
 * platforms were named, so existing configs keep working.
 */
export const graphqlUpstream = z
  .strictObject({
    kind: z.literal('graphql'),
    platform: z.enum(GRAPHQL_PLATFORMS).default('railway'),
    url: z.string().url().optional(),
    credentialEnv: envVarName.optional(),
    // The service's way: a file only the server's user may read (systemd `LoadCredential=`).
    credentialFile: secretFile.optional(),
    // Railway: account and workspace tokens go in `Authorization: Bearer`, project tokens in
    // `Project-Access-Token`.
    credentialHeader: z.enum(['authorization', 'project-access-token']).default('authorization'),
  })
  .superRefine((upstream, context) => checkOneSecretSource(upstream, 'credential', context));
