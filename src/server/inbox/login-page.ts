import type { SafeHtml } from './html.js';
import { html } from './html.js';
import { INBOX_PREFIX } from './http-io.js';
import { layout } from './layout.js';

/** What the login page shows. */
export interface LoginPageModel {
  /** Where to go after logging in (already checked to be an inbox path). */
  readonly next: string;
  readonly name?: string;
  readonly error?: string;
}

/** The login form: approver name and credential; never an agent token. */
export function loginPage(model: LoginPageModel): SafeHtml {
  const error =
    model.error === undefined
      ? ''
      : html`<div class="error-summary" role="alert" id="login-error" tabindex="-1" autofocus>
  <p>${model.error}</p>
</div>`;
  return layout(
    'Log in',
    undefined,
    html`<h1>Log in to approve requests</h1>
${error}
<form method="post" action="${INBOX_PREFIX}/login" class="stacked">
  <input type="hidden" name="next" value="${model.next}">
  <p>
    <label for="approver">Approver name</label>
    <input id="approver" name="approver" autocomplete="username" required maxlength="64" value="${model.name ?? ''}" ${model.error === undefined ? html`autofocus` : ''}>
  </p>
  <p>
    <label for="credential">Approver credential</label>
    <input id="credential" name="credential" type="password" autocomplete="current-password" required maxlength="1024"${model.error === undefined ? '' : html` aria-describedby="login-error"`}>
  </p>
  <p class="hint">Your own approver credential. Agent tokens (<code>alk_…</code>) cannot log in here.</p>
  <p><button type="submit">Log in</button></p>
</form>`,
  );
}
