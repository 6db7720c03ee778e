import { z } from 'zod';
import { EFFECTS } from '../core/index.js';

// `POST /tokens/derive` on the gateway: the one grant change an agent makes itself. It is
// authenticated by the parent token (Authorization: Bearer), not by the admin socket, because a
// derived grant can only be narrower than the one its caller already holds.

/** The gateway path a sub-agent's token is derived at. */
export const DERIVE_TOKEN_PATH = '/tokens/derive';

/** Largest derive request the gateway reads, in bytes. */
export const MAX_DERIVE_BODY_BYTES = 16 * 1024;

const patterns = z.array(z.string().min(1).max(200)).min(1).max(100);

/** What a holder of a token asks for its child; every field left out is the parent's. */
export const deriveTokenRequestV1 = z.strictObject({
  agent: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, `.`, `_` and `-`, at most 64'),
  owner: z.string().min(1).max(200).optional(),
  upstreams: patterns.optional(),
  environments: patterns.optional(),
  effects: z
    .array(z.enum(EFFECTS as ['read', 'write', 'execute', 'destructive', 'unknown']))
    .min(1)
    .optional(),
  resources: patterns.optional(),
  ttlMs: z.number().int().positive().optional(),
});
export type DeriveTokenRequestV1 = z.infer<typeof deriveTokenRequestV1>;
