import type { IncomingMessage } from 'node:http';
import type { ApprovalRules, Approver, Clock, RandomSource, Store } from '../../core/index.js';
import type { ApprovalService, FactorThrottle } from '../../firewall/index.js';
import { readSessionCookie } from './http-io.js';
import type { LoginThrottle, LoginThrottleOptions } from './login-throttle.js';
import type { PasskeyStore } from './passkey-store.js';
import type { InboxPasskeys } from './passkeys.js';
import type { InboxSession, InboxSessions } from './sessions.js';
import { isSessionCurrent } from './sessions.js';

/** What the web inbox is built from. */
export interface InboxOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly rules: ApprovalRules;
  /** Environment names that count as production, for type-to-confirm. */
  readonly productionEnvironments: readonly string[];
  /**
   * Where approvers' browsers open the inbox (scheme, host, port), e.g.
   * `https://airlock.example.com:8443`: passkeys are bound to its host name, and an assertion
   * counts only when the browser made it on exactly this origin.
   */
  readonly publicUrl: string;
  /** Where enrolled passkeys are kept (`FilePasskeyStore` in `airlock serve`). */
  readonly passkeys: PasskeyStore;
  /** Default 8 hours. A restart ends every session regardless. */
  readonly sessionTtlMs?: number;
  /** How often the live list looks for changes; default 1 second. */
  readonly liveIntervalMs?: number;
  readonly loginThrottle?: LoginThrottleOptions;
  /** Failed TOTP codes, shared with the server's other channels (passkey enrolment asks for one). */
  readonly factorThrottle?: FactorThrottle;
}

/** The pieces every inbox handler shares. */
export interface InboxContext {
  readonly options: InboxOptions;
  readonly service: ApprovalService;
  readonly sessions: InboxSessions;
  readonly throttle: LoginThrottle;
  readonly passkeys: InboxPasskeys;
}

/** A request's live session and its approver, read fresh from the store. */
export interface Viewer {
  readonly cookie: string;
  readonly session: InboxSession;
  readonly approver: Approver;
}

/**
 * The logged-in approver of a request, if any. The approver is re-read on every request, so a
 * removed approver is logged out at once and a narrowed scope applies at once; a session started
 * before the approver was removed and re-added, or before their credentials changed, is over.
 */
export async function viewerOf(
  context: InboxContext,
  req: IncomingMessage,
): Promise<Viewer | undefined> {
  // SECURITY: only the session cookie authenticates here; an `Authorization` header (an agent's
  // Airlock token) is never read by the inbox.
  const cookie = readSessionCookie(req);
  const session = context.sessions.find(cookie);
  if (session === undefined || cookie === undefined) return undefined;
  const approver = await context.options.store.getApprover(session.approver);
  if (approver === undefined) {
    context.sessions.destroyAllOf(session.approver);
    return undefined;
  }
  if (!isSessionCurrent(session, approver)) {
    context.sessions.end(session);
    return undefined;
  }
  return { cookie, session, approver };
}

/** The page-facing form of a viewer. */
export function pageViewer(viewer: Viewer): { approver: string; csrfToken: string } {
  return { approver: viewer.approver.name, csrfToken: viewer.session.csrfToken };
}
