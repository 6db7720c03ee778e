import type { Decision, Principal } from '../../core/index.js';
import type { ClassifiedText } from './statement-judge.js';

/** A prepared statement Airlock judged and allowed. */
export interface AllowedStatement {
  readonly state: 'allowed';
  readonly classified: ClassifiedText;
  /** The Parse was allowed by a human approval, which covers exactly one execution. */
  readonly approvedOnce: boolean;
  /** The decision that let the Parse through, and whom it was for. */
  readonly decision: Decision;
  readonly principal: Principal | undefined;
  executions: number;
  /** When the firewall last allowed it (ms); read/write statements are judged again after a while. */
  judgedAt: number;
}

/** What Airlock knows of one prepared statement of a session. */
export type PreparedStatement = AllowedStatement | { readonly state: 'refused' | 'tainted' };

/** A portal bound to an allowed statement, with its Bind as sent (to bind it again after a rollback). */
export interface BoundPortal {
  readonly statement: AllowedStatement;
  readonly bind: Buffer;
}

/**
 * SQL that can create a prepared statement behind the proxy's back (`PREPARE name AS …` shares
 * the namespace of protocol-level statements), or remove one.
 */
export const PREPARE_PATTERN = /\b(prepare|deallocate|discard)\b/i;

/**
 * Names of statements, portals and savepoints Airlock uses inside a session for itself; an agent's
 * Parse or Bind using one is refused, so it cannot replace or close them.
 */
export const RESERVED_NAME_PREFIX = 'airlock_';
