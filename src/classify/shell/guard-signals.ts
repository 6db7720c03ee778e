import { posix } from 'node:path';
import { couldMatch } from './guard-paths.js';
import { parseOptions } from './options.js';
import type { Arg, GuardedProcess, GuardSettings, Invocation } from './types.js';

/**
 * Signals to Airlock's processes: `kill PID` of a live Airlock process (or its group, or every
 * process), `pkill`/`killall` whose pattern matches an Airlock command line, `systemctl stop airlock`.
 * pkill patterns are regular expressions, so each is tested against the live Airlock processes and
 * against the command lines Airlock always runs under (so `pkill -f 'airl.ck'` is caught even when
 * no server runs). A pid only the run knows (`xargs kill`, `kill $(…)`) counts when the same line
 * looks Airlock's processes up (`pgrep airlock`): see `Signal.lookup` and guard.ts.
 */

/** What one command does to Airlock's processes. */
export type Signal =
  | { readonly kind: 'none' }
  /** It signals (or stops, or attaches to) an Airlock process: denied. */
  | { readonly kind: 'signals'; readonly what: string }
  /** It sends a signal to a pid only the run knows. */
  | { readonly kind: 'dynamic' }
  /** It finds Airlock's pids (`pgrep -f airlock`, `pidof airlock-hook`, `ps | grep airlock`). */
  | { readonly kind: 'lookup' };

const NONE: Signal = { kind: 'none' };

/** Command lines Airlock runs under wherever it is installed (the hook, the CLI, the server). */
const CANONICAL: readonly GuardedProcess[] = [
  {
    pid: -1,
    name: 'airlock-hook',
    commandLine: '/usr/lib/node_modules/airlock/dist/hook/airlock-hook claude',
  },
  { pid: -1, name: 'airlock', commandLine: 'airlock serve' },
  {
    pid: -1,
    name: 'airlock.js',
    commandLine: 'node /usr/lib/node_modules/airlock/bin/airlock.js serve',
  },
  {
    pid: -1,
    name: 'airlock-hook.cj',
    commandLine: 'node /usr/lib/node_modules/airlock/bin/airlock-hook.cjs claude',
  },
];
/** systemctl verbs that stop, restart or keep a unit from starting. */
const SYSTEMCTL_STOPS = new Set([
  'stop',
  'kill',
  'restart',
  'try-restart',
  'reload-or-restart',
  'try-reload-or-restart',
  'condrestart',
  'force-reload',
  'disable',
  'mask',
  'edit',
  'revert',
  'set-property',
  'freeze',
  'clean',
  'reenable',
  'link',
  'unmask',
  'preset',
]);
const LAUNCHCTL_STOPS = new Set(['unload', 'bootout', 'remove', 'kill', 'stop', 'disable']);
/** Tools that attach to a process by pid: reading its memory is reading its secrets. */
const ATTACHES = new Set([
  'gdb',
  'strace',
  'ltrace',
  'perf',
  'renice',
  'prlimit',
  'ionice',
  'taskset',
  'nsenter',
  'gcore',
  'pstack',
  'lldb',
]);
/** Values of pkill/pgrep options that take one (the pattern is the first operand after them). */
const PGREP_VALUES = new Set([
  '-s',
  '-t',
  '-u',
  '-U',
  '-g',
  '-G',
  '-P',
  '-F',
  '-d',
  '--signal',
  '--delimiter',
  '--session',
  '--terminal',
  '--euid',
  '--uid',
  '--group',
  '--pgroup',
  '--parent',
  '--pidfile',
  '--ns',
  '--nslist',
  '--env',
  '-q',
  '--queue',
]);

/** How `inv` touches Airlock's processes. */
export function signalOf(inv: Invocation, guard: GuardSettings): Signal {
  switch (inv.name) {
    case 'kill':
      return kill(inv.args, guard);
    case 'pkill':
    case 'pgrep': {
      const matched = pgrepMatches(inv.args, guard);
      if (matched === undefined) return NONE;
      return inv.name === 'pkill'
        ? { kind: 'signals', what: `Airlock's processes matched by ${matched}` }
        : { kind: 'lookup' };
    }
    case 'killall':
    case 'pidof': {
      const matched = byName(inv.args, guard);
      if (matched === undefined) return NONE;
      return inv.name === 'killall'
        ? { kind: 'signals', what: `Airlock's processes matched by ${matched}` }
        : { kind: 'lookup' };
    }
    case 'grep':
    case 'egrep':
    case 'fgrep':
    case 'rg':
    case 'awk':
      // Only Airlock's usual command lines, not the live ones: grep is common, and a /proc scan is not free.
      return inv.args.some(
        (arg) =>
          arg.value.known &&
          patternMatches(
            arg.value.text.replace(/^\/|\/.*$/g, ''),
            { full: true, exact: false, ignoreCase: true },
            {},
          ),
      )
        ? { kind: 'lookup' }
        : NONE;
    case 'systemctl':
      return service(inv.args, SYSTEMCTL_STOPS);
    case 'service':
      return inv.args.some((arg) => isAirlockUnit(arg)) &&
        inv.args.some((arg) => /^(stop|restart|force-reload|reload)$/.test(arg.value.text ?? ''))
        ? { kind: 'signals', what: 'the Airlock service' }
        : NONE;
    case 'launchctl':
      return service(inv.args, LAUNCHCTL_STOPS);
    default:
      if (!ATTACHES.has(inv.name)) return NONE;
      return inv.args.some((arg) => isAirlockPid(arg.value.text, guard))
        ? { kind: 'signals', what: 'an Airlock process' }
        : NONE;
  }
}

/** `kill [-SIG | -s SIG | -n NUM] PID…`: a live Airlock pid, its group, or -1 (every process). */
function kill(args: readonly Arg[], guard: GuardSettings): Signal {
  let index = 0;
  let dynamic = false;
  while (index < args.length) {
    const text = args[index]?.value.text;
    if (text === '-l' || text === '-L' || text === '--list' || text === '--table') return NONE;
    if (text === '-s' || text === '-n' || text === '--signal') index += 2;
    else if (text === '--') {
      index++;
      break;
    } else if (text !== undefined && /^-[A-Za-z]/.test(text)) index++;
    else if (text !== undefined && /^-\d+$/.test(text) && index === 0 && args.length > 1) index++;
    else break;
  }
  for (const arg of args.slice(index)) {
    const text = arg.value.text;
    if (text === undefined) {
      // `$!` is the shell's own last background job, never Airlock.
      if (!/^"?\$(!|\{!\})"?$/.test(arg.word?.raw ?? '')) dynamic = true;
      continue;
    }
    if (text === '-1') return { kind: 'signals', what: "every process, Airlock's too" };
    if (
      /^-\d+$/.test(text) &&
      processes(guard).some((process) => process.pgid === Number(text.slice(1)))
    )
      return { kind: 'signals', what: `Airlock's process group ${text.slice(1)}` };
    if (isAirlockPid(text, guard)) return { kind: 'signals', what: `Airlock's process ${text}` };
  }
  return dynamic ? { kind: 'dynamic' } : NONE;
}

function isAirlockPid(text: string | undefined, guard: GuardSettings): boolean {
  if (text === undefined || !/^\d+$/.test(text)) return false;
  const pid = Number(text);
  return processes(guard, pid).some((process) => process.pid === pid);
}

function processes(
  guard: Pick<GuardSettings, 'processes'>,
  pid?: number,
): readonly GuardedProcess[] {
  return guard.processes?.(pid) ?? [];
}

/** The pattern pkill/pgrep was given when it matches an Airlock process; undefined otherwise. */
function pgrepMatches(args: readonly Arg[], guard: GuardSettings): string | undefined {
  const options = parseOptions(withoutSignal(args), PGREP_VALUES);
  const pidfile = options.values.get('-F') ?? options.values.get('--pidfile');
  if (pidfile !== undefined)
    return pidfile.some((file) => /airlock/i.test(file)) ? pidfile.join(' ') : undefined;
  const pattern = options.operands[0];
  // No pattern: every process of a user, a group, a terminal… Airlock's among them.
  if (pattern === undefined)
    return options.flags.size > 0 ? '(every process it selects)' : undefined;
  if (!pattern.value.known) return '(a pattern known only at run time)';
  const how = {
    full: options.flags.has('-f') || options.flags.has('--full'),
    exact: options.flags.has('-x') || options.flags.has('--exact'),
    ignoreCase: options.flags.has('-i') || options.flags.has('--ignore-case'),
  };
  return patternMatches(pattern.value.text, how, guard) ? pattern.value.text : undefined;
}

/** `pkill -9 x`, `killall -KILL x`: a signal first, not options. */
function withoutSignal(args: readonly Arg[]): readonly Arg[] {
  const first = args[0]?.value.text;
  return first !== undefined && /^-(\d+|[A-Z][A-Z0-9+-]*)$/.test(first) ? args.slice(1) : args;
}

/** Does the (extended) regular expression match an Airlock process's name or, with `full`, its command line? */
function patternMatches(
  pattern: string,
  how: { full: boolean; exact: boolean; ignoreCase: boolean },
  guard: Pick<GuardSettings, 'processes'>,
): boolean {
  let regexp: RegExp;
  try {
    regexp = new RegExp(
      how.exact ? `^(?:${toJsRegExp(pattern)})$` : toJsRegExp(pattern),
      how.ignoreCase ? 'i' : '',
    );
  } catch {
    // A pattern JavaScript cannot read may still match for procps: assume it does.
    return true;
  }
  return [...processes(guard), ...CANONICAL].some((process) =>
    regexp.test(how.full ? process.commandLine : process.name.slice(0, 15)),
  );
}

/** POSIX classes and word anchors as JavaScript writes them. */
function toJsRegExp(pattern: string): string {
  const classes: Record<string, string> = {
    alpha: 'a-zA-Z',
    digit: '0-9',
    alnum: 'a-zA-Z0-9',
    upper: 'A-Z',
    lower: 'a-z',
    space: '\\s',
    punct: '!-/:-@[-`{-~',
    xdigit: '0-9a-fA-F',
    word: '\\w',
  };
  return pattern
    .replace(/\[:(\w+):\]/g, (whole, name: string) => classes[name] ?? whole)
    .replace(/\\[<>]/g, '\\b');
}

/** killall/pidof: names (globs for killall -r are regular expressions) that name an Airlock process. */
function byName(args: readonly Arg[], guard: GuardSettings): string | undefined {
  const options = parseOptions(
    withoutSignal(args),
    new Set([
      '-s',
      '--signal',
      '-u',
      '--user',
      '-o',
      '--older-than',
      '-y',
      '--younger-than',
      '-n',
      '--ns',
    ]),
  );
  const regex = options.flags.has('-r') || options.flags.has('--regexp');
  const ignoreCase = options.flags.has('-I') || options.flags.has('--ignore-case');
  for (const operand of options.operands) {
    if (!operand.value.known) return '(a name known only at run time)';
    const name = operand.value.text;
    const all = [...processes(guard), ...CANONICAL];
    const names = all.flatMap((process) => [
      process.name,
      ...process.commandLine
        .split(' ')
        .slice(0, 2)
        .map((word) => posix.basename(word)),
    ]);
    if (
      regex
        ? patternMatches(name, { full: false, exact: false, ignoreCase }, guard)
        : names.some((candidate) =>
            ignoreCase ? candidate.toLowerCase() === name.toLowerCase() : candidate === name,
          )
    )
      return name;
  }
  // killall with only -u USER (or similar): every process of that user.
  return options.operands.length === 0 &&
    options.flags.size > 0 &&
    !options.flags.has('-l') &&
    !options.flags.has('--list') &&
    !options.flags.has('-V')
    ? '(every process it selects)'
    : undefined;
}

/** systemctl/launchctl: a verb that stops or disables, and a unit that could be Airlock's. */
function service(args: readonly Arg[], stops: ReadonlySet<string>): Signal {
  const operands = parseOptions(
    args,
    new Set([
      '-H',
      '--host',
      '-M',
      '--machine',
      '-t',
      '--type',
      '-s',
      '--signal',
      '-p',
      '--property',
      '--state',
      '--root',
      '--kill-whom',
      '--kill-value',
      '--job-mode',
    ]),
  ).operands;
  const verb = operands[0]?.value.text;
  if (verb === undefined || !stops.has(verb)) return NONE;
  return operands.slice(1).some((arg) => isAirlockUnit(arg))
    ? { kind: 'signals', what: 'the Airlock service' }
    : NONE;
}

/** `airlock`, `airlock.service`, `air*`, `gui/501/com.x.airlock`, or a name only the run knows. */
function isAirlockUnit(arg: Arg): boolean {
  if (!arg.value.known) return true;
  const text = arg.value.text;
  const last = text.split('/').pop() ?? text;
  return (
    /airlock/i.test(text) || couldMatch(last, 'airlock.service') || couldMatch(last, 'airlock')
  );
}
