import type { Approval } from '../../core/index.js';
import {
  DEFAULT_PRODUCTION_ENVIRONMENTS,
  distinctApprovers,
  isProductionTarget,
  toBatchSummary,
  toReviewOrder,
  toShortText,
} from '../../core/index.js';
import type { SafeHtml } from './html.js';
import { html } from './html.js';
import { INBOX_PREFIX } from './http-io.js';
import type { PageViewer } from './layout.js';
import { layout, timeElement } from './layout.js';
import { agentText } from './safe-text.js';

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

// SECURITY: every agent-supplied part of a row is cut (its length said) and its hidden
// characters written out, so one value cannot push other rows out of sight or pose as another.
const MAX_ROW_VALUE_CHARS = 60;
const MAX_ROW_ITEMS = 4;

/**
 * The list row of one approval, as seen by `approver`: a batch says what it holds first (`3
 * actions: 1 in production`), and lists production and destructive actions and targets first.
 */
export function toPendingItem(
  approval: Approval,
  approver: string,
  productionEnvironments: readonly string[] = DEFAULT_PRODUCTION_ENVIRONMENTS,
): PendingItemV1 {
  const actions = toReviewOrder(approval.actions, productionEnvironments);
  const targets = actions.flatMap((action) => action.targets);
  const ordered = [
    ...targets.filter((t) => isProductionTarget(t, productionEnvironments)),
    ...targets.filter((t) => !isProductionTarget(t, productionEnvironments)),
  ];
  const environments = [
    ...new Set(
      ordered.map((t) =>
        t.environment === undefined ? 'unknown (treated as production)' : rowValue(t.environment),
      ),
    ),
  ];
  const voted = [...approval.approvals, ...approval.denials].some(
    (vote) => vote.approver === `human:${approver}`,
  );
  const operations = boundedList(
    actions.map((a) => `${rowValue(a.upstream)} ${rowValue(a.operation)}`),
  );
  return {
    id: approval.id,
    href: `${INBOX_PREFIX}/approvals/${encodeURIComponent(approval.id)}`,
    request:
      actions.length > 1
        ? `${toBatchSummary(approval.actions, productionEnvironments)}: ${operations}`
        : operations,
    targets:
      boundedList(ordered.map((t) => `${rowValue(t.type)} ${rowValue(t.id)}`)) || '(no target)',
    environments: boundedList(environments) || '(none)',
    agent: rowValue(approval.agent),
    votes: `${distinctApprovers(approval).length} of ${approval.needed}`,
    voted,
    askedAt: new Date(approval.createdAt).toISOString(),
    expiresAt: new Date(approval.expiresAt).toISOString(),
    ...(approval.runAt === undefined ? {} : { runAt: new Date(approval.runAt).toISOString() }),
  };
}

/** One agent-supplied value as a list shows it: visible, and cut with its length said. */
function rowValue(text: string): string {
  const short = toShortText(text, MAX_ROW_VALUE_CHARS);
  return short.cut ? `${short.text}… (${short.length} characters)` : short.text;
}

/** The first few of a list, then how many more. */
function boundedList(items: readonly string[]): string {
  const shown = items.slice(0, MAX_ROW_ITEMS).join(', ');
  return items.length > MAX_ROW_ITEMS ? `${shown} and ${items.length - MAX_ROW_ITEMS} more` : shown;
}

/**
 * The inbox home: the pending approvals in the viewer's scope, kept live by the script, and
 * approved delayed actions still inside their undo window.
 */
export function pendingListPage(
  items: readonly PendingItemV1[],
  viewer: PageViewer,
  waiting: readonly PendingItemV1[] = [],
): SafeHtml {
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
  return count === 1
    ? '1 request is waiting for a decision.'
    : `${count} requests are waiting for a decision.`;
}

function pendingTable(items: readonly PendingItemV1[]): SafeHtml {
  return html`<table class="pending">
  <caption class="visually-hidden">Held requests waiting for approval</caption>
  <thead><tr><th scope="col">Request</th><th scope="col">Targets</th><th scope="col">Environment</th><th scope="col">Agent</th><th scope="col">Approvals</th><th scope="col">Asked</th></tr></thead>
  <tbody>
${items.map(
  (item) => html`    <tr data-id="${item.id}">
      <td><a href="${item.href}">${agentText(item.request, 400)}</a></td>
      <td>${agentText(item.targets, 400)}</td>
      <td>${agentText(item.environments, 400)}</td>
      <td>${agentText(item.agent, 120)}</td>
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
${items.map(
  (
    item,
  ) => html`  <li data-id="${item.id}"><a href="${item.href}">${agentText(item.request, 400)}</a> on ${agentText(item.targets, 400)} (${agentText(item.environments, 400)}), runs at ${item.runAt === undefined ? '' : timeElement(Date.parse(item.runAt))}</li>
`,
)}</ul>
</section>`;
}
