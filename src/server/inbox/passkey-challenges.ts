import type { Clock } from '../../core/index.js';

/** How long a passkey challenge may be answered: two minutes. */
export const PASSKEY_CHALLENGE_TTL_MS = 2 * 60_000;

// Bounded memory whatever sessions ask for: the oldest challenge goes first.
const MAX_CHALLENGES = 10_000;

/**
 * What a challenge was issued for: enrolling a passkey, or one vote on one approval. A challenge
 * is answered only for the same session and the same purpose.
 */
export type PasskeyPurpose =
  | { readonly kind: 'enrol' }
  | { readonly kind: 'vote'; readonly approvalId: string; readonly vote: 'approve' | 'deny' };

/**
 * Outstanding WebAuthn challenges, server-side: one per (session, purpose), each taken at most
 * once and only within two minutes, so an assertion cannot be replayed, carried over to another
 * approval or vote, or used from another session.
 */
export class PasskeyChallenges {
  readonly #pending = new Map<string, { challenge: string; expiresAt: number }>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Remembers `challenge` for the session and purpose, replacing one issued before. */
  remember(sessionKey: string, purpose: PasskeyPurpose, challenge: string): void {
    const key = keyOf(sessionKey, purpose);
    this.#pending.delete(key);
    if (this.#pending.size >= MAX_CHALLENGES) {
      const oldest = this.#pending.keys().next().value;
      if (oldest !== undefined) this.#pending.delete(oldest);
    }
    this.#pending.set(key, { challenge, expiresAt: this.#clock.now() + PASSKEY_CHALLENGE_TTL_MS });
  }

  /** The challenge for the session and purpose, removed (single use); undefined when none or too old. */
  take(sessionKey: string, purpose: PasskeyPurpose): string | undefined {
    const key = keyOf(sessionKey, purpose);
    const pending = this.#pending.get(key);
    this.#pending.delete(key);
    if (pending === undefined || this.#clock.now() >= pending.expiresAt) return undefined;
    return pending.challenge;
  }
}

function keyOf(sessionKey: string, purpose: PasskeyPurpose): string {
  // Approval ids are [A-Za-z0-9_-]; the space cannot occur inside any part.
  return purpose.kind === 'enrol'
    ? `${sessionKey} enrol`
    : `${sessionKey} vote ${purpose.approvalId} ${purpose.vote}`;
}
