import type { Script } from './ast.js';
import { mvdanParse, mvdanStatementStarts, wordDisagreement } from './word-check.js';

/**
 * mvdan/sh (package `mvdan-sh`, its JavaScript build with the full syntax tree) is the authority
 * on what bash accepts. Our own parser builds the tree the classifier walks, and this check makes
 * mvdan/sh vouch for it: the text must be valid bash to mvdan/sh, both parsers must see the same
 * top-level statements at the same offsets, and every simple command the same words. Any
 * disagreement means one of them misread the text, and the classifier answers `unknown`.
 */
export async function mvdanDisagreement(
  source: string,
  script: Script,
): Promise<string | undefined> {
  let file: unknown;
  try {
    file = mvdanParse(source);
  } catch {
    return 'mvdan/sh rejects the command';
  }
  const theirs = mvdanStatementStarts(file);
  const ours = script.statementStarts.map((offset) =>
    Buffer.byteLength(source.slice(0, offset), 'utf8'),
  );
  if (theirs.length !== ours.length || theirs.some((offset, index) => offset !== ours[index])) {
    return 'the shell parsers disagree on where statements begin';
  }
  // Statement boundaries agree: now every simple command's words.
  return wordDisagreement(source, script);
}
