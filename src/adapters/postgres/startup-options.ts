/**
 * The `options` startup parameter read as PostgreSQL reads it: pg_split_opts splits it into
 * words at whitespace (a backslash keeps the next character, so `\ ` is a space inside a word),
 * then the server's getopt reads them with its own switches. Only `-c name=value` and
 * `--name=value` assign a setting by name (a dash in the name means an underscore); every other
 * switch is skipped with its argument, so that `-d -c` is not read as a `-c`.
 */

/** One setting the options assign. */
export interface OptionSetting {
  /** As PostgreSQL looks it up: dashes made underscores (case is the caller's to fold). */
  readonly name: string;
  readonly value: string;
  /** The switch as written, for messages: `-c name=value` or `--name=value`. */
  readonly written: string;
}

/** The settings the options assign, or why PostgreSQL would refuse them. */
export type OptionsParse =
  | { readonly ok: true; readonly value: readonly OptionSetting[] }
  | { readonly ok: false; readonly error: string };

// The switches of PostgreSQL's getopt string "B:bC:c:D:d:EeFf:h:ijk:lN:nOPp:r:S:sTt:v:W:-:"
// that take an argument; the others take none, and unknown ones are the server's to refuse.
const TAKES_ARGUMENT = new Set('BCcDdfhkNprStvW-');
// C's isspace in the server's C locale.
const SPACE = /[ \t\n\v\f\r]/;

/** Reads a startup packet's `options` value. Unknown switches are left to the server, which refuses them. */
export function parseStartupOptions(options: string): OptionsParse {
  const words = splitOptions(options);
  const settings: OptionSetting[] = [];
  // glibc's getopt permutes: a word that is not a switch does not end the scan.
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    if (word === '--') break;
    if (!word.startsWith('-') || word === '-') continue;
    for (let at = 1; at < word.length; at++) {
      const flag = word[at] ?? '';
      if (!TAKES_ARGUMENT.has(flag)) continue;
      let argument = word.slice(at + 1);
      if (argument === '') {
        index++;
        if (index >= words.length)
          return { ok: false, error: `switch \`-${flag}\` requires a value` };
        argument = words[index] ?? '';
      }
      if (flag === 'c' || flag === '-') {
        const setting = longOption(flag, argument);
        if (!setting.ok) return setting;
        settings.push(setting.value);
      }
      break;
    }
  }
  return { ok: true, value: settings };
}

/** PostgreSQL's ParseLongOption: `name=value`, dashes in the name read as underscores. */
function longOption(
  flag: string,
  argument: string,
): { ok: true; value: OptionSetting } | { ok: false; error: string } {
  const written = flag === 'c' ? `-c ${argument}` : `--${argument}`;
  const equals = argument.indexOf('=');
  if (equals < 0) return { ok: false, error: `\`${written}\` requires a value` };
  return {
    ok: true,
    value: {
      name: argument.slice(0, equals).replace(/-/g, '_'),
      value: argument.slice(equals + 1),
      written,
    },
  };
}

/** pg_split_opts: words at unescaped whitespace; a backslash keeps the character after it. */
function splitOptions(options: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let escaped = false;
  for (const char of options) {
    if (escaped) {
      word = (word ?? '') + char;
      escaped = false;
    } else if (char === '\\') {
      word ??= '';
      escaped = true;
    } else if (SPACE.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
