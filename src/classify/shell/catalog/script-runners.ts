import type { Arg, Finding, Handler, Invocation } from '../types.js';
import { found, knownArg } from '../types.js';

/**
 * Packages whose programs run other package scripts or command lines given as arguments, common
 * in package.json scripts: npm-run-all (`run-s`, `run-p`, `npm-run-all`) and concurrently. What
 * they run is judged (`npm run NAME`, or the command text); a pattern or an option this reading
 * does not know is `unknown`, since a package's program would otherwise hide a destructive script.
 */

/** npm-run-all's options that take a value (the next word). */
const RUN_ALL_VALUES = new Set(['--npm-path', '--max-parallel']);
const RUN_ALL_FLAGS = new Set([
  '-s',
  '--sequential',
  '--serial',
  '-p',
  '--parallel',
  '-c',
  '--continue-on-error',
  '--aggregate-output',
  '--race',
  '-r',
  '--silent',
  '--print-label',
  '-l',
  '--print-name',
  '-n',
]);
/** concurrently's options that take a value. */
const CONCURRENTLY_VALUES = new Set([
  '-n',
  '--names',
  '-c',
  '--prefix-colors',
  '-p',
  '--prefix',
  '-l',
  '--prefix-length',
  '-t',
  '--timestamp-format',
  '-s',
  '--success',
  '--restart-tries',
  '--restart-after',
  '-m',
  '--max-processes',
  '--name-separator',
  '--default-input-target',
  '--pad-prefix',
  '--handle-input-target',
]);
const CONCURRENTLY_FLAGS = new Set([
  '-k',
  '--kill-others',
  '--kill-others-on-fail',
  '-r',
  '--raw',
  '--no-color',
  '--hide',
  '-i',
  '--handle-input',
  '--group',
  '--timings',
  '-P',
  '--passthrough-arguments',
]);

/** `run-s a b`, `run-p a b`, `npm-run-all a b`: each named script, as `npm run NAME` would run it. */
const runAll: Handler = async (inv) => {
  const names = operands(inv, RUN_ALL_VALUES, RUN_ALL_FLAGS);
  if ('why' in names) return found.unknown(inv.name, names.why);
  const findings: Finding[] = [];
  for (const name of names.words) {
    if (/[*?{}[\]!]/.test(name))
      return [
        ...findings,
        ...found.unknown(inv.name, `the script pattern \`${name}\` is not expanded`),
      ];
    // `run-s "build -- --watch"`: arguments inside a name are passed to the script.
    findings.push(...(await inv.exec(['npm', 'run', ...name.split(/\s+/)].map(knownArg))));
  }
  return findings;
};

/** `concurrently "cmd" "npm:script"`: each argument is a command line, or an npm script. */
const concurrently: Handler = async (inv) => {
  const commands = operands(inv, CONCURRENTLY_VALUES, CONCURRENTLY_FLAGS);
  if ('why' in commands) return found.unknown('concurrently', commands.why);
  const findings: Finding[] = [];
  for (const command of commands.words) {
    const script = /^(npm|yarn|pnpm|bun):(.*)$/.exec(command);
    if (script !== null && /[*?{}[\]!]/.test(script[2] ?? ''))
      return [
        ...findings,
        ...found.unknown('concurrently', `the script pattern \`${command}\` is not expanded`),
      ];
    findings.push(
      ...(await (script === null
        ? inv.shell(command)
        : inv.exec([script[1] ?? 'npm', 'run', ...(script[2] ?? '').split(/\s+/)].map(knownArg)))),
    );
  }
  return findings;
};

/** The words after the program's options; an option this reading does not know ends it. */
function operands(
  inv: Invocation,
  values: ReadonlySet<string>,
  flags: ReadonlySet<string>,
): { words: string[] } | { why: string } {
  const words: string[] = [];
  const texts = inv.args.map((arg: Arg) =>
    arg.value.known && !arg.value.glob ? arg.value.text : undefined,
  );
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index];
    if (text === undefined) return { why: 'arguments known only at run time' };
    if (text === '--') return { why: 'arguments passed on to the scripts' };
    if (!text.startsWith('-')) {
      words.push(text);
      continue;
    }
    const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
    if (values.has(name) && !text.includes('=')) index++;
    else if (!values.has(name) && !flags.has(name))
      return { why: `the option \`${name}\` is not known here` };
  }
  return { words };
}

/** The script runners, by program name. */
export const SCRIPT_RUNNER_HANDLERS: Readonly<Record<string, Handler>> = {
  'run-s': runAll,
  'run-p': runAll,
  'npm-run-all': runAll,
  concurrently,
};
