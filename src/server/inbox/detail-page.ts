import type { Approval, ApprovalActionV1, DelayedActionV1 } from '../../core/index.js';
import { distinctApprovers } from '../../core/index.js';
import type { SafeHtml } from './html.js';
import { html } from './html.js';
import { INBOX_PREFIX } from './http-io.js';
import type { PageViewer } from './layout.js';
import { csrfField, layout, timeElement } from './layout.js';
import type { TimelineEntry } from './approval-timeline.js';

/** Everything the detail page shows; the same facts as `airlock approvals show`. */
export interface DetailPageModel {
  readonly approval: Approval;
  readonly viewer: PageViewer;
  /** Target ids the approver must type (irreversible actions in production or unknown). */
  readonly confirmTargets: readonly string[];
  readonly timeline: readonly TimelineEntry[];
  /** A refusal of the last form sent, shown at the top and focused. */
  readonly error?: string;
  /** What just happened (after a vote). */
  readonly notice?: string;
  /** What the approver typed in the deny reason, kept when the form comes back. */
  readonly reason?: string;
  /** For a delayed action: the stored request Airlock will send, and how far it got. */
  readonly delayed?: DelayedActionV1;
}

const MAX_SHOWN_BODY_CHARS = 20_000;

/** The page of one approval: what will run, why it was held, who asked, votes, forms, timeline. */
export function detailPage(model: DetailPageModel): SafeHtml {
  const { approval } = model;
  return layout(
    `Approval ${approval.id}`,
    model.viewer,
    html`<p class="back"><a href="${INBOX_PREFIX}">All pending approvals</a></p>
<h1>${headline(approval)}</h1>
${model.error === undefined ? '' : html`<div class="error-summary" role="alert" id="form-error" tabindex="-1" autofocus><p>${model.error}</p></div>`}
${model.notice === undefined ? '' : html`<p class="notice" role="status">${model.notice}</p>`}
<p class="state state-${approval.state}" id="approval-state">Approval <code>${approval.id}</code> is <strong>${approval.state}</strong>: ${distinctApprovers(approval).length} of ${approval.needed} approvals.</p>
${whatWillRun(approval)}
${model.delayed === undefined ? '' : delayedRequest(model.delayed)}
${whyHeld(approval)}
${whoAsked(approval)}
${votes(approval)}
${decisionForms(model)}
${timeline(model.timeline)}`,
  );
}

function headline(approval: Approval): string {
  const first = approval.actions[0];
  if (first === undefined) return `Approval ${approval.id}`;
  const target = first.targets[0];
  const more = approval.actions.length > 1 ? ` and ${approval.actions.length - 1} more` : '';
  return `${first.operation}${target === undefined ? '' : ` on ${target.type} ${target.id}`}${more}`;
}

function whatWillRun(approval: Approval): SafeHtml {
  return html`<section aria-labelledby="what-heading">
<h2 id="what-heading">What will run</h2>
<dl class="facts">
  <dt>Surface</dt><dd>${approval.surface}</dd>
  <dt>Request digest</dt><dd><code class="digest">${approval.requestDigest}</code></dd>
</dl>
<p class="hint">Only the request with exactly this digest can run, once.</p>
${approval.actions.map(actionBlock)}
${decodedRequest(approval)}
</section>`;
}

// The adapter's decoded rendition of the request: the agent's own words, so escaped like all else.
function decodedRequest(approval: Approval): SafeHtml {
  if (approval.request === undefined) return html`<p class="hint">The adapter did not keep the request itself; the actions above are what it does.</p>`;
  return html`<h3>The request, decoded</h3>
<p><code>${approval.request.summary}</code></p>
<pre class="request-body" tabindex="0" aria-label="Decoded request">${JSON.stringify(approval.request.details, null, 2)}</pre>`;
}

function actionBlock(action: ApprovalActionV1): SafeHtml {
  return html`<div class="action">
<h3><span class="upstream">${action.upstream}</span> <code>${action.operation}</code></h3>
<p><span class="tag effect-${action.effect}">${action.effect}</span> <span class="tag">${action.reversible ? 'reversible' : 'irreversible'}</span></p>
<table>
  <caption class="visually-hidden">Targets of ${action.operation}</caption>
  <thead><tr><th scope="col">Type</th><th scope="col">Id</th><th scope="col">Environment</th></tr></thead>
  <tbody>
${action.targets.map(
  (t) => html`  <tr><td>${t.type}</td><td><code>${t.id}</code></td><td>${t.environment ?? html`<strong>unknown</strong> (treated as production)`}</td></tr>
`,
)}  </tbody>
</table>
</div>`;
}

function delayedRequest(delayed: DelayedActionV1): SafeHtml {
  const { request } = delayed;
  return html`<section aria-labelledby="delayed-heading">
<h2 id="delayed-heading">The request Airlock will send</h2>
<dl class="facts">
  <dt>Status</dt><dd>${delayed.status}${delayed.note === undefined ? '' : html`: ${delayed.note}`}</dd>
  <dt>Upstream</dt><dd>${request.upstream}</dd>
  <dt>Method</dt><dd>${request.method}${request.search === '' ? '' : html` <code>${request.search}</code>`}</dd>
  ${delayed.result === undefined ? '' : html`<dt>Upstream answered</dt><dd>HTTP ${delayed.result.status}</dd>`}
</dl>
<pre class="request-body" tabindex="0" aria-label="Request body">${readableBody(request.body)}</pre>
</section>`;
}

/**
 * The body decoded for reading: a GraphQL request as its document and variables, other JSON
 * pretty-printed, anything else as sent; cut when huge.
 */
function readableBody(body: string): string {
  let shown = body;
  try {
    const parsed = JSON.parse(body) as unknown;
    const { query, ...rest } = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    shown = typeof query === 'string' ? `${query}\n\n${JSON.stringify(rest, null, 2)}` : JSON.stringify(parsed, null, 2);
  } catch {
    // Not JSON: shown as it is.
  }
  return shown.length > MAX_SHOWN_BODY_CHARS ? `${shown.slice(0, MAX_SHOWN_BODY_CHARS)}\n… (${shown.length - MAX_SHOWN_BODY_CHARS} more characters)` : shown;
}

function whyHeld(approval: Approval): SafeHtml {
  return html`<section aria-labelledby="why-heading">
<h2 id="why-heading">Why it was held</h2>
<p>Rules: ${approval.policyIds.length === 0 ? '(no policy id)' : approval.policyIds.map((id, i) => html`${i > 0 ? ', ' : ''}<code>${id}</code>`)}</p>
<ul>${approval.reasons.map((reason) => html`<li>${reason}</li>`)}</ul>
</section>`;
}

function whoAsked(approval: Approval): SafeHtml {
  return html`<section aria-labelledby="who-heading">
<h2 id="who-heading">Who asked</h2>
<dl class="facts">
  <dt>Agent</dt><dd>${approval.agent}</dd>
  <dt>Owner</dt><dd>${approval.owner}</dd>
  <dt>Grant</dt><dd><code>${approval.grantId}</code></dd>
  <dt>Asked</dt><dd>${timeElement(approval.createdAt)}</dd>
  <dt>Expires</dt><dd>${timeElement(approval.expiresAt)}</dd>
</dl>
</section>`;
}

function votes(approval: Approval): SafeHtml {
  const rows = [
    ...approval.approvals.map((v) => html`<li>Approved by <strong>${v.approver}</strong> at ${timeElement(v.at)}</li>`),
    ...approval.denials.map((d) => html`<li>Denied by <strong>${d.approver}</strong> at ${timeElement(d.at)}${d.reason === undefined ? '' : html`: ${d.reason}`}</li>`),
  ];
  return html`<section aria-labelledby="votes-heading">
<h2 id="votes-heading">Votes</h2>
${rows.length === 0 ? html`<p>No votes yet.</p>` : html`<ul>${rows}</ul>`}
</section>`;
}

function decisionForms(model: DetailPageModel): SafeHtml {
  const { approval, viewer } = model;
  const me = `human:${viewer.approver}`;
  if (approval.state === 'approved') return cancelForm(model);
  if (approval.state !== 'pending') return html``;
  if ([...approval.approvals, ...approval.denials].some((vote) => vote.approver === me)) {
    return html`<section aria-labelledby="decide-heading"><h2 id="decide-heading">Decide</h2><p>You have voted on this request. It waits for other approvers.</p></section>`;
  }
  const action = `${INBOX_PREFIX}/approvals/${encodeURIComponent(approval.id)}`;
  return html`<section aria-labelledby="decide-heading">
<h2 id="decide-heading">Decide</h2>
<div class="decide">
<form method="post" action="${action}/approve" class="stacked approve-form">
  ${csrfField(viewer)}
  ${model.confirmTargets.length === 0 ? '' : html`<p class="warning">This cannot be undone and touches production. Type each target id to confirm.</p>`}
  ${model.confirmTargets.map(
    (id, i) => html`<p>
    <label for="confirm-${i}">Type <code>${id}</code> to confirm</label>
    <input id="confirm-${i}" name="confirm" required autocomplete="off" spellcheck="false" data-expected="${id}">
  </p>`,
  )}
  <p><button type="submit" class="approve">Approve</button></p>
</form>
<form method="post" action="${action}/deny" class="stacked deny-form">
  ${csrfField(viewer)}
  <p>
    <label for="deny-reason">Reason for denying</label>
    <textarea id="deny-reason" name="reason" required maxlength="500" rows="3">${model.reason ?? ''}</textarea>
  </p>
  <p><button type="submit" class="deny">Deny</button></p>
</form>
</div>
</section>`;
}

function cancelForm(model: DetailPageModel): SafeHtml {
  const { approval, viewer } = model;
  const when =
    approval.runAt === undefined
      ? html`The agent may now run this exact request once.`
      : html`Airlock runs this request itself at ${timeElement(approval.runAt)} unless someone cancels it.`;
  return html`<section aria-labelledby="decide-heading">
<h2 id="decide-heading">Cancel</h2>
<p>${when}</p>
<form method="post" action="${INBOX_PREFIX}/approvals/${encodeURIComponent(approval.id)}/cancel">
  ${csrfField(viewer)}
  <p><button type="submit" class="deny">Cancel this approval</button></p>
</form>
</section>`;
}

function timeline(entries: readonly TimelineEntry[]): SafeHtml {
  return html`<section aria-labelledby="timeline-heading">
<h2 id="timeline-heading">Audit timeline</h2>
${
  entries.length === 0
    ? html`<p>No audit records yet.</p>`
    : html`<ol class="timeline">${entries.map(
        (e) => html`<li><span class="when">${timeElement(e.at)}</span> <strong>${e.kind}</strong> by <code>${e.actor}</code>${e.summary === '' ? '' : html`: ${e.summary}`} <span class="seq">(record ${e.seq})</span></li>`,
      )}</ol>`
}
</section>`;
}
