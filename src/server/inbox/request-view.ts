import type {
  Approval,
  ApprovalActionV1,
  ApprovalRequestV1,
  DelayedActionV1,
} from '../../core/index.js';
import {
  groupDigits,
  isDangerousAction,
  isProductionTarget,
  toBatchSummary,
  toReviewOrder,
} from '../../core/index.js';
import { parseStrictJson } from '../../classify/index.js';
import type { SafeHtml } from './html.js';
import { html } from './html.js';
import { agentBlock, agentText, agentValue } from './safe-text.js';

/**
 * How the detail page shows what will run. Every agent-supplied value goes through
 * `safe-text.ts`: hidden characters visible, bidirectional text isolated, long values cut with
 * their length said (whole in a bounded, scrolling box), blocks with numbered lines.
 */

/** The page's heading: the first action in review order (production and destructive first). */
export function requestHeadline(
  approval: Approval,
  productionEnvironments: readonly string[],
): SafeHtml {
  const first = toReviewOrder(approval.actions, productionEnvironments)[0];
  if (first === undefined) return html`Approval ${agentText(approval.id, 60)}`;
  const target = first.targets[0];
  const more = approval.actions.length > 1 ? ` and ${approval.actions.length - 1} more` : '';
  return html`${agentText(first.operation, 80)}${target === undefined ? '' : html` on ${agentText(target.type, 40)} ${agentText(target.id, 80)}`}${more}`;
}

/** The "What will run" section: digest, a batch summary, actions in review order, the request. */
export function whatWillRunSection(
  approval: Approval,
  productionEnvironments: readonly string[],
): SafeHtml {
  const ordered = toReviewOrder(approval.actions, productionEnvironments);
  const summary = toBatchSummary(approval.actions, productionEnvironments);
  return html`<section aria-labelledby="what-heading">
<h2 id="what-heading">What will run</h2>
<p class="batch-summary${ordered.some((a) => a.targets.some((t) => isProductionTarget(t, productionEnvironments))) ? ' in-production' : ''}" id="batch-summary"><strong>${summary}</strong>${approval.actions.length > 1 ? ' (production and destructive actions are listed first)' : ''}</p>
<dl class="facts">
  <dt>SurfaceKind</dt><dd>${approval.surface}</dd>
  <dt>Request digest</dt><dd><code class="digest">${agentText(approval.requestDigest, 80)}</code></dd>
</dl>
<p class="hint">Only the request with exactly this digest can run, once.</p>
${ordered.map((action) => actionBlock(action, productionEnvironments))}
${shownRequest(approval.request)}
</section>`;
}

function actionBlock(
  action: ApprovalActionV1,
  productionEnvironments: readonly string[],
): SafeHtml {
  const targets = [...action.targets].sort(
    (a, b) =>
      Number(isProductionTarget(b, productionEnvironments)) -
      Number(isProductionTarget(a, productionEnvironments)),
  );
  const flagged =
    isDangerousAction(action) && targets.some((t) => isProductionTarget(t, productionEnvironments));
  return html`<div class="action${flagged ? ' action-production' : ''}">
<h3><span class="upstream">${agentText(action.upstream, 60)}</span> <code>${agentText(action.operation, 120)}</code></h3>
<p><span class="tag effect-${action.effect}">${action.effect}</span> <span class="tag">${action.reversible ? 'reversible' : 'irreversible'}</span></p>
<table>
  <caption class="visually-hidden">Targets of ${agentText(action.operation, 120)}</caption>
  <thead><tr><th scope="col">Type</th><th scope="col">Id</th><th scope="col">Environment</th></tr></thead>
  <tbody>
${targets.map(
  (
    t,
  ) => html`  <tr><td>${agentText(t.type, 60)}</td><td><code>${agentValue(t.id)}</code></td><td>${t.environment === undefined ? html`<strong>unknown</strong> (treated as production)` : agentText(t.environment, 60)}</td></tr>
`,
)}  </tbody>
</table>
</div>`;
}

/** The request as kept: raw bytes and why when ambiguous, else the adapter's decoded reading. */
function shownRequest(request: ApprovalRequestV1 | undefined): SafeHtml {
  if (request === undefined)
    return html`<p class="hint">The adapter did not keep the request itself; the actions above are what it does.</p>`;
  const ambiguity = request.ambiguity ?? [];
  if (ambiguity.length > 0 && request.raw !== undefined) {
    return html`<h3>The request as sent (ambiguous)</h3>
<div class="warning-box" role="note"><p class="warning">Airlock could not read this request one way, so no decoded reading is shown: the upstream may read it differently. Read the raw request below.</p>
<ul class="ambiguity">${ambiguity.map((reason) => html`<li>${agentText(reason, 300)}</li>`)}</ul></div>
<p><code>${agentText(request.summary, 300)}</code></p>
${rawRequest(request)}`;
  }
  return html`<h3>The request, decoded</h3>
<p><code>${agentText(request.summary, 300)}</code></p>
${agentBlock(JSON.stringify(request.details, null, 2), 'Decoded request')}
${request.raw === undefined ? '' : html`<details class="raw-request"><summary>The request as sent</summary>${rawRequest(request)}</details>`}`;
}

function rawRequest(request: ApprovalRequestV1): SafeHtml {
  const raw = request.raw;
  if (raw === undefined) return html``;
  const cut =
    raw.length > raw.text.length
      ? html`<p class="hint">Shown: the first ${groupDigits(raw.text.length)} of ${groupDigits(raw.length)} characters.</p>`
      : '';
  return html`${agentBlock(raw.text, 'Raw request')}${cut}`;
}

/** The delayed action's stored request: method and query string, and its body, numbered. */
export function delayedRequestSection(delayed: DelayedActionV1): SafeHtml {
  const { request } = delayed;
  const decoded = decodedGraphqlBody(request.body);
  return html`<section aria-labelledby="delayed-heading">
<h2 id="delayed-heading">The request Airlock will send</h2>
<dl class="facts">
  <dt>Status</dt><dd>${delayed.status}${delayed.note === undefined ? '' : html`: ${agentText(delayed.note, 300)}`}</dd>
  <dt>Upstream</dt><dd>${agentText(request.upstream, 60)}</dd>
  <dt>Method</dt><dd>${request.method}${request.search === '' ? '' : html` <code>${agentValue(request.search)}</code>`}</dd>
  ${delayed.result === undefined ? '' : html`<dt>Upstream answered</dt><dd>HTTP ${delayed.result.status}</dd>`}
</dl>
<p class="hint">Line numbers are Airlock's; a run of blank lines is folded into one marked line, so nothing hides below it.</p>
${
  decoded === undefined
    ? html`<p class="warning">The body does not read one way as JSON (or is not GraphQL JSON), so it is shown exactly as sent.</p>${agentBlock(boundedBody(request.body), 'Request body')}`
    : html`${agentBlock(boundedBody(decoded), 'Request body, decoded')}<details class="raw-request"><summary>The body exactly as sent</summary>${agentBlock(boundedBody(request.body), 'Request body as sent')}</details>`
}
</section>`;
}

const MAX_SHOWN_BODY_CHARS = 20_000;

// SECURITY: decoded only when the body reads one way (strict JSON: a repeated key is exactly
// what a parsed reading would hide); then the document, and the rest pretty-printed.
function decodedGraphqlBody(body: string): string | undefined {
  const parsed = parseStrictJson(body);
  if (
    !parsed.ok ||
    typeof parsed.value !== 'object' ||
    parsed.value === null ||
    Array.isArray(parsed.value)
  )
    return undefined;
  const { query, ...rest } = parsed.value;
  if (typeof query !== 'string') return undefined;
  return `${query}\n\n${JSON.stringify(rest, null, 2)}`;
}

function boundedBody(body: string): string {
  if (body.length <= MAX_SHOWN_BODY_CHARS) return body;
  return `${body.slice(0, MAX_SHOWN_BODY_CHARS)}\n… (${groupDigits(body.length - MAX_SHOWN_BODY_CHARS)} more characters)`;
}
