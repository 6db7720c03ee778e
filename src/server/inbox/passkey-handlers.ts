import type { IncomingMessage, ServerResponse } from 'node:http';
import { isFirewallError } from '../../core/index.js';
import { INBOX_PREFIX, isCrossSite, readForm, redirect, sendHtml, sendJson } from './http-io.js';
import type { InboxContext, Viewer } from './inbox-context.js';
import { pageViewer } from './inbox-context.js';
import { messagePage } from './layout.js';
import type { PasskeyFailure } from './passkeys.js';
import type { PasskeyPurpose } from './passkey-challenges.js';
import { passkeyPage } from './passkey-page.js';
import { isSessionCsrfToken } from './sessions.js';

const TOTP_CODE = /^\d{6}$/;
const NOTICES: Readonly<Record<string, string>> = {
  added: 'Your passkey was added. Each vote now asks for it.',
};

/** GET /inbox/passkeys: the viewer's passkeys and the form to add one. */
export async function showPasskeys(
  context: InboxContext,
  viewer: Viewer,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const keys = await context.passkeys.usableOf(viewer.approver);
  const notice = NOTICES[url.searchParams.get('done') ?? ''];
  sendHtml(
    res,
    200,
    passkeyPage({ viewer: pageViewer(viewer), keys, ...(notice === undefined ? {} : { notice }) }),
  );
}

/**
 * POST /inbox/passkeys/options: registration options, only after a current TOTP code from the
 * approver's phone, so a stolen session cannot enrol an authenticator of its own.
 */
export async function enrolmentOptions(
  context: InboxContext,
  viewer: Viewer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = await readForm(req);
  if (!isSameSiteWithToken(req, viewer, form))
    return sendJson(res, 403, {
      error: 'This page is stale or came from elsewhere. Reload it and try again.',
    });
  const code = (form.get('totp') ?? '').replace(/\s+/g, '');
  if (!TOTP_CODE.test(code))
    return sendJson(res, 422, {
      error: 'Type the 6-digit code your authenticator app shows for Airlock.',
    });
  try {
    // SECURITY: the code is checked once (replay refused), throttled and audited by the service.
    await context.service.verifyTotp(viewer.approver.name, code);
  } catch (error) {
    if (isFirewallError(error, 'approver.unauthorized'))
      return sendJson(res, 401, {
        error: 'That code is wrong or was used already. Wait for the next one.',
      });
    if (isFirewallError(error, 'auth.throttled'))
      return sendJson(res, 429, {
        error: 'Too many wrong codes. Wait a few minutes, then try again.',
      });
    if (isFirewallError(error, 'approver.factor-required'))
      return sendJson(res, 409, {
        error: 'You have no authenticator app enrolled. Ask an administrator to enrol one first.',
      });
    throw error;
  }
  sendJson(res, 200, {
    options: await context.passkeys.enrolmentOptions(viewer.approver, viewer.session.key),
  });
}

/** POST /inbox/passkeys: the browser's registration answer; keeps the passkey. */
export async function submitEnrolment(
  context: InboxContext,
  viewer: Viewer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = await readForm(req);
  if (!isSameSiteWithToken(req, viewer, form)) return refused(res, viewer);
  const added = await context.passkeys.finishEnrolment(
    viewer.approver,
    viewer.session.key,
    form.get('attestation') ?? '',
  );
  const { store, clock } = context.options;
  const actor = `human:${viewer.approver.name}`;
  if (!added.ok) {
    await store.appendAudit({
      kind: 'approver.factor-failed',
      actor: 'system',
      at: clock.now(),
      data: {
        name: viewer.approver.name,
        channel: 'passkey',
        reason: added.error,
        purpose: 'enrol',
      },
    });
    const keys = await context.passkeys.usableOf(viewer.approver);
    return sendHtml(
      res,
      422,
      passkeyPage({
        viewer: pageViewer(viewer),
        keys,
        error:
          "No passkey was added: the browser's answer did not check out. Try again with a fresh code.",
      }),
    );
  }
  await store.appendAudit({
    kind: 'approver.passkey-added',
    actor,
    at: clock.now(),
    data: { name: viewer.approver.name, channel: 'inbox', credentialId: added.value.id },
  });
  redirect(res, `${INBOX_PREFIX}/passkeys?done=added`);
}

/** POST /inbox/approvals/ID/approve/options (or deny): assertion options bound to this vote. */
export async function voteOptions(
  context: InboxContext,
  viewer: Viewer,
  req: IncomingMessage,
  res: ServerResponse,
  purpose: PasskeyPurpose,
): Promise<void> {
  const form = await readForm(req);
  if (!isSameSiteWithToken(req, viewer, form))
    return sendJson(res, 403, {
      error: 'This page is stale or came from elsewhere. Reload it and try again.',
    });
  const options = await context.passkeys.voteOptions(viewer.approver, viewer.session.key, purpose);
  if (options === undefined)
    return sendJson(res, 409, {
      error: 'Add a passkey first: every vote needs one.',
      enrol: `${INBOX_PREFIX}/passkeys`,
    });
  sendJson(res, 200, { options });
}

/**
 * Checks the vote's assertion (a form field `assertion`, JSON from the browser). Returns when
 * it was verified, or undefined after auditing the refusal: a session alone never votes.
 */
export async function verifiedVote(
  context: InboxContext,
  viewer: Viewer,
  purpose: PasskeyPurpose & { kind: 'vote' },
  answer: string | null,
): Promise<number | undefined> {
  const verified =
    answer === null || answer === ''
      ? ({ ok: false, error: 'no-passkey' } as const satisfies { ok: false; error: PasskeyFailure })
      : await context.passkeys.verifyVote(viewer.approver, viewer.session.key, purpose, answer);
  if (verified.ok) return verified.value;
  const data = {
    name: viewer.approver.name,
    channel: 'passkey',
    reason: verified.error,
    approvalId: purpose.approvalId,
    vote: purpose.vote,
  };
  await context.options.store.appendAudit({
    kind: 'approver.factor-failed',
    actor: 'system',
    at: context.options.clock.now(),
    data,
  });
  return undefined;
}

function isSameSiteWithToken(req: IncomingMessage, viewer: Viewer, form: URLSearchParams): boolean {
  // SECURITY: as for every form: same site by the browser's word, and the session's CSRF token.
  return !isCrossSite(req) && isSessionCsrfToken(viewer.session, form.get('csrf'));
}

function refused(res: ServerResponse, viewer: Viewer): void {
  sendHtml(
    res,
    403,
    messagePage(
      'Refused',
      'This form is stale or came from elsewhere. Reload the page and try again.',
      pageViewer(viewer),
    ),
  );
}
