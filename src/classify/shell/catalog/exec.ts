import { parseOptions } from '../options.js';
import { resolvePath } from '../paths.js';
import type { Arg, Finding, Handler, Invocation, Stdin } from '../types.js';
import { DYNAMIC_ARG, found, knownArg } from '../types.js';
import { isInertCode } from './inert-code.js';
import { runShellFile } from './script-files.js';

/**
 * Commands that run other commands: wrappers (sudo, env, nice…), shells given code, eval, and
 * interpreters. What they run is classified in turn; code that cannot be read is `unknown`.
 */

/** A wrapper: its own options (some taking a value), then the command it runs. */
function wrapper(takesValue: readonly string[], leadingOperands = 0): Handler {
  const withValue = new Set(takesValue);
  return async (inv) => {
    let index = 0;
    while (index < inv.args.length) {
      const text = inv.args[index]?.value.text;
      if (text === undefined) return found.unknown(inv.name, 'arguments known only at run time');
      if (text === '--') {
        index++;
        break;
      }
      if (!text.startsWith('-') || text === '-') break;
      if (text === '--help' || text === '--version') return found.read(`${inv.name} ${text}`);
      const name = text.startsWith('--') ? (text.split('=')[0] ?? text) : text.slice(0, 2);
      if (
        withValue.has(name) &&
        !text.includes('=') &&
        (text.startsWith('--') || text.length === 2)
      )
        index++;
      index++;
    }
    index += leadingOperands;
    const rest = inv.args.slice(index);
    if (rest.length === 0) return found.read(inv.name);
    return inv.exec(rest, inv.stdin);
  };
}

/** env: options, NAME=value pairs, then the command; `-S` splits a string into words. */
const env: Handler = async (inv) => {
  let index = 0;
  while (index < inv.args.length) {
    const text = inv.args[index]?.value.text;
    if (text === undefined) return found.unknown('env', 'arguments known only at run time');
    if (text === '-S' || text.startsWith('--split-string'))
      return found.unknown('env -S', 'splits a string into a command');
    if (text === '-u' || text === '--unset' || text === '-C' || text === '--chdir') index += 2;
    else if (text.startsWith('-') && text !== '-') index++;
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) index++;
    else break;
  }
  const rest = inv.args.slice(index);
  return rest.length === 0 ? found.read('env') : inv.exec(rest, inv.stdin);
};

/** `command -v`/`-V`, `type`, `which`: lookups, not runs. */
const command: Handler = (inv) => {
  const first = inv.args[0]?.value.text;
  if (first === '-v' || first === '-V') return found.read('command -v');
  return wrapper(['-p'])(inv);
};

/** xargs: the command gets arguments from standard input, which only the run knows. */
const xargs: Handler = async (inv) => {
  const withValue = new Set([
    '-I',
    '-i',
    '-L',
    '-l',
    '-n',
    '-P',
    '-d',
    '-a',
    '-s',
    '-E',
    '-e',
    '--max-args',
    '--max-procs',
    '--delimiter',
    '--arg-file',
    '--replace',
    '--max-lines',
    '--eof',
  ]);
  let index = 0;
  let replace: string | undefined;
  while (index < inv.args.length) {
    const text = inv.args[index]?.value.text;
    if (text === undefined) return found.unknown('xargs', 'arguments known only at run time');
    if (!text.startsWith('-')) break;
    if (text === '-I' || text === '--replace') replace = inv.args[index + 1]?.value.text ?? '{}';
    else if (text.startsWith('-I')) replace = text.slice(2);
    if (withValue.has(text)) index++;
    index++;
  }
  const rest = inv.args.slice(index);
  if (rest.length === 0) return found.read('xargs echo');
  const argv =
    replace === undefined
      ? [...rest, DYNAMIC_ARG]
      : rest.map((arg) => (arg.value.text?.includes(replace as string) ? DYNAMIC_ARG : arg));
  return inv.exec(argv);
};

/** sh, bash, zsh…: `-c CODE` is parsed; code from stdin is parsed when known; a script file is run. */
const shell: Handler = async (inv) => {
  let index = 0;
  let code: string | undefined;
  let fromStdin = false;
  while (index < inv.args.length) {
    const text = inv.args[index]?.value.text;
    if (text === undefined) return found.unknown(inv.name, 'arguments known only at run time');
    if (text === '--') {
      index++;
      break;
    }
    if (!text.startsWith('-') && !text.startsWith('+')) break;
    if (text === '--help' || text === '--version') return found.read(`${inv.name} ${text}`);
    if (
      text === '-o' ||
      text === '+o' ||
      text === '-O' ||
      text === '+O' ||
      text === '--rcfile' ||
      text === '--init-file'
    )
      index++;
    else if (!text.startsWith('--') && text.includes('c')) {
      const next = inv.args[index + 1];
      if (next === undefined) return found.unknown(inv.name, '-c without code');
      if (!next.value.known) return found.unknown(`${inv.name} -c`, 'code known only at run time');
      code = next.value.text;
      break;
    } else if (!text.startsWith('--') && text.includes('s')) fromStdin = true;
    index++;
  }
  if (code !== undefined) return inv.shell(code);
  const script = inv.args[index];
  if (script !== undefined && !fromStdin) return runShellScript(inv, script);
  return codeFromStdin(inv, inv.stdin);
};

function codeFromStdin(inv: Invocation, stdin: Stdin): Promise<Finding[]> | Finding[] {
  if (stdin.kind === 'text') return inv.shell(stdin.text);
  if (stdin.kind === 'none') return found.unknown(inv.name, 'interactive shell');
  return found.unknown(inv.name, 'runs code known only at run time');
}

/** `bash FILE`, `source FILE`: the file's text is read and judged as shell code (see script-files.ts). */
function runShellScript(inv: Invocation, script: Arg): Promise<Finding[]> | Finding[] {
  const text = script.value.known && !script.value.glob ? script.value.text : undefined;
  const path = text === undefined ? undefined : resolvePath(text, inv.cwd);
  if (text === undefined || path === undefined)
    return found.unknown(`${inv.name} script`, 'script known only at run time');
  return runShellFile(inv, text, path);
}

/** `python FILE`, `node FILE`…: a program in another language, which Airlock does not look into. */
function runProgramScript(inv: Invocation, script: Arg): Finding[] {
  const text = script.value.known && !script.value.glob ? script.value.text : undefined;
  const path = text === undefined ? undefined : resolvePath(text, inv.cwd);
  if (path === undefined)
    return found.unknown(`${inv.name} script`, 'script known only at run time');
  return found.execute(`${inv.name} script (a program Airlock does not look into)`, [
    { type: 'path', id: path },
  ]);
}

/** eval: its arguments joined by spaces are parsed again as shell code. */
const evalHandler: Handler = (inv) => {
  if (inv.args.some((arg) => !arg.value.known))
    return found.unknown('eval', 'code known only at run time');
  return inv.shell(inv.args.map((arg) => arg.value.text).join(' '));
};

/** source / `.`: runs a file in this shell. */
const source: Handler = (inv) =>
  inv.args[0] === undefined ? found.unknown(inv.name, 'no file') : runShellScript(inv, inv.args[0]);

/** Interpreters given code inline: only provably inert code (printing literals) is let through. */
function interpreter(
  language: 'python' | 'javascript' | 'other',
  inline: readonly string[],
  benign: readonly string[] = [],
): Handler {
  return (inv) => {
    const first = inv.args[0]?.value.text;
    if (first === undefined)
      return inv.args.length === 0
        ? codeFromInterpreterStdin(inv)
        : found.unknown(inv.name, 'arguments known only at run time');
    if (['--version', '-V', '--help', '-h', '-v'].includes(first))
      return found.read(`${inv.name} ${first}`);
    for (let index = 0; index < inv.args.length; index++) {
      const text = inv.args[index]?.value.text;
      if (text === undefined) return found.unknown(inv.name, 'arguments known only at run time');
      if (inline.includes(text)) {
        const code = inv.args[index + 1]?.value;
        if (code?.known === true && language !== 'other' && isInertCode(code.text, language))
          return found.read(`${inv.name} ${text} (prints literals)`);
        return found.unknown(`${inv.name} ${text}`, 'code in another language');
      }
      if (text === '-m' && benign.includes(inv.args[index + 1]?.value.text ?? ''))
        return found.write(`${inv.name} -m ${inv.args[index + 1]?.value.text}`);
      if (text === '-m') {
        const module = inv.args[index + 1]?.value.text;
        return module === undefined
          ? found.unknown(`${inv.name} -m`, 'module known only at run time')
          : found.execute(`${inv.name} -m ${module} (a program Airlock does not look into)`);
      }
      if (!text.startsWith('-')) {
        if (
          text.endsWith('manage.py') &&
          ['flush', 'sqlflush', 'reset_db', 'dbshell'].includes(
            inv.args[index + 1]?.value.text ?? '',
          )
        ) {
          return found.destroy(`manage.py ${inv.args[index + 1]?.value.text}`);
        }
        return runProgramScript(inv, inv.args[index] as Arg);
      }
    }
    return codeFromInterpreterStdin(inv);
  };
}

function codeFromInterpreterStdin(inv: Invocation): Finding[] {
  return inv.stdin.kind === 'none'
    ? found.unknown(inv.name, 'interactive interpreter')
    : found.unknown(inv.name, 'runs code read from standard input');
}

/** deno: `eval` and `task` (deno.json tasks, not read) are unknown; running a program is `execute`. */
const deno: Handler = (inv) => {
  const sub = inv.args.find(
    (arg) => arg.value.text === undefined || !arg.value.text.startsWith('-'),
  );
  const first = inv.args[0]?.value.text;
  if (first === '--version' || first === '-V' || first === '--help' || first === '-h')
    return found.read(`deno ${first}`);
  if (sub === undefined) return found.unknown('deno', 'interactive interpreter');
  const name = sub.value.text;
  if (name === undefined) return found.unknown('deno', 'arguments known only at run time');
  if (name === 'eval' || name === 'repl')
    return found.unknown(`deno ${name}`, 'code in another language');
  if (name === 'task') return found.unknown('deno task', 'tasks in deno.json are not read');
  return found.execute(`deno ${name} (a program Airlock does not look into)`);
};

/** `watch CMD…` and `su -c`, `ssh host CMD`: a command string run by a shell. */
const watch: Handler = (inv) => {
  const options = parseOptions(inv.args, new Set(['-n', '--interval', '-d']), false);
  if (options.dynamic) return found.unknown('watch', 'command known only at run time');
  return inv.shell(options.operands.map((arg) => arg.value.text).join(' '));
};

const su: Handler = (inv) => {
  const index = inv.args.findIndex(
    (arg) => arg.value.text === '-c' || arg.value.text === '--command',
  );
  if (index < 0) return found.unknown('su', 'interactive shell as another user');
  const code = inv.args[index + 1]?.value;
  return code?.known === true
    ? inv.shell(code.text)
    : found.unknown('su -c', 'code known only at run time');
};

const PY_BENIGN = [
  'pytest',
  'unittest',
  'pip',
  'venv',
  'mypy',
  'black',
  'ruff',
  'build',
  'json.tool',
  'py_compile',
  'compileall',
  'coverage',
];
const TIME: Handler = wrapper(['-f', '--format', '-o', '--output']);

/** Commands that run other commands, by name. */
export const EXEC_HANDLERS: Readonly<Record<string, Handler>> = {
  sudo: wrapper([
    '-u',
    '--user',
    '-g',
    '--group',
    '-h',
    '--host',
    '-p',
    '--prompt',
    '-C',
    '--close-from',
    '-D',
    '--chdir',
    '-r',
    '--role',
    '-t',
    '--type',
    '-T',
    '--command-timeout',
    '-U',
    '--other-user',
  ]),
  doas: wrapper(['-u', '-C']),
  env,
  command,
  builtin: wrapper([]),
  exec: wrapper(['-a']),
  nice: wrapper(['-n', '--adjustment']),
  nohup: wrapper([]),
  setsid: wrapper([]),
  stdbuf: wrapper(['-i', '-o', '-e', '--input', '--output', '--error']),
  ionice: wrapper(['-c', '-n', '-p', '--class', '--classdata']),
  chrt: wrapper([], 1),
  taskset: wrapper([], 1),
  timeout: wrapper(['-s', '--signal', '-k', '--kill-after'], 1),
  time: TIME,
  unbuffer: wrapper([]),
  caffeinate: wrapper(['-t', '-w']),
  flock: wrapper(['-w', '--timeout', '-E', '--conflict-exit-code'], 1),
  xargs,
  parallel: () => found.unknown('parallel', 'builds commands at run time'),
  sh: shell,
  bash: shell,
  dash: shell,
  zsh: shell,
  ksh: shell,
  ash: shell,
  fish: () => found.unknown('fish', 'not a POSIX shell'),
  eval: evalHandler,
  source,
  '.': source,
  watch,
  su,
  ssh: () => found.unknown('ssh', 'runs commands on another machine'),
  python: interpreter('python', ['-c'], PY_BENIGN),
  python3: interpreter('python', ['-c'], PY_BENIGN),
  python2: interpreter('python', ['-c']),
  node: interpreter('javascript', ['-e', '--eval', '-p', '--print']),
  deno,
  bun: interpreter('other', ['-e', '--eval']),
  ruby: interpreter('other', ['-e']),
  perl: interpreter('other', ['-e', '-E']),
  php: interpreter('other', ['-r']),
  lua: interpreter('other', ['-e']),
  awk: (inv) => awk(inv),
  gawk: (inv) => awk(inv),
  mawk: (inv) => awk(inv),
};

/** awk programs are code too; only those that cannot run commands or write files are reads. */
function awk(inv: Invocation): Finding[] {
  const options = parseOptions(
    inv.args,
    new Set(['-F', '-v', '-f', '--field-separator', '--assign', '--file']),
    false,
  );
  if (options.values.has('-f') || options.values.has('--file'))
    return found.unknown('awk -f', 'program in a file');
  const program = options.operands[0]?.value;
  if (program === undefined || !program.known)
    return found.unknown('awk', 'program known only at run time');
  if (/system|getline|\||>|\bclose\b/.test(program.text))
    return found.unknown('awk', 'program may run commands or write files');
  return found.read('awk');
}

/** A known argument list for the catalogs that synthesize one. */
export { knownArg };
