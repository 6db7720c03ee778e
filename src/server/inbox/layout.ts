import type { HtmlValue, SafeHtml } from './html.js';
import { html } from './html.js';
import { INBOX_PREFIX } from './http-io.js';

/** Who is looking at a page, when someone is logged in. */
export interface PageViewer {
  readonly approver: string;
  readonly csrfToken: string;
}

/** A whole page: landmarks, skip link, the stylesheet and the (deferred, optional) live script. */
export function layout(title: string, viewer: PageViewer | undefined, main: HtmlValue): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Airlock</title>
<link rel="icon" href="${INBOX_PREFIX}/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${INBOX_PREFIX}/assets/inbox.css">
<script src="${INBOX_PREFIX}/assets/inbox.js" defer></script>
<script src="${INBOX_PREFIX}/assets/webauthn.js" defer></script>
<script src="${INBOX_PREFIX}/assets/inbox-passkey.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <p class="brand"><a href="${INBOX_PREFIX}">Airlock approvals</a></p>
  ${viewer === undefined ? '' : accountNav(viewer)}
</header>
<main id="main" tabindex="-1">
${main}
</main>
</body>
</html>
`;
}

function accountNav(viewer: PageViewer): SafeHtml {
  return html`<nav aria-label="Account" class="account">
    <span>Signed in as <strong>${viewer.approver}</strong></span>
    <a href="${INBOX_PREFIX}/passkeys">Passkeys</a>
    <form method="post" action="${INBOX_PREFIX}/logout">
      ${csrfField(viewer)}
      <button type="submit" class="link-button">Log out</button>
    </form>
  </nav>`;
}

/** The hidden CSRF field every form of a session carries. */
export function csrfField(viewer: PageViewer): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${viewer.csrfToken}">`;
}

/** A time as a `<time>` element, in UTC. */
export function timeElement(ms: number): SafeHtml {
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>`;
}

/** A simple page with a heading and a message, for errors and refusals. */
export function messagePage(
  title: string,
  message: string,
  viewer: PageViewer | undefined,
): SafeHtml {
  return layout(
    title,
    viewer,
    html`<h1>${title}</h1>
<p>${message}</p>
<p><a href="${INBOX_PREFIX}">Back to pending approvals</a></p>`,
  );
}
