import { groupDigits, toShortText, toVisibleLines } from '../core/index.js';

/**
 * Agent-supplied text for a terminal: every control (escape sequences included), bidirectional
 * override or isolate, and invisible character written out as `⟨U+XXXX⟩`, and cut after
 * `maxChars` with its full length said, so one value cannot repaint, reorder or flood the lines
 * around it.
 */
export function terminalText(text: string, maxChars = 200): string {
  const short = toShortText(text, maxChars);
  return short.cut ? `${short.text}… (${groupDigits(short.length)} characters)` : short.text;
}

/**
 * A multi-line agent-supplied block for a terminal: numbered lines (`  12 | …`), hidden
 * characters visible, runs of blank lines folded into one marked line, each line cut after
 * `maxLineChars`.
 */
export function terminalBlock(text: string, indent = '  ', maxLineChars = 2_000): string[] {
  const lines = toVisibleLines(text);
  const last = lines.at(-1);
  const width = String(
    last === undefined ? 1 : last.kind === 'text' ? last.number : last.to,
  ).length;
  return lines.map((line) => {
    if (line.kind === 'blank-run')
      return `${indent}${`${line.from}-${line.to}`.padStart(width)} | ⟨${line.to - line.from + 1} blank lines⟩`;
    const cut =
      line.text.length > maxLineChars
        ? `${line.text.slice(0, maxLineChars)}… (${groupDigits(line.text.length)} characters)`
        : line.text;
    return `${indent}${String(line.number).padStart(width)} | ${cut}`;
  });
}

// Everything `toVisibleText` writes out that JSON.stringify leaves as is (it escapes only C0
// controls, quotes, backslashes and lone surrogates).
const JSON_HIDDEN =
  /[\u007F-\u009F\p{Cf}\p{Zl}\p{Zp}\u034F\u115F\u1160\u17B4\u17B5\u3164\uFFA0\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/**
 * JSON for a terminal: the same value, with every invisible or text-moving character escaped as
 * `\uXXXX`, so `--json` output cannot be reordered by a right-to-left override either.
 */
export function toTerminalJson(value: unknown): string {
  return JSON.stringify(value).replace(JSON_HIDDEN, (char) =>
    Array.from(
      { length: char.length },
      (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`,
    ).join(''),
  );
}
