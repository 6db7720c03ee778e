/**
 * Agent-supplied text made safe to look at: every character that is invisible or that moves
 * other text (controls, bidirectional overrides and isolates, zero-width and other format
 * characters, line separators, lone surrogates, tag characters, variation selectors, invisible
 * fillers) is written out as `⟨U+XXXX⟩`, so `vol_prod_db` behind a right-to-left override reads
 * as what it is. Pure; the inbox (HTML), the CLI (terminal) and webhooks build on it.
 */

// SECURITY: Cc (controls, ESC included), Cf (format: bidi controls U+061C, U+200E/F,
// U+202A–E, U+2066–9, zero-width U+200B–D, U+2060–4, U+FEFF, tags U+E0000–7F), Zl/Zp (U+2028,
// U+2029), Cs (lone surrogates), variation selectors, the combining grapheme joiner, and the
// Hangul and Khmer fillers that render as nothing.
const HIDDEN =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u034F\u115F\u1160\u17B4\u17B5\u3164\uFFA0\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;
// The same, less line feed and tab: what a multi-line block (a document, SQL) keeps as layout.
const HIDDEN_IN_BLOCK =
  /[^\P{Cc}\n\t]|[\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u034F\u115F\u1160\u17B4\u17B5\u3164\uFFA0\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/** `⟨U+202E⟩` for one character. */
function codePointLabel(char: string): string {
  return `⟨U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** One-line text with every hidden or text-moving character shown as `⟨U+XXXX⟩`. */
export function toVisibleText(text: string): string {
  return text.replace(HIDDEN, codePointLabel);
}

/** Like `toVisibleText`, but line feeds and tabs stay layout (for documents, SQL, JSON). */
export function toVisibleBlock(text: string): string {
  return text.replace(HIDDEN_IN_BLOCK, codePointLabel);
}

/** Whether text carries anything `toVisibleText` would rewrite. */
export function hasHiddenCharacters(text: string): boolean {
  HIDDEN.lastIndex = 0;
  const found = HIDDEN.test(text);
  HIDDEN.lastIndex = 0;
  return found;
}

/** A value cut for a list: its first `maxChars` characters and how long it really is. */
export interface ShortText {
  readonly text: string;
  /** The full length in characters; greater than `text.length` when cut. */
  readonly length: number;
  readonly cut: boolean;
}

/**
 * Visible text cut to `maxChars` (counted after making it visible, so labels count too), never
 * splitting a `⟨U+XXXX⟩` label or a surrogate pair.
 */
export function toShortText(text: string, maxChars: number): ShortText {
  const visible = toVisibleText(text);
  if (visible.length <= maxChars) return { text: visible, length: text.length, cut: false };
  let end = maxChars;
  const open = visible.lastIndexOf('⟨', end);
  if (open !== -1 && visible.indexOf('⟩', open) >= end) end = open;
  const code = visible.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: visible.slice(0, end), length: text.length, cut: true };
}

/** One line of a block as shown: its number in the original, or a run of blank lines collapsed. */
export type VisibleLine =
  | { readonly kind: 'text'; readonly number: number; readonly text: string }
  | { readonly kind: 'blank-run'; readonly from: number; readonly to: number };

/**
 * A block split into numbered lines, hidden characters made visible, and every run of more than
 * `maxBlankRun` blank (or whitespace-only) lines collapsed into one visible marker: blank lines
 * cannot push a mutation out of sight. Carriage returns count as line breaks.
 */
export function toVisibleLines(text: string, maxBlankRun = 2): VisibleLine[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: VisibleLine[] = [];
  let index = 0;
  while (index < lines.length) {
    let end = index;
    while (
      end < lines.length &&
      (lines[end] ?? '').trim() === '' &&
      !hasHiddenCharacters(lines[end] ?? '')
    )
      end++;
    const run = end - index;
    if (run > maxBlankRun) {
      out.push({ kind: 'blank-run', from: index + 1, to: end });
      index = end;
      continue;
    }
    const stop = Math.max(end, index + 1);
    for (; index < stop && index < lines.length; index++) {
      out.push({ kind: 'text', number: index + 1, text: toVisibleBlock(lines[index] ?? '') });
    }
  }
  return out;
}

/** Characters of a number, grouped for reading: `20,000`. */
export function groupDigits(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
