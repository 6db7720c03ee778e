import type { Word } from './ast.js';

/**
 * What a word expands to, as far as it can be known without running anything. `~` stands for the
 * home directory (from `~`, `$HOME` or `${HOME}` at the start of a word), which is unknown here.
 */
export type WordValue =
  | { readonly known: true; readonly text: string; readonly glob: boolean }
  | { readonly known: false; readonly text?: undefined; readonly glob?: undefined };

const DYNAMIC: WordValue = { known: false };

/** The value of one word, or `known: false` when it depends on the run. */
export function wordValue(word: Word): WordValue {
  let text = '';
  let glob = false;
  for (const [index, part] of word.parts.entries()) {
    if (part.kind === 'lit') {
      let value = part.value;
      if (!part.quoted) {
        if (index === 0 && (value === '~' || value.startsWith('~/'))) value = `~${value.slice(1)}`;
        else if (index === 0 && value.startsWith('~')) return DYNAMIC; // ~user: someone else's home
        if (/[*?[]/.test(value) || /\{[^}]*(,|\.\.)[^}]*\}/.test(value)) glob = true;
      }
      text += value;
    } else if (part.kind === 'param' && part.plain && part.name === 'HOME' && index === 0) {
      text += '~';
    } else return DYNAMIC;
  }
  return { known: true, text, glob };
}

/** The literal text of a word when it is fully known and not a glob pattern. */
export function literal(word: Word): string | undefined {
  const value = wordValue(word);
  return value.known && !value.glob ? value.text : undefined;
}
