import type { IncomingMessage, ServerResponse } from 'node:http';
import { isWellFormedToken } from '../../core/index.js';
import {
  INBOX_PREFIX,
  isCrossSite,
  isSecureRequest,
  readForm,
  readSessionCookie,
  redirect,
  sendHtml,
  sessionCookie,
} from './http-io.js';
import type { InboxContext } from './inbox-context.js';
import { viewerOf } from './inbox-context.js';
import { messagePage } from './layout.js';
import { loginPage } from './login-page.js';
import { isSessionCsrfToken } from './sessions.js';

const APPROVER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_CREDENTIAL_LENGTH = 1024;
// Only inbox pages: never an open redirect to somewhere else.
const SAFE_NEXT = /^\/inbox(\/approvals\/[A-Za-z0-9_-]{1,128})?$/;
const BAD_LOGIN = 'Unknown approver or wrong credential.';

/** `next` if it is an inbox page, else the inbox home. */
export function safeNext(next: string | null): string {
  return next !== null && SAFE_NEXT.test(next) ? next : INBOX_PREFIX;
}

/** GET /inbox/login: the form, or straight on when already logged in. */
export async function showLogin(
  context: InboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const next = safeNext(url.searchParams.get('next'));
  if ((await viewerOf(context, req)) !== undefined) return redirect(res, next);
  sendHtml(res, 200, loginPage({ next }));
}

/** POST /inbox/login: verifies an approver's credential and starts a session. */
export async function submitLogin(
  context: InboxContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // SECURITY: a login posted from another site (login CSRF) is refused before reading it.
  if (isCrossSite(req))
    return sendHtml(
      res,
      403,
      messagePage('Refused', 'This form must be sent from the inbox itself.', undefined),
    );
  const form = await readForm(req);
  const next = safeNext(form.get('next'));
  const name = (form.get('approver') ?? '').trim();
  const credential = form.get('credential') ?? '';
  const refuse = (status: number, error: string) =>
    sendHtml(
      res,
      status,
      loginPage({
        next,
        name: APPROVER_NAME.test(name) && !looksLikeAgentToken(name) ? name : '',
        error,
      }),
    );
  // SECURITY: an agent's Airlock token is never an approver credential; refused unverified,
  // with the same words as a wrong credential so nothing is learnt from the answer.
  if (
    !APPROVER_NAME.test(name) ||
    credential === '' ||
    credential.length > MAX_CREDENTIAL_LENGTH ||
    looksLikeAgentToken(credential) ||
    looksLikeAgentToken(name)
  ) {
    return refuse(401, BAD_LOGIN);
  }
  // The peer's address, never a header: behind a proxy every login shares the proxy's (docs/inbox.md).
  const source = req.socket.remoteAddress ?? 'unknown';
  // SECURITY: verifyApprover is async scrypt (a worker thread): a flood never stalls the event loop.
  const approver = await context.throttle.attempt({ source, name, credential }, () =>
    context.service.verifyApprover(name, credential),
  );
  if (approver === 'throttled')
    return refuse(429, 'Too many attempts. Wait a few minutes, then try again.');
  if (approver === undefined) return refuse(401, BAD_LOGIN);
  // A session the browser already had ends here: one login, one live session per browser.
  context.sessions.destroy(readSessionCookie(req));
  const { cookie } = context.sessions.create(approver);
  await context.options.store.appendAudit({
    kind: 'approver.login',
    actor: `human:${approver.name}`,
    at: context.options.clock.now(),
    data: { channel: 'inbox' },
  });
  redirect(res, next, {
    'set-cookie': sessionCookie(cookie, context.sessions.ttlMs, isSecureRequest(req)),
  });
}

/** POST /inbox/logout: ends the session on the server and clears the cookie. */
export async function submitLogout(
  context: InboxContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const viewer = await viewerOf(context, req);
  const clear = { 'set-cookie': sessionCookie('', 0, isSecureRequest(req)) };
  if (viewer === undefined) return redirect(res, `${INBOX_PREFIX}/login`, clear);
  const form = await readForm(req);
  if (isCrossSite(req) || !isSessionCsrfToken(viewer.session, form.get('csrf'))) {
    return sendHtml(
      res,
      403,
      messagePage(
        'Refused',
        'This form is stale or came from elsewhere. Reload the page and try again.',
        undefined,
      ),
    );
  }
  context.sessions.destroy(viewer.cookie);
  await context.options.store.appendAudit({
    kind: 'approver.logout',
    actor: `human:${viewer.approver.name}`,
    at: context.options.clock.now(),
    data: { channel: 'inbox' },
  });
  redirect(res, `${INBOX_PREFIX}/login`, clear);
}

/** Whether text is, or is shaped like, an Airlock agent token (`alk_…`), checksum or not. */
function looksLikeAgentToken(text: string): boolean {
  return text.trim().toLowerCase().startsWith('alk_') || isWellFormedToken(text.trim());
}
