import type { Approval, DelayedActionV1 } from '../../core/index.js';
import { DEFAULT_PRODUCTION_ENVIRONMENTS, distinctApprovers } from '../../core/index.js';
import type { SafeHtml } from './html.js';
import { html } from './html.js';
import { INBOX_PREFIX } from './http-io.js';
import type { PageViewer } from './layout.js';
import { csrfField, layout, timeElement } from './layout.js';
import type { TimelineEntry } from './approval-timeline.js';
import { passkeyFields, passkeyNotice, passkeyOptionsAttribute } from './passkey-fields.js';
import { delayedRequestSection, requestHeadline, whatWillRunSection } from './request-view.js';
import { agentText, agentValue } from './safe-text.js';

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
  /** Whether the viewer has a passkey to vote with; `false` shows where to add one. */
  readonly hasPasskey?: boolean;
  /** Environment names that count as production, for ordering a batch; default `production`, `prod`. */
  readonly productionEnvironments?: readonly string[];
}

/** The page of one approval: what will run, why it was held, who asked, votes, forms, timeline. */
export function detailPage(model: DetailPageModel): SafeHtml {
  const { approval } = model;
  const production = model.productionEnvironments ?? DEFAULT_PRODUCTION_ENVIRONMENTS;
  return layout(
    `Approval ${approval.id}`,
    model.viewer,
    html`<p class="back"><a href="${INBOX_PREFIX}">All pending approvals</a></p>
<h1>${requestHeadline(approval, production)}</h1>
${model.error === undefined ? '' : html`<div class="error-summary" role="alert" id="form-error" tabindex="-1" autofocus><p>${model.error}</p></div>`}
${model.notice === undefined ? '' : html`<p class="notice" role="status">${model.notice}</p>`}
<p class="state state-${approval.state}" id="approval-state">Approval <code>${agentText(approval.id, 80)}</code> is <strong>${approval.state}</strong>: ${distinctApprovers(approval).length} of ${approval.needed} approvals.</p>
${whatWillRunSection(approval, production)}
${model.delayed === undefined ? '' : delayedRequestSection(model.delayed)}
${whyHeld(approval)}
${whoAsked(approval)}
${votes(approval)}
${decisionForms(model)}
${timeline(model.timeline)}`,
  );
}

function whyHeld(approval: Approval): SafeHtml {
  return html`<section aria-labelledby="why-heading">
<h2 id="why-heading">Why it was held</h2>
<p>Rules: ${approval.policyIds.length === 0 ? '(no policy id)' : approval.policyIds.map((id, i) => html`${i > 0 ? ', ' : ''}<code>${agentText(id, 120)}</code>`)}</p>
<ul>${approval.reasons.map((reason) => html`<li>${agentText(reason, 300)}</li>`)}</ul>
</section>`;
}

function whoAsked(approval: Approval): SafeHtml {
  return html`<section aria-labelledby="who-heading">
<h2 id="who-heading">Who asked</h2>
<dl class="facts">
  <dt>Agent</dt><dd>${agentText(approval.agent, 120)}</dd>
  <dt>Owner</dt><dd>${agentText(approval.owner, 120)}</dd>
  <dt>Grant</dt><dd><code>${agentText(approval.grantId, 120)}</code></dd>
  <dt>Asked</dt><dd>${timeElement(approval.createdAt)}</dd>
  <dt>Expires</dt><dd>${timeElement(approval.expiresAt)}</dd>
</dl>
</section>`;
}

function votes(approval: Approval): SafeHtml {
  const rows = [
    ...approval.approvals.map(
      (v) => html`<li>Approved by <strong>${v.approver}</strong> at ${timeElement(v.at)}</li>`,
    ),
    ...approval.denials.map(
      (d) =>
        html`<li>Denied by <strong>${d.approver}</strong> at ${timeElement(d.at)}${d.reason === undefined ? '' : html`: ${d.reason}`}</li>`,
    ),
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
${passkeyNotice(model.hasPasskey)}
<div class="decide">
<form method="post" action="${action}/approve" class="stacked approve-form" ${passkeyOptionsAttribute(`${action}/approve`)}>
  ${csrfField(viewer)}
  ${passkeyFields()}
  ${model.confirmTargets.length === 0 ? '' : html`<p class="warning">This cannot be undone and touches production. Type each target id to confirm.</p>`}
  ${model.confirmTargets.map(
    (id, i) => html`<p>
    <label for="confirm-${i}">Type <code>${agentValue(id)}</code> to confirm</label>
    <input id="confirm-${i}" name="confirm" required autocomplete="off" spellcheck="false" data-expected="${id}">
  </p>`,
  )}
  <p><button type="submit" class="approve">Approve</button></p>
</form>
<form method="post" action="${action}/deny" class="stacked deny-form" ${passkeyOptionsAttribute(`${action}/deny`)}>
  ${csrfField(viewer)}
  ${passkeyFields()}
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
        (e) =>
          html`<li><span class="when">${timeElement(e.at)}</span> <strong>${e.kind}</strong> by <code>${agentText(e.actor, 120)}</code>${e.summary === '' ? '' : html`: ${agentText(e.summary, 300)}`} <span class="seq">(record ${e.seq})</span></li>`,
      )}</ol>`
}
</section>`;
}
