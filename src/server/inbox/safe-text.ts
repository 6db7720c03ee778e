import { groupDigits, toShortText, toVisibleLines } from '../../core/index.js';
import type { SafeHtml } from './html.js';
import { html } from './html.js';

/**
 * Agent-supplied text in the inbox: escaped (by `html`), hidden characters shown as `⟨U+XXXX⟩`,
 * isolated left to right (`<bdi dir="ltr">`, and `unicode-bidi: isolate` in the stylesheet) so
 * neither an override nor right-to-left letters reorder anything around it, and cut after
 * `maxChars` with its full length said, so one value cannot push the rest out of sight.
 */
export function agentText(text: string, maxChars = 120): SafeHtml {
  const short = toShortText(text, maxChars);
  if (!short.cut) return html`<bdi dir="ltr" class="agent-text">${short.text}</bdi>`;
  return html`<bdi dir="ltr" class="agent-text">${short.text}</bdi><span class="cut">… (${groupDigits(short.length)} characters)</span>`;
}

/**
 * Agent-supplied text on a detail page: the first `maxChars` in line, and when it is longer, the
 * whole value in a closed disclosure whose box has a bounded height and scrolls.
 */
export function agentValue(text: string, maxChars = 200): SafeHtml {
  const short = toShortText(text, maxChars);
  if (!short.cut) return agentText(text, maxChars);
  return html`${agentText(text, maxChars)}<details class="long-value"><summary>Show all ${groupDigits(short.length)} characters</summary><div class="long-value-box" dir="ltr" tabindex="0">${agentBlock(text)}</div></details>`;
}

/**
 * A multi-line agent-supplied block (a document, SQL, a body, JSON): numbered lines, hidden
 * characters visible, runs of blank lines collapsed into a visible marker, in a box of bounded
 * height that scrolls. `label` names it for screen readers.
 */
export function agentBlock(text: string, label?: string): SafeHtml {
  const lines = toVisibleLines(text).map((line) =>
    line.kind === 'text'
      ? html`<span class="line"><span class="line-no" aria-hidden="true">${line.number}</span><bdi dir="ltr">${line.text}</bdi></span>\n`
      : html`<span class="line blank-run"><span class="line-no" aria-hidden="true">${line.from}–${line.to}</span>⟨${line.to - line.from + 1} blank lines⟩</span>\n`,
  );
  return html`<pre class="request-body numbered" dir="ltr" tabindex="0"${label === undefined ? '' : html` aria-label="${label}"`}>${lines}</pre>`;
}
