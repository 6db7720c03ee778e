import { FirewallError } from '../core/index.js';

/** Audit paging options after checking: `limit` undefined means no limit. */
export interface Paging {
  readonly fromSeq: number;
  readonly limit: number | undefined;
}

/**
 * Checks the paging options of `readAudit` and `tailAudit` the same way in every store;
 * `input.invalid` unless `fromSeq` is an integer and `limit` a whole number.
 */
export function checkPaging(options: { fromSeq?: number; limit?: number }): Paging {
  const fromSeq = options.fromSeq ?? 1;
  if (!Number.isSafeInteger(fromSeq)) {
    throw new FirewallError('input.invalid', `audit position \`${fromSeq}\` is not an integer`);
  }
  const { limit } = options;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new FirewallError('input.invalid', `audit limit \`${limit}\` is not a whole number`);
  }
  return { fromSeq, limit };
}
