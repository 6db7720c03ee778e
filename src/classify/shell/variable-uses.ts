import type { Word } from './ast.js';
import type { Arg } from './types.js';
import { knownArg } from './types.js';

/**
 * What a bash builtin does with variables, beyond what its handler says it does: the words it
 * evaluates arithmetically (`let`, `test -v NAME`, subscripts of the names it sets) and the
 * variables it sets (so that the walker can tell when a later arithmetic use or a command depends
 * on text this line chose). Only builtins are listed: a program of the same name sets nothing.
 */
export interface VariableUses {
  /** Words bash evaluates arithmetically or as an array subscript. */
  readonly arithmetic: readonly Arg[];
  /** Variables set: the name (text or a word) and the value, undefined when it comes from input. */
  readonly sets: readonly VariableSet[];
  /** `declare -i`: the values are arithmetic, and later assignments to these names too. */
  readonly integer: boolean;
  /** `declare -n`: the values name other variables (with subscripts that are evaluated). */
  readonly nameref: boolean;
  /** `export` / `declare -x`: the variables reach every program run later. */
  readonly exported: boolean;
}

/** One variable a builtin sets. */
export interface VariableSet {
  /** The name as written (with its subscript), undefined when it is known only at run time. */
  readonly name: string | undefined;
  /** The word that gave the name, when it came from one. */
  readonly nameArg: Arg;
  /** The value; `input` when it comes from input or the run; `unchanged` for `declare NAME`. */
  readonly value: Arg | 'input' | 'unchanged';
}

const NONE: VariableUses = {
  arithmetic: [],
  sets: [],
  integer: false,
  nameref: false,
  exported: false,
};
const DECLARATIONS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);

/** The variable uses of builtin `name` given `args` (its arguments after the name). */
export function variableUses(name: string, args: readonly Arg[]): VariableUses {
  if (name === 'let') return { ...NONE, arithmetic: args };
  if (name === 'test' || name === '[') return { ...NONE, arithmetic: testVariables(args) };
  if (name === 'read')
    return readLike(
      args,
      new Set(['-d', '-i', '-n', '-N', '-p', '-t', '-u']),
      new Set(['-a']),
      'REPLY',
    );
  if (name === 'mapfile' || name === 'readarray')
    return readLike(
      args,
      new Set(['-d', '-n', '-O', '-s', '-u', '-C', '-c']),
      new Set(),
      'MAPFILE',
    );
  if (name === 'printf') return printfVariable(args);
  if (name === 'getopts')
    return args[1] === undefined ? NONE : { ...NONE, sets: [setFrom(args[1], 'input')] };
  if (name === 'wait') return valueOf(args, '-p');
  if (name === 'unset')
    return {
      ...NONE,
      arithmetic: args.filter((arg) => !(arg.value.known && arg.value.text.startsWith('-'))),
    };
  if (name === 'set') return positional(args);
  if (DECLARATIONS.has(name)) return declaration(name, args);
  return NONE;
}

/** `test -v NAME`: the name's subscript is evaluated. */
function testVariables(args: readonly Arg[]): Arg[] {
  return args.flatMap((arg, index) =>
    arg.value.text === '-v' && args[index + 1] !== undefined ? [args[index + 1] as Arg] : [],
  );
}

/** read / mapfile: options (some with a value), then the names (or array) set from input. */
function readLike(
  args: readonly Arg[],
  withValue: ReadonlySet<string>,
  namesInValue: ReadonlySet<string>,
  defaultName: string | undefined,
): VariableUses {
  const sets: VariableSet[] = [];
  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index] as Arg;
    const text = arg.value.text;
    if (text === undefined) break;
    if (text === '--') {
      index++;
      break;
    }
    if (!text.startsWith('-') || text === '-') break;
    const option = text.slice(0, 2);
    if (namesInValue.has(option)) {
      const named = text.length > 2 ? knownArg(text.slice(2)) : args[++index];
      if (named !== undefined) sets.push(setFrom(named, 'input'));
    } else if (withValue.has(option) && text.length === 2) index++;
  }
  for (const arg of args.slice(index)) sets.push(setFrom(arg, 'input'));
  if (sets.length === 0 && defaultName !== undefined)
    sets.push(setFrom(knownArg(defaultName), 'input'));
  return { ...NONE, arithmetic: sets.map((set) => set.nameArg), sets };
}

function printfVariable(args: readonly Arg[]): VariableUses {
  const first = args[0]?.value.text;
  if (first === '-v' && args[1] !== undefined)
    return { ...NONE, arithmetic: [args[1]], sets: [setFrom(args[1], 'input')] };
  if (first?.startsWith('-v') === true && first.length > 2) {
    const named = knownArg(first.slice(2));
    return { ...NONE, arithmetic: [named], sets: [setFrom(named, 'input')] };
  }
  return NONE;
}

function valueOf(args: readonly Arg[], option: string): VariableUses {
  const at = args.findIndex((arg) => arg.value.text === option);
  const named = at < 0 ? undefined : args[at + 1];
  return named === undefined
    ? NONE
    : { ...NONE, arithmetic: [named], sets: [setFrom(named, 'input')] };
}

/** `set -- A B`, `set A B`: positional parameters set to the arguments. */
function positional(args: readonly Arg[]): VariableUses {
  const dashDash = args.findIndex((arg) => arg.value.text === '--');
  const operands =
    dashDash >= 0
      ? args.slice(dashDash + 1)
      : args.filter((arg) => !(arg.value.known && /^[-+]/.test(arg.value.text)));
  const optionValues = new Set(
    args.flatMap((arg, index) =>
      arg.value.text === '-o' || arg.value.text === '+o' ? [args[index + 1]] : [],
    ),
  );
  const values = operands.filter((arg) => !optionValues.has(arg));
  return values.length === 0
    ? NONE
    : { ...NONE, sets: values.map((value) => ({ name: '1', nameArg: knownArg('1'), value })) };
}

/** declare/typeset/local/export/readonly: options, then `NAME`, `NAME=value`, `NAME[…]=value`. */
function declaration(name: string, args: readonly Arg[]): VariableUses {
  let integer = false;
  let nameref = false;
  let exported = name === 'export';
  const sets: VariableSet[] = [];
  let options = true;
  for (const arg of args) {
    const text = arg.value.text;
    if (options && text === '--') {
      options = false;
      continue;
    }
    if (options && text !== undefined && /^-[A-Za-z]+$/.test(text)) {
      integer ||= text.includes('i');
      nameref ||= text.includes('n');
      exported ||= text.includes('x');
      continue;
    }
    if (options && text !== undefined && /^\+[A-Za-z]+$/.test(text)) continue;
    options = false;
    sets.push(splitAssignment(arg));
  }
  const arithmetic = sets
    .filter((set) => set.name === undefined || set.name.includes('['))
    .map((set) => set.nameArg);
  // `declare -a a='([KEY]=…)'`: a quoted compound value is parsed as an array, its keys evaluated.
  for (const set of sets)
    if (typeof set.value !== 'string' && isArrayWithKeys(set.value)) arithmetic.push(set.value);
  return { arithmetic, sets, integer, nameref, exported };
}

/** A value `(…)` that may hold `[KEY]=` elements (an over-approximation: any `[` inside). */
function isArrayWithKeys(value: Arg): boolean {
  if (value.value.known) return value.value.text.startsWith('(');
  const head = value.word?.parts[0];
  return (
    head?.kind === 'lit' && head.value.startsWith('(') && (value.word?.raw.includes('[') ?? false)
  );
}

/** `NAME=value` as one argument: the name and the value, each as exact as the word allows. */
export function splitAssignment(arg: Arg): VariableSet {
  const word = arg.word;
  const head = word?.parts[0];
  if (arg.value.known) {
    const eq = equalsOf(arg.value.text);
    if (eq < 0) return { name: arg.value.text, nameArg: arg, value: 'unchanged' };
    const name = arg.value.text.slice(0, eq).replace(/\+$/, '');
    const valueText = arg.value.text.slice(eq + 1);
    // A known value is judged by its text (bash expands that text again where it evaluates it).
    return { name, nameArg: knownArg(name), value: knownArg(valueText) };
  }
  if (word !== undefined && head?.kind === 'lit' && equalsOf(head.value) > 0) {
    const eq = equalsOf(head.value);
    const name = head.value.slice(0, eq).replace(/\+$/, '');
    return {
      name,
      nameArg: knownArg(name),
      value: { word: valueWord(word, eq), value: { known: false } },
    };
  }
  return { name: undefined, nameArg: arg, value: 'input' };
}

/** Where `=` ends a name (and its subscript), or -1. */
function equalsOf(text: string): number {
  const match = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.exec(text);
  return match === null ? -1 : match[0].length - 1;
}

/** The word after `=`: the first part loses the name, the others stay as they are. */
function valueWord(word: Word, eq: number): Word {
  const [head, ...rest] = word.parts;
  if (head?.kind !== 'lit') return word;
  const remainder = head.value.slice(eq + 1);
  const parts = remainder === '' ? rest : [{ ...head, value: remainder }, ...rest];
  return {
    parts: parts.length === 0 ? [{ kind: 'lit', value: '', quoted: true }] : parts,
    raw: word.raw.slice(word.raw.indexOf('=') + 1),
  };
}

function setFrom(arg: Arg, value: Arg | 'input'): VariableSet {
  return { name: arg.value.known ? arg.value.text : undefined, nameArg: arg, value };
}
