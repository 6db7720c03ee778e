import type { Script, Word, WordPart } from './ast.js';
import { parseExpansionText, ShellSyntaxError } from './parser.js';

/**
 * bash evaluates some text arithmetically: `(( ))`, `$(( ))`, `let`, `[[ X -eq Y ]]`, array
 * subscripts (`test -v 'a[…]'`, `read 'a[…]'`, `unset 'a[…]'`, `${a[…]}`), offsets (`${x:…}`),
 * values of integer variables. Before it evaluates, it expands the text again: a `$(…)` inside a
 * quoted subscript runs, and a variable named there is itself evaluated, subscripts and all. So
 * text evaluated arithmetically is code: the substitutions it holds run, their output is
 * evaluated in turn, and a variable this command line set to unread text could hold anything.
 */

/** What evaluating a piece of text arithmetically would do. */
export interface ArithmeticVerdict {
  /** Shell code (substitution bodies) that runs: to be judged. */
  readonly codes: readonly string[];
  /** Why the result cannot be known, when it cannot. */
  readonly unknown?: string;
}

/** Which variables may hold text that is code when bash evaluates it. */
export interface VariableTaint {
  isTainted(name: string): boolean;
}

const NOTHING: ArithmeticVerdict = { codes: [] };
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Commands whose output is a number (or blank): their output, evaluated, runs nothing. */
const NUMERIC_OUTPUT = new Set(['wc', 'nproc', 'seq']);

/** Judges source text that bash expands and then evaluates arithmetically. */
export function arithmeticText(text: string, taint: VariableTaint): ArithmeticVerdict {
  let parts: WordPart[];
  try {
    parts = parseExpansionText(text);
  } catch (error) {
    if (error instanceof ShellSyntaxError)
      return { codes: [], unknown: `arithmetic text that cannot be parsed: ${error.message}` };
    throw error;
  }
  return judgeParts(parts, taint, true);
}

/** Judges a word whose expanded value bash evaluates arithmetically (or as a subscript). */
export function arithmeticWord(word: Word, taint: VariableTaint): ArithmeticVerdict {
  // Substitutions written in the word itself run before (the walker judges them); what is
  // judged here is the text the expansion produces.
  return judgeParts(word.parts, taint, false);
}

function judgeParts(
  parts: readonly WordPart[],
  taint: VariableTaint,
  substitutionsRunHere: boolean,
): ArithmeticVerdict {
  const verdicts: ArithmeticVerdict[] = [];
  let literal = '';
  for (const part of parts) {
    if (part.kind === 'lit') {
      literal += part.value;
      continue;
    }
    // A placeholder keeps identifiers on either side apart.
    literal += ' 0 ';
    verdicts.push(judgePart(part, taint, substitutionsRunHere));
  }
  // Literal text is expanded again: `a[$(…)]` in quotes runs here.
  if (/[$`]|[<>]\(/.test(literal) && !substitutionsRunHere)
    verdicts.push(arithmeticText(literal, taint));
  const tainted = [...literal.matchAll(IDENTIFIER)]
    .map((match) => match[0])
    .find((name) => taint.isTainted(name));
  if (tainted !== undefined)
    verdicts.push({
      codes: [],
      unknown: `evaluates \`${tainted}\`, which this command line set to text that may be code`,
    });
  return merge(verdicts);
}

function judgePart(
  part: Exclude<WordPart, { kind: 'lit' }>,
  taint: VariableTaint,
  substitutionsRunHere: boolean,
): ArithmeticVerdict {
  switch (part.kind) {
    case 'cmdsub':
    case 'procsub': {
      const code = substitutionsRunHere ? codeOf(part.body) : NOTHING;
      if (part.kind === 'cmdsub' && numericOutput(part.body)) return code;
      return merge([
        code,
        {
          codes: [],
          unknown: 'the output of a command is evaluated as arithmetic (and may run code)',
        },
      ]);
    }
    case 'arith':
      return part.text === undefined
        ? { codes: [], unknown: 'arithmetic without its text' }
        : nestedArithmetic(part.text, part.nested, taint, substitutionsRunHere);
    case 'param':
      return paramVerdict(part, taint, substitutionsRunHere);
  }
}

/** `$((…))` inside arithmetic: its result is a number; what it evaluates is judged. */
function nestedArithmetic(
  text: string,
  nested: readonly Script[],
  taint: VariableTaint,
  substitutionsRunHere: boolean,
): ArithmeticVerdict {
  const verdict = arithmeticText(text, taint);
  return substitutionsRunHere
    ? verdict
    : {
        codes: verdict.codes.filter((code) => !nested.some((script) => script.text === code)),
        ...(verdict.unknown === undefined ? {} : { unknown: verdict.unknown }),
      };
}

function paramVerdict(
  part: Extract<WordPart, { kind: 'param' }>,
  taint: VariableTaint,
  substitutionsRunHere: boolean,
): ArithmeticVerdict {
  const inner = part.inner ?? part.name;
  if (inner.startsWith('!') && inner.length > 1)
    return { codes: [], unknown: `indirect expansion \`\${${inner}}\` evaluated as arithmetic` };
  if (/^#[A-Za-z_0-9@*]/.test(inner) || /^[#?$!]$/.test(inner)) return NOTHING; // lengths and special numbers
  const verdicts: ArithmeticVerdict[] = [];
  if (taint.isTainted(part.name))
    verdicts.push({
      codes: [],
      unknown: `evaluates \`$${part.name}\`, which this command line set to text that may be code`,
    });
  if (substitutionsRunHere) for (const nested of part.nested) verdicts.push(codeOf(nested));
  if (part.nested.length > 0)
    verdicts.push({
      codes: [],
      unknown: 'the output of a command is evaluated as arithmetic (and may run code)',
    });
  const rest = inner.slice(part.name.length);
  if (rest !== '') verdicts.push(paramOperators(rest, taint));
  return merge(verdicts);
}

/** `${x[…]}`, `${x:…:…}`: subscripts and offsets are arithmetic too. */
export function paramOperators(rest: string, taint: VariableTaint): ArithmeticVerdict {
  const evaluated = rest.startsWith('[') || (rest.startsWith(':') && !/^:[-=?+]/.test(rest));
  return evaluated ? arithmeticText(rest, taint) : NOTHING;
}

function codeOf(script: Script): ArithmeticVerdict {
  return script.text === undefined
    ? { codes: [], unknown: 'a substitution whose text is lost' }
    : { codes: [script.text] };
}

/** True when a substitution's output can only be numbers: a pipeline ending in `wc`, `nproc` or `seq`. */
export function numericOutput(script: Script): boolean {
  const last = script.pipelines[script.pipelines.length - 1]?.commands.at(-1);
  if (script.pipelines.length !== 1 || last?.kind !== 'simple') return false;
  const first = last.words[0]?.parts;
  return first?.length === 1 && first[0]?.kind === 'lit' && NUMERIC_OUTPUT.has(first[0].value);
}

/** Several verdicts as one: every code, the first reason. */
export function merge(verdicts: readonly ArithmeticVerdict[]): ArithmeticVerdict {
  const unknown = verdicts.find((verdict) => verdict.unknown !== undefined)?.unknown;
  const codes = verdicts.flatMap((verdict) => verdict.codes);
  return unknown === undefined ? { codes } : { codes, unknown };
}

/** The text of a variable value that, evaluated, runs nothing and names no other variable. */
export function isInertValue(text: string): boolean {
  return !/[A-Za-z_$`[]/.test(text);
}
