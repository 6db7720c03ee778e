import type { Approval } from '../../core/index.js';
import { distinctApprovers } from '../../core/index.js';
import type { SafeHtml } from './html.js';
import { html } from './html.js';
import { INBOX_PREFIX } from './http-io.js';
import type { PageViewer } from './layout.js';
import { layout, timeElement } from './layout.js';

/** One row of the pending list; also what the live stream sends (the script renders it as text). */
export interface PendingItemV1 {
  readonly id: string;
  readonly href: string;
  /** e.g. `railway volumeDelete`; agent-supplied parts are plain text. */
  readonly request: string;
  /** e.g. `volume vol_prod_db`. */
  readonly targets: string;
  /** e.g. `production`, or `unknown (treated as production)`. */
  readonly environments: string;
  readonly agent: string;
  readonly votes: string;
  /** Whether the viewer has voted already. */
  readonly voted: boolean;
  readonly askedAt: string;
  readonly expiresAt: string;
  /** When Airlock runs it, for an approved delayed action. */
  readonly runAt?: string;
}

/** The list row of one approval, as seen by `approver`. */
export function toPendingItem(approval: Approval, approver: string): PendingItemV1 {
  const targets = approval.actions.flatMap((action) => action.targets);
  const environments = [...new Set(targets.map((t) => t.environment ?? 'unknown (treated as production)'))];
  const voted = [...approval.approvals, ...approval.denials].some((vote) => vote.approver === `human:${approver}`);
  return {
    id: approval.id,
    href: `${INBOX_PREFIX}/approvals/${encodeURIComponent(approval.id)}`,
    request: approval.actions.map((a) => `${a.upstream} ${a.operation}`).join(', '),
    targets: targets.map((t) => `${t.type} ${t.id}`).join(', ') || '(no target)',
    environments: environments.join(', ') || '(none)',
    agent: approval.agent,
    votes: `${distinctApprovers(approval).length} of ${approval.needed}`,
    voted,
    askedAt: new Date(approval.createdAt).toISOString(),
    expiresAt: new Date(approval.expiresAt).toISOString(),
    ...(approval.runAt === undefined ? {} : { runAt: new Date(approval.runAt).toISOString() }),
  };
}

/**
 * The inbox home: the pending approvals in the viewer's scope, kept live by the script, and
 * approved delayed actions still inside their undo window.
 */
export function pendingListPage(items: readonly PendingItemV1[], viewer: PageViewer, waiting: readonly PendingItemV1[] = []): SafeHtml {
  return layout(
    'Pending approvals',
    viewer,
    html`<h1>Pending approvals</h1>
<p id="pending-count" role="status" aria-live="polite">${countSentence(items.length)}</p>
<div id="pending" data-events="${INBOX_PREFIX}/events">
${pendingTable(items)}
</div>
<p class="refresh"><a href="${INBOX_PREFIX}">Refresh</a> <span class="hint" id="live-hint">The list updates by itself while this page is open.</span></p>
${waiting.length === 0 ? '' : waitingSection(waiting)}`,
  );
}

/** The sentence above the list; the script writes the same words. */
export function countSentence(count: number): string {
  if (count === 0) return 'No requests are waiting for you.';
  return count === 1 ? '1 request is waiting for a decision.' : `${count} requests are waiting for a decision.`;
}

function pendingTable(items: readonly PendingItemV1[]): SafeHtml {
  return html`<table class="pending">
  <caption class="visually-hidden">Held requests waiting for approval</caption>
  <thead><tr><th scope="col">Request</th><th scope="col">Targets</th><th scope="col">Environment</th><th scope="col">Agent</th><th scope="col">Approvals</th><th scope="col">Asked</th></tr></thead>
  <tbody>
${items.map(
  (item) => html`    <tr data-id="${item.id}">
      <td><a href="${item.href}">${item.request}</a></td>
      <td>${item.targets}</td>
      <td>${item.environments}</td>
      <td>${item.agent}</td>
      <td>${item.votes}${item.voted ? ' (you voted)' : ''}</td>
      <td>${timeElement(Date.parse(item.askedAt))}</td>
    </tr>
`,
)}  </tbody>
</table>`;
}

function waitingSection(items: readonly PendingItemV1[]): SafeHtml {
  return html`<section aria-labelledby="waiting-heading">
<h2 id="waiting-heading">Approved, waiting to run</h2>
<p>Airlock runs these itself when their undo window ends. Open one to cancel it.</p>
<ul class="waiting">
${items.map((item) => html`  <li data-id="${item.id}"><a href="${item.href}">${item.request}</a> on ${item.targets} (${item.environments}), runs at ${item.runAt === undefined ? '' : timeElement(Date.parse(item.runAt))}</li>
`)}</ul>
</section>`;
}
