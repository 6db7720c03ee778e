import type { Effect } from '../../../core/index.js';
import { worseEffect } from '../../../core/index.js';
import { deletionLoss, isInside, resolvePath } from '../paths.js';
import type { Arg, Finding, Handler, Invocation } from '../types.js';
import { DYNAMIC_ARG, found, knownArg } from '../types.js';
import type { GivenOption } from './command-options.js';
import { readCommandArgs } from './command-options.js';
import type { CommandSpec, OperandUse, OptionSpec } from './command-schema.js';
import { derivedOutputs } from './derived-outputs.js';
import { lossFinding, writeFinding } from './files.js';

/**
 * Judges one command from its catalog entry: what its options and operands do, not its name.
 * An option that writes a file makes the command a write to that path (judged by the loss
 * rules), an option that runs a program is judged as that program, shell code is parsed, code in
 * another language is `unknown`.
 */
export function handlerFromSpec(spec: CommandSpec): Handler {
  return async (inv) => {
    const only = inv.args.length === 1 ? inv.args[0]?.value.text : undefined;
    // `PROG --version` and `PROG --help` print and exit, whatever the program.
    if (only === '--version' || only === '--help' || only === '-version')
      return found.read(`${inv.name} ${only}`);
    const parsed = readCommandArgs(inv.args, spec);
    const findings: Finding[] = [];
    if (spec.otherOptions === 'unknown') {
      if (parsed.unlisted.length > 0)
        findings.push(
          ...found.unknown(
            `${inv.name} ${parsed.unlisted[0]}`,
            'an option Airlock does not know for this command',
          ),
        );
      else if (parsed.dynamic)
        findings.push(...found.unknown(inv.name, 'arguments known only at run time'));
    }
    const names = new Set(
      parsed.given.flatMap((given) => given.specs.flatMap((option) => option.names)),
    );
    const applied = parsed.given.map((given) => ({ given, options: applicable(given, names) }));
    const effects = applied.flatMap(({ options }) =>
      options.flatMap((option) => (option.effect === undefined ? [] : [option.effect])),
    );
    const effect = effects.length > 0 ? worst(effects) : spec.effect;
    const overrides = applied.flatMap(({ options }) =>
      options.flatMap((option) => (option.operands === undefined ? [] : [option.operands])),
    );
    let work: string | undefined = inv.cwd;
    for (const { given, options } of applied) {
      if (options.some((option) => option.does === 'chdir'))
        work =
          given.value?.value.known === true ? resolvePath(given.value.value.text, work) : undefined;
    }
    const at: Invocation = { ...inv, cwd: work };
    // An option changes how file operands are used; operands that are data (a mode, a pattern) stay data.
    const uses = parsed.operands.map((arg, index) => {
      const base = operandUse(spec, index, parsed.operands.length);
      return { arg, use: overrides.length > 0 && base !== 'data' ? worstUse(overrides) : base };
    });
    // Read operands are targets of a read only: the write log must not take `tar czf x.tgz src` for a write to src.
    const read = uses
      .filter(({ use }) => use === 'read')
      .flatMap(({ arg }) => pathTarget(arg, work));
    const written = uses
      .filter(({ use }) => use === 'written')
      .flatMap(({ arg }) => pathTarget(arg, work));
    if (effect === 'read') {
      findings.push({ operation: inv.name, effect, targets: read });
      if (written.length > 0) findings.push(...found.write(inv.name, written));
    } else {
      findings.push({ operation: inv.name, effect, targets: written });
      if (read.length > 0) findings.push(...found.read(inv.name, read));
    }
    findings.push(...(await operandFindings(inv.name, at, uses)));
    if (spec.outputs !== undefined)
      findings.push(...derivedOutputs(spec.outputs, at, parsed, effect));
    for (const { given, options } of applied)
      for (const option of options)
        findings.push(...(await optionFindings(inv.name, at, given, option)));
    if (spec.stdin === 'code' && (inv.stdin.kind !== 'none' || parsed.operands.length === 0))
      findings.push(...found.unknown(inv.name, 'runs code read from standard input'));
    return findings;
  };
}

/** The catalog options an occurrence stands for: those whose `when` holds win over those without. */
function applicable(given: GivenOption, names: ReadonlySet<string>): OptionSpec[] {
  const conditional = given.specs.filter(
    (option) => option.when?.some((name) => names.has(name)) === true,
  );
  return conditional.length > 0
    ? conditional
    : given.specs.filter((option) => option.when === undefined);
}

function operandUse(spec: CommandSpec, index: number, count: number): OperandUse {
  const positions = spec.operands.positions;
  return (
    positions[String(index)] ??
    (index === count - 1 && count > 1 ? positions.last : undefined) ??
    spec.operands.default
  );
}

const USE_ORDER: readonly OperandUse[] = [
  'data',
  'read',
  'written',
  'overwritten',
  'deleted',
  'code',
  'shell',
];

function worst(effects: readonly Effect[]): Effect {
  return effects.reduce(worseEffect);
}

function worstUse(uses: readonly OperandUse[]): OperandUse {
  return uses.reduce((a, b) => (USE_ORDER.indexOf(b) > USE_ORDER.indexOf(a) ? b : a));
}

function pathTarget(arg: Arg, cwd: string | undefined): { type: string; id: string }[] {
  if (!arg.value.known) return [];
  return [{ type: 'path', id: resolvePath(arg.value.text, cwd) ?? arg.value.text }];
}

async function operandFindings(
  name: string,
  inv: Invocation,
  uses: readonly { arg: Arg; use: OperandUse }[],
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const overwritten = uses.filter(({ use }) => use === 'overwritten').map(({ arg }) => arg);
  const deleted = uses.filter(({ use }) => use === 'deleted').map(({ arg }) => arg);
  if (overwritten.length > 0)
    findings.push(...overwritten.flatMap((arg) => writeFinding(name, inv, arg, true)));
  if (deleted.length > 0) findings.push(...lossFinding(`${name} (deletes)`, inv, deleted, true));
  for (const { arg, use } of uses) {
    if (use === 'code')
      findings.push(
        ...found.unknown(name, 'runs a program in another language', pathTarget(arg, inv.cwd)),
      );
    if (use === 'shell')
      findings.push(
        ...(arg.value.known
          ? await inv.shell(arg.value.text)
          : found.unknown(name, 'shell code known only at run time')),
      );
  }
  return findings;
}

async function optionFindings(
  name: string,
  inv: Invocation,
  given: GivenOption,
  option: OptionSpec,
): Promise<Finding[]> {
  const op = `${name} ${given.written}`;
  const value = given.value;
  const flag =
    option.takesValue === false || (option.takesValue === 'optional' && value === undefined);
  switch (option.does) {
    case 'harmless':
    case 'reads':
    case 'chdir':
      return [];
    case 'writes':
      return flag
        ? folderFinding(op, inv, false)
        : writeFinding(op, inv, value ?? DYNAMIC_ARG, false);
    case 'overwrites':
      return flag
        ? folderFinding(op, inv, true)
        : writeFinding(op, inv, value ?? DYNAMIC_ARG, true);
    case 'deletes':
      return flag
        ? folderFinding(op, inv, true)
        : lossFinding(op, inv, [value ?? DYNAMIC_ARG], false);
    case 'runs':
      return option.takesValue === 'rest'
        ? runArgv(op, inv, given.rest)
        : runProgram(op, inv, value);
    case 'runs-shell':
      return value?.value.known === true
        ? inv.shell(value.value.text)
        : found.unknown(op, 'shell code known only at run time');
    case 'runs-code':
      return found.unknown(op, 'runs code in another language');
    case 'unknown':
      return found.unknown(op, option.why);
  }
}

/** Files the run names (an archive's members, a patch's files) changed in the work folder. */
function folderFinding(op: string, inv: Invocation, loses: boolean): Finding[] {
  const folder = inv.cwd;
  if (folder === undefined) return found.unknown(op, 'working folder known only at run time');
  const targets = [{ type: 'path', id: folder }];
  if (!loses) return found.write(op, targets);
  // Inside the project, git keeps what was tracked; anywhere else the folder's content is at stake.
  const inProject =
    inv.project !== undefined &&
    (folder === inv.project || isInside(folder, inv.project)) &&
    !`${folder}/`.includes('/.git/');
  if (inProject) return found.write(op, targets);
  return deletionLoss(folder, true, inv.project) === 'cheap'
    ? found.write(op, targets)
    : found.destroy(op, targets);
}

/** A program named by an option value (`sort --compress-program=PROG`): judged as that program, given arguments the run chooses. */
function runProgram(
  op: string,
  inv: Invocation,
  value: Arg | undefined,
): Promise<Finding[]> | Finding[] {
  if (value === undefined || !value.value.known)
    return found.unknown(op, 'program known only at run time');
  const text = value.value.text.trim();
  if (/^[\w./=:,+@%~-]+( +[\w./=:,+@%~-]+)*$/.test(text))
    return inv.exec([...text.split(/ +/).map(knownArg), DYNAMIC_ARG]);
  // Quotes or shell syntax: judge it as shell code, which covers what word splitting would run.
  return inv.shell(text);
}

/** A command given as the rest of the arguments (`fd -x CMD…`): `{}` and the appended path are the run's. */
function runArgv(
  op: string,
  inv: Invocation,
  argv: readonly Arg[],
): Promise<Finding[]> | Finding[] {
  if (argv.length === 0) return found.unknown(op, 'no command');
  const replaced = argv.map((arg) =>
    arg.value.known && arg.value.text.includes('{') ? DYNAMIC_ARG : arg,
  );
  return inv.exec(
    replaced.length === argv.length && replaced.every((arg, index) => arg === argv[index])
      ? [...argv, DYNAMIC_ARG]
      : replaced,
  );
}
