import type { SafeHtml } from './html.js';
import { html } from './html.js';
import { INBOX_PREFIX } from './http-io.js';

/**
 * What a vote form carries for its passkey: the hidden field the script fills with the
 * browser's assertion, and a status line for what is going on. The form names where the script
 * fetches the assertion options in `data-passkey-options` (see `passkeyOptionsAttribute`).
 */
export function passkeyFields(): SafeHtml {
  return html`<input type="hidden" name="assertion" value="">
  <p class="passkey-status" role="status" aria-live="polite"></p>`;
}

/** The `data-passkey-options` attribute of the form that posts to `voteUrl` (…/approve or …/deny). */
export function passkeyOptionsAttribute(voteUrl: string): SafeHtml {
  return html`data-passkey-options="${voteUrl}/options"`;
}

/** Above the vote forms: votes need a passkey, and where to add one when the approver has none. */
export function passkeyNotice(hasPasskey: boolean | undefined): SafeHtml {
  if (hasPasskey !== false)
    return html`<p class="hint">Approving or denying asks for your passkey.</p>`;
  return html`<p class="warning" id="passkey-needed">Every vote needs your passkey, and you have none yet. <a href="${INBOX_PREFIX}/passkeys">Add a passkey</a> with a code from your authenticator app, then come back.</p>`;
}
