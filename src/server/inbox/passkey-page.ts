import type { SafeHtml } from './html.js';
import { html } from './html.js';
import { INBOX_PREFIX } from './http-io.js';
import type { PageViewer } from './layout.js';
import { csrfField, layout, timeElement } from './layout.js';
import type { PasskeyCredentialV1 } from './passkey-store.js';

/** What the passkeys page shows. */
export interface PasskeyPageModel {
  readonly viewer: PageViewer;
  /** The viewer's usable passkeys. */
  readonly keys: readonly PasskeyCredentialV1[];
  readonly notice?: string;
  readonly error?: string;
}

/**
 * The viewer's passkeys and the form that adds one: a current code from their authenticator app
 * first, then the browser asks the authenticator. Needs the script (WebAuthn is a script API).
 */
export function passkeyPage(model: PasskeyPageModel): SafeHtml {
  return layout(
    'Passkeys',
    model.viewer,
    html`<p class="back"><a href="${INBOX_PREFIX}">All pending approvals</a></p>
<h1>Your passkeys</h1>
${model.error === undefined ? '' : html`<div class="error-summary" role="alert" id="form-error" tabindex="-1" autofocus><p>${model.error}</p></div>`}
${model.notice === undefined ? '' : html`<p class="notice" role="status">${model.notice}</p>`}
<p>Every approval or denial in the inbox asks for one of your passkeys, so a copied session is not enough to vote.</p>
${
  model.keys.length === 0
    ? html`<p id="passkey-count">You have no passkey yet: add one to vote.</p>`
    : html`<p id="passkey-count">${model.keys.length === 1 ? '1 passkey' : `${model.keys.length} passkeys`}:</p>
<ul class="passkeys">${model.keys.map((key) => html`<li>Added ${timeElement(key.createdAt)}, id <code>${key.id.slice(0, 12)}…</code></li>`)}</ul>`
}
<section aria-labelledby="add-heading">
<h2 id="add-heading">Add a passkey</h2>
<form method="post" action="${INBOX_PREFIX}/passkeys" class="stacked passkey-enrol" data-passkey-options="${INBOX_PREFIX}/passkeys/options">
  ${csrfField(model.viewer)}
  <input type="hidden" name="attestation" value="">
  <p>
    <label for="totp">Code from your authenticator app</label>
    <input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required>
  </p>
  <p class="hint">The code proves it is you and not someone holding your session.</p>
  <p><button type="submit">Add a passkey</button></p>
  <p class="passkey-status" role="status" aria-live="polite"></p>
  <noscript><p class="warning">Adding a passkey needs JavaScript in this browser.</p></noscript>
</form>
</section>`,
  );
}
