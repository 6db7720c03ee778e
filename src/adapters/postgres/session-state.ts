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

/** An ErrorResponse Airlock planted upstream, to be swapped in when the upstream's error for it arrives. */
export interface Injection {
  readonly error: Buffer;
  /** The sync unit it belongs to; once that unit's ReadyForQuery passed, it can no longer come. */
  readonly unit: number;
}

/**
 * SQL that can create a prepared statement behind the proxy's back (`PREPARE name AS …` shares
 * the namespace of protocol-level statements), or remove one.
 */
export const PREPARE_PATTERN = /\b(prepare|deallocate|discard)\b/i;

/** The marker planted in an injected statement's name or text; it shows up in the upstream's error. */
export const INJECTION_MARKER = /airlock_([0-9a-f]{32})/;
