import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Approver, Clock } from '../../core/index.js';
import { approverGeneration } from './approver-generation.js';

/** One logged-in approver. */
export interface InboxSession {
  /** A server-side handle of the session (never the cookie): what passkey challenges are bound to. */
  readonly key: string;
  readonly approver: string;
  /** The approver's generation at login (`approverGeneration`): removal, re-adding or new credentials end the session. */
  readonly approverGeneration: string;
  readonly startedAt: number;
  /** Sent back in every form of the session; a POST without it is refused (CSRF). */
  readonly csrfToken: string;
  readonly expiresAt: number;
}

/** Default session lifetime: a working day. */
export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;

const ID_BYTES = 32;

/**
 * Inbox sessions, kept in this process's memory: a cookie carries a random session id and its
 * HMAC under a key drawn at start, so a forged or altered cookie is refused before any lookup.
 * Logout removes the session on the server, so a copied cookie dies with it. A restart forgets
 * every session (and the key): everyone logs in again, which is the safe direction.
 */
export class InboxSessions {
  readonly #key = randomBytes(32);
  // Keyed by the SHA-256 of the session id, so the table never holds a usable cookie.
  readonly #sessions = new Map<string, InboxSession>();
  readonly #clock: Clock;
  readonly #ttlMs: number;

  constructor(clock: Clock, ttlMs: number = DEFAULT_SESSION_TTL_MS) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** Session lifetime, for the cookie's Max-Age. */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** Starts a fresh session (never reusing an id the browser brought: no fixation); returns the cookie value. */
  create(approver: Approver): { cookie: string; session: InboxSession } {
    this.#prune();
    const id = randomBytes(ID_BYTES).toString('base64url');
    const now = this.#clock.now();
    const session: InboxSession = {
      key: hashId(id),
      approver: approver.name,
      approverGeneration: approverGeneration(approver),
      startedAt: now,
      csrfToken: randomBytes(ID_BYTES).toString('base64url'),
      expiresAt: now + this.#ttlMs,
    };
    this.#sessions.set(session.key, session);
    return { cookie: `${id}.${this.#sign(id)}`, session };
  }

  /** The live session a cookie value names; undefined when forged, unknown, logged out or expired. */
  find(cookie: string | undefined): InboxSession | undefined {
    const id = this.#verifiedId(cookie);
    if (id === undefined) return undefined;
    const session = this.#sessions.get(hashId(id));
    if (session === undefined) return undefined;
    if (this.#clock.now() >= session.expiresAt) {
      this.#sessions.delete(hashId(id));
      return undefined;
    }
    return session;
  }

  /** Ends the session a cookie names, if any. */
  destroy(cookie: string | undefined): void {
    const id = this.#verifiedId(cookie);
    if (id !== undefined) this.#sessions.delete(hashId(id));
  }

  /** Ends one session, found by its key. */
  end(session: InboxSession): void {
    this.#sessions.delete(session.key);
  }

  /** Ends every session of an approver (when their credential no longer holds). */
  destroyAllOf(approver: string): void {
    for (const [key, session] of this.#sessions)
      if (session.approver === approver) this.#sessions.delete(key);
  }

  #verifiedId(cookie: string | undefined): string | undefined {
    if (cookie === undefined) return undefined;
    const [id, signature, extra] = cookie.split('.');
    if (id === undefined || signature === undefined || extra !== undefined) return undefined;
    const expected = Buffer.from(this.#sign(id), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    // SECURITY: constant-time comparison of the signature.
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
  }

  #sign(id: string): string {
    return createHmac('sha256', this.#key).update(id).digest('base64url');
  }

  #prune(): void {
    const now = this.#clock.now();
    for (const [key, session] of this.#sessions)
      if (now >= session.expiresAt) this.#sessions.delete(key);
  }
}

/**
 * Whether a session still speaks for `approver` as it stands now: the same approver record
 * (removed and re-added is another one) whose credentials have not changed since login.
 */
export function isSessionCurrent(session: InboxSession, approver: Approver): boolean {
  // SECURITY: an exact comparison, not clock order: a change within the login's millisecond (or
  // under a fixed clock) still ends the session.
  return approverGeneration(approver) === session.approverGeneration;
}

/** Whether a form's CSRF token is the session's; constant time. */
export function isSessionCsrfToken(session: InboxSession, given: string | null): boolean {
  if (given === null) return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
