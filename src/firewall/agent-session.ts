import type { Principal } from '../core/index.js';
import type { Authentication } from './authenticate.js';

/**
 * How long one authentication of a connection stands before the firewall asks the store again:
 * a grant revoked or frozen elsewhere (the admin API, another process) keeps judging for at
 * most this long on a connection that authenticated before. Expiry is checked on every
 * judgment, and a freeze this firewall makes ends the session's standing at once. The same
 * second as `DECISION_REUSE_LIFETIME_MS`, which bounds reused decisions the same way.
 */
export const AUTHENTICATION_RECHECK_MS = 1_000;

/**
 * One agent connection as the firewall knows it, from `Firewall.authenticate`: the token it
 * presented and who that was at the last check. Adapters hold it for the connection and pass it
 * to every `Firewall.judge`; only the firewall reads or renews it.
 */
export class AgentSession {
  /** SECURITY: never stored, logged or echoed; kept to ask the store again. */
  readonly token: string;
  #principal: Principal;
  #checkedAt: number;
  // The earliest expiry of the grant and its ancestors: checked on every judgment, for free.
  #expiresAt: number;

  /** Built by `Firewall.authenticate` only. */
  constructor(token: string, principal: Principal, checkedAt: number) {
    this.token = token;
    this.#principal = principal;
    this.#checkedAt = checkedAt;
    this.#expiresAt = expiryOf(principal);
  }

  /** Who the token was at the last check. */
  get principal(): Principal {
    return this.#principal;
  }

  /** Whether the last check still stands at `now` (see `AUTHENTICATION_RECHECK_MS`). */
  isFresh(now: number): boolean {
    return now - this.#checkedAt < AUTHENTICATION_RECHECK_MS && now < this.#expiresAt;
  }

  /** Takes a new check's outcome; a failed one leaves the session stale, so it is asked again. */
  renew(authentication: Authentication, now: number): void {
    if (!authentication.ok) {
      this.#checkedAt = -Infinity;
      return;
    }
    this.#principal = authentication.principal;
    this.#checkedAt = now;
    this.#expiresAt = expiryOf(authentication.principal);
  }

  /** Makes the next judgment ask the store (the firewall froze the grant). */
  expire(): void {
    this.#checkedAt = -Infinity;
  }
}

function expiryOf(principal: Principal): number {
  let expiresAt = principal.grant.expiresAt;
  for (const ancestor of principal.ancestors) expiresAt = Math.min(expiresAt, ancestor.expiresAt);
  return expiresAt;
}
