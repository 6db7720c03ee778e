import { z } from 'zod';
import { envVarName } from './env-var-name.js';
import { checkOneSecretSource, secretFile } from './secret-schema.js';

/** The platforms Airlock ships a catalog for; `generic` judges by a user catalog (or none). */
export const HTTP_PLATFORMS = [
  'aws',
  'stripe',
  'github',
  'vercel',
  'fly',
  'supabase',
  'neon',
  'render',
  'generic',
] as const;

/** One header the real credential travels in: `bearer` → `Bearer X`, `token` → `token X`, `raw` → `X`. */
const credentialHeader = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'),
  scheme: z.enum(['bearer', 'token', 'raw']).default('raw'),
});

/** AWS: Airlock re-signs every allowed request with SigV4 under these keys (each from a variable or a file). */
const awsSigning = z
  .strictObject({
    accessKeyIdEnv: envVarName.optional(),
    accessKeyIdFile: secretFile.optional(),
    secretAccessKeyEnv: envVarName.optional(),
    secretAccessKeyFile: secretFile.optional(),
    sessionTokenEnv: envVarName.optional(),
    sessionTokenFile: secretFile.optional(),
    region: z.string().regex(/^[a-z0-9-]+$/),
    /** The SigV4 signing name: `rds`, `s3`, `dynamodb`, `ec2`, … */
    service: z.string().regex(/^[a-z0-9-]+$/),
  })
  .superRefine((aws, context) => {
    checkOneSecretSource(aws, 'accessKeyId', context, true);
    checkOneSecretSource(aws, 'secretAccessKey', context, true);
    checkOneSecretSource(aws, 'sessionToken', context);
  });

/** A `kind: http` upstream in airlock.yaml (REST upstreams, issue 9). */
export const httpUpstream = z
  .strictObject({
    kind: z.literal('http'),
    /** The API's base URL, e.g. `https://api.github.com` or `https://rds.us-east-1.amazonaws.com`. */
    url: z.string().url().optional(),
    platform: z.enum(HTTP_PLATFORMS).default('generic'),
    credentialEnv: envVarName.optional(),
    /** The service's way: a file only the server's user may read (systemd `LoadCredential=`). */
    credentialFile: secretFile.optional(),
    /** Default: `Authorization: Bearer …`. Supabase project keys also go in `apikey` (scheme raw). */
    credentialHeaders: z
      .array(credentialHeader)
      .min(1)
      .default([{ name: 'authorization', scheme: 'bearer' }]),
    aws: awsSigning.optional(),
    /** A catalog file of your own (JSON), judged before the shipped one; required for `generic` to know writes. */
    catalog: z.string().min(1).optional(),
    /**
     * The environment everything behind this upstream lives in (`staging`), as the operator
     * declares it; without it targets count as production.
     */
    environment: z.string().min(1).optional(),
  })
  .superRefine((upstream, context) => {
    checkOneSecretSource(upstream, 'credential', context);
    if (upstream.platform === 'aws' && upstream.aws === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['aws'],
        message: 'an aws upstream needs `aws` (key variables, region, service)',
      });
    }
    if (upstream.platform !== 'aws' && upstream.aws !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['aws'],
        message: 'only an aws upstream takes `aws`',
      });
    }
  });
