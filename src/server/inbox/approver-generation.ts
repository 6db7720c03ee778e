import { createHash } from 'node:crypto';
import type { Approver } from '../../core/index.js';

/**
 * A digest naming one generation of an approver: the record (`createdAt`) with its credentials
 * as they stand (`credentialChangedAt`, the login hash with its fresh salt, the TOTP secret).
 * Sessions and passkeys belong to the generation they began in: removing and re-adding the
 * approver, a new login credential or a new TOTP secret ends them, even within one millisecond.
 */
export function approverGeneration(approver: Approver): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        approver.name,
        approver.createdAt,
        approver.credentialChangedAt,
        approver.credentialHash,
        approver.totpSecret,
      ]),
    )
    .digest('base64url');
}
