import { judgeAssignment } from '../assignments.js';
import { parseExpansionText, ShellSyntaxError } from '../parser.js';
import { resolvePath } from '../paths.js';
import type { Arg, Finding, Handler, Invocation } from '../types.js';
import { found } from '../types.js';
import { splitAssignment } from '../variable-uses.js';

/**
 * Every bash builtin (`bash -c 'compgen -b'`, plus `[[`), judged by what it does: most only look
 * or set shell state; those that run code from their arguments (`trap`, `alias`, `mapfile -C`,
 * `compgen -C`…) are judged by the code they run, or `unknown` when it cannot be read. They are
 * merged last into the catalog: bash runs its builtin before any program of the same name.
 * What builtins do to variables (arithmetic on subscripts, values later commands see) is judged by
 * the walker (variable-uses.ts), since it outlives the command.
 */

const read = (inv: Invocation): Finding[] => found.read(inv.name);
const texts = (args: readonly Arg[]): (string | undefined)[] =>
  args.map((arg) => (arg.value.known ? arg.value.text : undefined));

/** `trap CODE SIGNAL…`: CODE runs when the signal (or EXIT) comes; `-p`, `-l`, `trap - SIG` only look or reset. */
const trap: Handler = (inv) => {
  const [first, ...rest] = texts(inv.args.filter((arg) => arg.value.text !== '--'));
  if (inv.args.length === 0 || first === '-p' || first === '-l' || first === '-' || first === '')
    return found.read('trap');
  if (rest.length === 0 || /^\d+$/.test(first ?? '')) return found.read('trap (resets signals)');
  if (first === undefined) return found.unknown('trap', 'code known only at run time');
  return inv.shell(first);
};

/** `alias NAME=VALUE`: the value is code that runs wherever NAME is written later. */
const alias: Handler = async (inv) => {
  const findings: Finding[] = [];
  for (const arg of inv.args) {
    const text = arg.value.known ? arg.value.text : undefined;
    if (text === undefined) return found.unknown('alias', 'alias known only at run time');
    if (text.startsWith('-')) continue;
    const eq = text.indexOf('=');
    if (eq < 0) continue; // prints the alias
    findings.push(...(await inv.shell(text.slice(eq + 1))));
  }
  return findings.length === 0 ? found.read('alias') : findings;
};

/** `hash -p PATH NAME`: NAME runs PATH from now on, whatever the catalog says NAME is. */
const hash: Handler = (inv) =>
  inv.args.some((arg) => !arg.value.known || /^-[a-z]*p/.test(arg.value.text))
    ? found.unknown('hash -p', 'makes a command name run another program')
    : found.read('hash');

/** `enable -f FILE NAME` loads a shared object into bash; `enable -n NAME` lets a program of that name run instead. */
const enable: Handler = (inv) => {
  const flags = texts(inv.args).filter((text) => text === undefined || text.startsWith('-'));
  if (flags.some((text) => text === undefined || /f/.test(text)))
    return found.unknown('enable -f', 'loads a shared object into bash');
  if (flags.some((text) => /n/.test(text ?? '')))
    return found.unknown(
      'enable -n',
      'hides a builtin, so that a program of that name runs instead',
    );
  return found.read('enable');
};

/** `fc` re-runs (or edits and runs) commands from history; `fc -l` lists them. */
const fc: Handler = (inv) =>
  texts(inv.args).some((text) => text !== undefined && /^-[a-z]*l/.test(text))
    ? found.read('fc -l')
    : found.unknown('fc', 're-runs commands from history');

/** `history -w/-a [FILE]` writes the history file; the rest only look. */
const history: Handler = (inv) => {
  const args = texts(inv.args);
  if (!args.some((text) => text !== undefined && /^-[a-z]*[wa]/.test(text)))
    return found.read('history');
  const file = args.find((text) => text !== undefined && !text.startsWith('-'));
  const path = file === undefined ? '~/.bash_history' : resolvePath(file, inv.cwd);
  return found.write('history -w', path === undefined ? [] : [{ type: 'path', id: path }]);
};

/** `bind -x 'KEYS: CODE'` runs CODE on a key press. */
const bind: Handler = (inv) =>
  texts(inv.args).some((text) => text === undefined || /^-[A-Za-z]*x/.test(text))
    ? found.unknown('bind -x', 'binds shell code to keys')
    : found.read('bind');

/** `mapfile -C CALLBACK`: CALLBACK runs with each chunk's index and line (text from input). */
const mapfile: Handler = (inv) => {
  const at = inv.args.findIndex(
    (arg) => arg.value.text === '-C' || (arg.value.text?.startsWith('-C') ?? false),
  );
  if (at < 0)
    return texts(inv.args).includes(undefined)
      ? found.unknown(inv.name, 'options known only at run time')
      : found.read(inv.name);
  const text = inv.args[at]?.value.text ?? '';
  const callback = text.length > 2 ? text.slice(2) : inv.args[at + 1]?.value.text;
  if (callback === undefined)
    return found.unknown(`${inv.name} -C`, 'callback known only at run time');
  return inv.shell(`${callback} "$__airlock_index" "$__airlock_line"`);
};

/** compgen/complete: `-C CMD` and `-F FUNC` run; `-W WORDS` is expanded (its substitutions run). */
const completion: Handler = async (inv) => {
  const findings: Finding[] = [];
  for (let index = 0; index < inv.args.length; index++) {
    const text = inv.args[index]?.value.text;
    if (text === undefined) return found.unknown(inv.name, 'options known only at run time');
    if (!['-C', '-F', '-W'].includes(text)) continue;
    const value = inv.args[++index];
    if (value === undefined) break;
    if (!value.value.known)
      return found.unknown(`${inv.name} ${text}`, 'code known only at run time');
    if (text === '-W') findings.push(...(await wordListCodes(inv, value.value.text)));
    else findings.push(...(await inv.shell(`${value.value.text} "$__airlock_word"`)));
  }
  return [...found.read(inv.name), ...findings];
};

const WORDS_END = 'AIRLOCK_WORDS_END';

/** The substitutions inside a word list bash expands: judged as the code they are. */
async function wordListCodes(inv: Invocation, text: string): Promise<Finding[]> {
  if (!/[$`]/.test(text)) return [];
  try {
    const parts = parseExpansionText(text);
    if (
      parts.every(
        (part) => part.kind === 'lit' || (part.kind === 'param' && part.nested.length === 0),
      )
    )
      return [];
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
  }
  // A here-document expands like the word list does, whatever quotes the text holds.
  if (text.split('\n').includes(WORDS_END))
    return found.unknown(inv.name, 'word list that cannot be judged');
  return inv.shell(`: <<${WORDS_END}\n${text}\n${WORDS_END}\n`);
}

/** kill sends signals: it changes running programs. */
const kill: Handler = () => found.write('kill');

/**
 * `env [-i] [-u NAME] [NAME=VALUE…] [CMD…]`. Not a builtin, but it lives here because the
 * assignments it makes are judged like the shell's own (assignments.ts): this map wins over
 * exec.ts's `env`, which judged only the command.
 */
const env: Handler = async (inv) => {
  const findings: Finding[] = [];
  let index = 0;
  while (index < inv.args.length) {
    const arg = inv.args[index] as Arg;
    const text = arg.value.text;
    const split = splitAssignment(arg);
    if (text === undefined && split.name === undefined)
      return found.unknown('env', 'arguments known only at run time');
    if (
      text === '-S' ||
      text?.startsWith('--split-string') === true ||
      /^-[a-zA-Z]*S/.test(text ?? '')
    )
      return found.unknown('env -S', 'splits a string into a command');
    if (text === '-C' || text?.startsWith('--chdir') === true)
      return found.unknown('env -C', 'runs the command in another folder');
    if (text === '-u' || text === '--unset') index += 2;
    else if (text !== undefined && text.startsWith('-') && text !== '-') index++;
    else if (split.name !== undefined && split.value !== 'unchanged' && split.value !== 'input') {
      findings.push(...judgeAssignment(split.name, split.value));
      index++;
    } else if (split.value === 'input' && split.name !== undefined) {
      findings.push(...judgeAssignment(split.name, undefined));
      index++;
    } else break;
  }
  const rest = inv.args.slice(index);
  return [
    ...findings,
    ...(rest.length === 0 ? found.read('env') : await inv.exec(rest, inv.stdin)),
  ];
};

/** `coproc CMD`: runs CMD beside the shell. */
const coproc: Handler = (inv) =>
  inv.args.length === 0 ? found.unknown('coproc', 'nothing to run') : inv.exec(inv.args, inv.stdin);

const READS = [
  ':',
  '[',
  '[[',
  'test',
  'true',
  'false',
  'echo',
  'printf',
  'pwd',
  'cd',
  'pushd',
  'popd',
  'dirs',
  'type',
  'help',
  'jobs',
  'bg',
  'fg',
  'disown',
  'wait',
  'suspend',
  'logout',
  'exit',
  'return',
  'break',
  'continue',
  'shift',
  'times',
  'caller',
  'getopts',
  'let',
  'read',
  'unset',
  'unalias',
  'ulimit',
  'umask',
  'declare',
  'typeset',
  'local',
  'export',
  'readonly',
  'set',
  'shopt',
  'compopt',
];

/** Every bash builtin by name (and `env`, see above). */
export const BUILTIN_HANDLERS: Readonly<Record<string, Handler>> = {
  ...Object.fromEntries(READS.map((name) => [name, read])),
  trap,
  alias,
  hash,
  enable,
  fc,
  history,
  bind,
  mapfile,
  readarray: mapfile,
  compgen: completion,
  complete: completion,
  kill,
  coproc,
  env,
};

/**
 * Builtins that run code and keep their handlers where they are: `source`/`.` (a file, scripts.ts
 * or exec.ts), `eval` (its arguments), `builtin`/`command`/`exec` (the rest of their arguments).
 */
const CODE_RUNNERS = ['source', '.', 'eval', 'builtin', 'command', 'exec'];

/** The names bash runs as builtins (before any program of the same name). */
export const BASH_BUILTINS: ReadonlySet<string> = new Set([
  ...Object.keys(BUILTIN_HANDLERS).filter((name) => name !== 'env' && name !== 'coproc'),
  ...CODE_RUNNERS,
]);
