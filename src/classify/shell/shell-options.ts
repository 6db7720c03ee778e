import type { Arg } from './types.js';

/**
 * Shell options that change how bash reads or expands the text after them (`shopt -s extglob`,
 * `expand_aliases`, `set -o posix`, `set -f`…). The classifier parsed the whole line as bash
 * without them, so what follows them on the same line is `unknown`. Options that only change
 * how errors stop the script (`set -euo pipefail`, `set -x`) are not among them.
 */

/** `set` options that change nothing about how the rest is read. */
const HARMLESS_SET_FLAGS = /^[euxvEThbmBCHPtan]*$/;
const HARMLESS_SET_OPTIONS = new Set([
  'errexit',
  'nounset',
  'xtrace',
  'verbose',
  'pipefail',
  'errtrace',
  'functrace',
  'noclobber',
  'hashall',
  'monitor',
  'notify',
  'ignoreeof',
  'emacs',
  'vi',
  'history',
  'physical',
  'privileged',
  'braceexpand',
]);
/** `shopt` options that change nothing about how the rest is read or which files a glob matches. */
const HARMLESS_SHOPT = new Set([
  'checkwinsize',
  'cmdhist',
  'histappend',
  'lithist',
  'progcomp',
  'promptvars',
  'sourcepath',
  'inherit_errexit',
  'lastpipe',
  'checkjobs',
  'huponexit',
  'xpg_echo',
  'login_shell',
  'interactive_comments',
]);

/** Why `name args` changes how bash reads the rest of the line, or undefined when it does not. */
export function reparseOption(name: string, args: readonly Arg[]): string | undefined {
  if (name !== 'set' && name !== 'shopt') return undefined;
  const texts = args.map((arg) => (arg.value.known ? arg.value.text : undefined));
  if (texts.includes(undefined)) return `\`${name}\` with options known only at run time`;
  const words = texts as string[];
  if (name === 'shopt') {
    if (!words.some((word) => word === '-s' || word === '-u')) return undefined;
    const changed = words.filter((word) => !word.startsWith('-') && !HARMLESS_SHOPT.has(word));
    return changed.length === 0 ? undefined : `\`shopt ${words.join(' ')}\``;
  }
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as string;
    if (word === '--' || word === '-') return undefined;
    if (!/^[-+]/.test(word)) return undefined;
    const flags = word.slice(1);
    if (!HARMLESS_SET_FLAGS.test(flags.replace('o', ''))) return `\`set ${word}\``;
    if (flags.includes('o')) {
      const option = words[++index];
      if (option !== undefined && !HARMLESS_SET_OPTIONS.has(option))
        return `\`set ${word} ${option}\``;
    }
  }
  return undefined;
}
