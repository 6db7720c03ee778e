import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Approval, Approver } from '../../core/index.js';
import {
  approverScopeViolations,
  isFirewallError,
  targetsNeedingConfirmation,
} from '../../core/index.js';
import { readApprovalTimeline } from './approval-timeline.js';
import type { DetailPageModel } from './detail-page.js';
import { detailPage } from './detail-page.js';
import { INBOX_PREFIX, isCrossSite, readForm, redirect, sendHtml } from './http-io.js';
import type { InboxContext, Viewer } from './inbox-context.js';
import { pageViewer } from './inbox-context.js';
import { messagePage } from './layout.js';
import { verifiedVote } from './passkey-handlers.js';
import { pendingListPage, toPendingItem } from './pending-list.js';
import { isSessionCsrfToken } from './sessions.js';

const MAX_REASON_LENGTH = 500;
const NOTICES: Readonly<Record<string, string>> = {
  approved: 'You approved this request.',
  denied: 'You denied this request.',
  cancelled: 'You cancelled this approval. The request will not run.',
};

/** What an approver can do to an approval from its page. */
export type InboxVote = 'approve' | 'deny' | 'cancel';

const DONE: Readonly<Record<InboxVote, string>> = {
  approve: 'approved',
  deny: 'denied',
  cancel: 'cancelled',
};

/**
 * Pending approvals within an approver's scope, oldest first (from `pending` when the caller
 * read them already). Read-only: one past its expiry is left out here and expired by the next
 * vote or the firewall, not by a page view.
 */
export async function pendingInScope(
  context: InboxContext,
  approver: Approver,
  pending?: readonly Approval[],
): Promise<Approval[]> {
  const now = context.options.clock.now();
  const all = pending ?? (await context.options.store.listApprovals({ state: 'pending' }));
  return all.filter((approval) => approval.expiresAt > now && inScope(approver, approval));
}

/** Approved delayed actions in the approver's scope still inside their undo window: cancellable. */
async function waitingToRunInScope(context: InboxContext, approver: Approver): Promise<Approval[]> {
  const now = context.options.clock.now();
  const approved = await context.options.store.listApprovals({ state: 'approved' });
  return approved.filter(
    (approval) =>
      approval.runAt !== undefined && approval.runAt > now && inScope(approver, approval),
  );
}

/** GET /inbox: the pending list, and delayed actions that can still be cancelled. */
export async function showPendingList(
  context: InboxContext,
  viewer: Viewer,
  res: ServerResponse,
): Promise<void> {
  const name = viewer.approver.name;
  const items = (await pendingInScope(context, viewer.approver)).map((approval) =>
    toPendingItem(approval, name, context.options.productionEnvironments),
  );
  const waiting = (await waitingToRunInScope(context, viewer.approver)).map((approval) =>
    toPendingItem(approval, name, context.options.productionEnvironments),
  );
  sendHtml(res, 200, pendingListPage(items, pageViewer(viewer), waiting));
}

/** GET /inbox/approvals/ID: the detail page. Never changes anything. */
export async function showApproval(
  context: InboxContext,
  viewer: Viewer,
  res: ServerResponse,
  id: string,
  url: URL,
): Promise<void> {
  const approval = await approvalInScope(context, viewer, id);
  if (approval === undefined) return notFound(res, viewer);
  const notice = NOTICES[url.searchParams.get('done') ?? ''];
  await sendDetail(context, viewer, res, 200, approval, notice === undefined ? {} : { notice });
}

/**
 * POST /inbox/approvals/ID/approve, /deny or /cancel: one decision, after CSRF and scope checks;
 * approve and deny need a fresh passkey assertion for exactly this approval and vote. Cancel
 * withdraws an approval before it runs (within a delayed action's undo window, say).
 */
export async function submitVote(
  context: InboxContext,
  viewer: Viewer,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  vote: InboxVote,
): Promise<void> {
  const form = await readForm(req);
  // SECURITY: SameSite=Strict keeps the cookie off cross-site posts; the token covers the rest.
  if (isCrossSite(req) || !isSessionCsrfToken(viewer.session, form.get('csrf'))) {
    return sendHtml(
      res,
      403,
      messagePage(
        'Refused',
        'This form is stale or came from elsewhere. Reload the page and try again.',
        pageViewer(viewer),
      ),
    );
  }
  const approval = await approvalInScope(context, viewer, id);
  if (approval === undefined) return notFound(res, viewer);
  const reason = (form.get('reason') ?? '').trim();
  if (vote === 'deny' && (reason === '' || reason.length > MAX_REASON_LENGTH)) {
    return sendDetail(context, viewer, res, 422, approval, {
      error: `Give a reason for denying (at most ${MAX_REASON_LENGTH} characters).`,
      reason: reason.slice(0, MAX_REASON_LENGTH),
    });
  }
  try {
    if (vote === 'cancel') {
      // Session only: cancelling stops a request, the safe direction, and must be at hand fast
      // (within a delayed action's undo window) even where no passkey is.
      await context.service.cancel(id, `human:${viewer.approver.name}`);
    } else {
      // SECURITY: a session alone never votes: a fresh assertion bound to this approval and vote.
      const verifiedAt = await verifiedVote(
        context,
        viewer,
        { kind: 'vote', approvalId: id, vote },
        form.get('assertion'),
      );
      if (verifiedAt === undefined) {
        const error =
          'Not recorded: your passkey did not confirm this vote. Vote again and confirm with your passkey when the browser asks.';
        return sendDetail(context, viewer, res, 403, approval, {
          error,
          ...(reason === '' ? {} : { reason }),
        });
      }
      const factor = { kind: 'passkey', verifiedAt } as const;
      if (vote === 'approve')
        await context.service.approve(id, viewer.approver.name, factor, {
          confirm: form.getAll('confirm').map((typed) => typed.trim()),
        });
      else await context.service.deny(id, viewer.approver.name, factor, reason);
    }
  } catch (error) {
    return refusedVote(context, viewer, res, id, error, reason);
  }
  redirect(res, `${INBOX_PREFIX}/approvals/${encodeURIComponent(id)}?done=${DONE[vote]}`);
}

async function refusedVote(
  context: InboxContext,
  viewer: Viewer,
  res: ServerResponse,
  id: string,
  error: unknown,
  reason: string,
): Promise<void> {
  if (isFirewallError(error, 'approver.unauthorized')) {
    context.sessions.destroyAllOf(viewer.approver.name);
    return redirect(res, `${INBOX_PREFIX}/login`);
  }
  const status = isFirewallError(error, 'approval.confirm-required')
    ? 422
    : isFirewallError(error, 'approval.refused') ||
        isFirewallError(error, 'approver.factor-required')
      ? 403
      : isFirewallError(error, 'approval.expired') || isFirewallError(error, 'store.conflict')
        ? 409
        : undefined;
  // Anything else is an Airlock failure: the gateway answers 503 and nothing was recorded.
  if (status === undefined) throw error;
  const current = await approvalInScope(context, viewer, id);
  if (current === undefined) return notFound(res, viewer);
  const message = isFirewallError(error, 'approval.confirm-required')
    ? `Not approved: type each target id exactly as shown to confirm (${targetsNeedingConfirmation(current, context.options.productionEnvironments).join(', ')}).`
    : `Not recorded: ${(error as Error).message}.`;
  await sendDetail(context, viewer, res, status, current, {
    error: message,
    ...(reason === '' ? {} : { reason }),
  });
}

async function sendDetail(
  context: InboxContext,
  viewer: Viewer,
  res: ServerResponse,
  status: number,
  approval: Approval,
  extra: Pick<DetailPageModel, 'error' | 'notice' | 'reason'>,
): Promise<void> {
  const timeline = await readApprovalTimeline(context.options.store, approval);
  const confirmTargets = targetsNeedingConfirmation(
    approval,
    context.options.productionEnvironments,
  );
  // A delayed action's stored request is exactly what Airlock will send: shown in full.
  const delayed =
    approval.undoWindowMs === undefined
      ? undefined
      : await context.options.store.getDelayedAction(approval.id);
  const hasPasskey = (await context.passkeys.usableOf(viewer.approver)).length > 0;
  const model = {
    approval,
    viewer: pageViewer(viewer),
    confirmTargets,
    timeline,
    productionEnvironments: context.options.productionEnvironments,
    hasPasskey,
    ...extra,
    ...(delayed === undefined ? {} : { delayed }),
  };
  sendHtml(res, status, detailPage(model));
}

/** The approval as it stands (a lapsed pending one shown as expired), if in the viewer's scope. */
async function approvalInScope(
  context: InboxContext,
  viewer: Viewer,
  id: string,
): Promise<Approval | undefined> {
  // Read straight from the store: a GET must never change anything, expiry included.
  const approval = await context.options.store.getApproval(id);
  // SECURITY: out of scope reads as not found, so approvers cannot browse other teams' holds.
  if (approval === undefined || !inScope(viewer.approver, approval)) return undefined;
  const lapsed = approval.state === 'pending' && context.options.clock.now() >= approval.expiresAt;
  return lapsed ? { ...approval, state: 'expired' } : approval;
}

function inScope(approver: Approver, approval: Approval): boolean {
  return approverScopeViolations(approver.scope, approval).length === 0;
}

function notFound(res: ServerResponse, viewer: Viewer): void {
  sendHtml(
    res,
    404,
    messagePage('Not found', 'There is no such approval in your scope.', pageViewer(viewer)),
  );
}
