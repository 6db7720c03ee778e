import Database from 'better-sqlite3';
import { FirewallError, describeError } from '../../core/index.js';

const CONFLICT_CODES: ReadonlySet<string> = new Set([
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_UNIQUE',
]);

/** Whether a thrown value is SQLite refusing a row whose referenced parent row is missing. */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Maps a failure inside a store method to a FirewallError: unique and primary-key violations
 * become `store.conflict`, anything else `store.unavailable`. A FirewallError passes through.
 */
export function toStoreError(error: unknown, context: string): FirewallError {
  if (error instanceof FirewallError) return error;
  const message = `${context}: ${describeError(error)}`;
  if (error instanceof Database.SqliteError && CONFLICT_CODES.has(error.code)) {
    return new FirewallError('store.conflict', message, { cause: error });
  }
  return new FirewallError('store.unavailable', message, { cause: error });
}

/** Maps any failure to append an audit record to `audit.write`, keeping the cause. */
export function toAuditWriteError(error: unknown): FirewallError {
  if (error instanceof FirewallError && error.code === 'audit.write') return error;
  // SECURITY: whatever went wrong, the caller must see `audit.write` so that it denies.
  const message = `while appending an audit record: ${describeError(error)}`;
  return new FirewallError('audit.write', message, { cause: error });
}
