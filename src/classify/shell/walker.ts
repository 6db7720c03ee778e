import { posix } from 'node:path';
import type { ArithmeticVerdict } from './arithmetic.js';
import {
  arithmeticText,
  arithmeticWord,
  isInertValue,
  merge,
  numericOutput,
  paramOperators,
} from './arithmetic.js';
import type { Assignment, Command, Redirect, Script, Word } from './ast.js';
import { judgeAssignment } from './assignments.js';
import { BASH_BUILTINS } from './catalog/builtins.js';
import { HANDLERS } from './catalog/index.js';
import { LineState } from './line-state.js';
import { WriteLog } from './write-log.js';
import { reparseOption } from './shell-options.js';
import { variableUses } from './variable-uses.js';
import { runProjectFile } from './catalog/scripts.js';
import { guardInvocation } from './guard.js';
import { writeFinding } from './catalog/files.js';
import { parseOptions } from './options.js';
import { isInside, resolvePath } from './paths.js';
import { nestedScripts, parseShell, ShellSyntaxError } from './parser.js';
import { mvdanDisagreement } from './syntax-check.js';
import type { Arg, Finding, Invocation, ShellContext, Stdin } from './types.js';
import { found, knownArg } from './types.js';
import { literal, wordValue } from './words.js';

/** Shell code inside shell code (bash -c, eval, here-documents to sh) nests at most this deep. */
const MAX_NESTING = 12;
/** Folders whose binaries are the standard commands of their names. */
const BIN_DIRS = new Set([
  '/bin',
  '/sbin',
  '/usr/bin',
  '/usr/sbin',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/opt/homebrew/bin',
  '/opt/local/bin',
  '/snap/bin',
  '/usr/lib/git-core',
]);

/** What the walk knows at one point of the program. */
interface Scope {
  cwd: string | undefined;
  readonly functions: Set<string>;
}

/** Fixed for one classification. */
export interface WalkSettings {
  readonly project: string | undefined;
  readonly upstream: string;
  readonly context?: ShellContext;
  /** Paths written by the commands judged so far in this command line; shared by nested walks. */
  readonly written?: WriteLog;
  /** Variables, aliases, functions and options earlier commands of this line set; shared by nested walks. */
  readonly line?: LineState;
}

/**
 * Classifies shell code: parse (our parser, vouched for by mvdan/sh), then walk every command
 * that could run, in order, following `cd`, functions, substitutions and nested shells.
 */
export async function classifyCode(
  code: string,
  cwd: string | undefined,
  settings: WalkSettings,
  depth = 0,
  functions: ReadonlySet<string> = new Set(),
): Promise<Finding[]> {
  if (depth > MAX_NESTING) return found.unknown('shell', 'code nested too deep');
  let script: Script;
  try {
    script = parseShell(code);
  } catch (error) {
    if (error instanceof ShellSyntaxError)
      return found.unknown('shell', `cannot parse: ${error.message}`);
    throw error;
  }
  const disagreement = await mvdanDisagreement(code, script);
  if (disagreement !== undefined) return found.unknown('shell', disagreement);
  const walker = new Walker(
    {
      ...settings,
      written: settings.written ?? new WriteLog(),
      line: settings.line ?? new LineState(),
    },
    depth,
  );
  // Functions defined earlier were judged where they were defined: code run later (trap, eval,
  // alias, bash -c) may call them.
  return walker.script(script, { cwd, functions: new Set(functions) }, { kind: 'none' });
}

/** Text from input or the run, given to an integer variable or a nameref: bash evaluates it. */
const EVALUATED_INPUT: ArithmeticVerdict = {
  codes: [],
  unknown: 'text known only at run time is evaluated as arithmetic',
};

/** Arithmetic comparisons inside `[[ ]]`: both sides are evaluated. */
const ARITHMETIC_TESTS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);

class Walker {
  readonly #line: LineState;

  readonly #depth: number;
  readonly #settings: WalkSettings;
  constructor(settings: WalkSettings, depth: number) {
    this.#depth = depth;
    this.#settings = settings;
    this.#line = settings.line ?? new LineState();
  }

  async script(script: Script, scope: Scope, stdin: Stdin): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const pipeline of script.pipelines) {
      const alone = pipeline.commands.length === 1;
      let previous: Command | undefined;
      for (const command of pipeline.commands) {
        // Each part of a pipeline runs in its own subshell: a `cd` there does not last.
        const own = alone ? scope : { cwd: scope.cwd, functions: scope.functions };
        const input = previous === undefined ? stdin : outputOf(previous);
        const judged = await this.#command(command, own, input);
        this.#settings.written?.record(judged);
        findings.push(...judged);
        previous = command;
      }
    }
    return findings;
  }

  async #command(command: Command, scope: Scope, stdin: Stdin): Promise<Finding[]> {
    const findings: Finding[] = [];
    switch (command.kind) {
      case 'function':
        // Judged where it is defined, as if called: the name may shadow a harmless command.
        // A call after a variable was set to chosen text is judged again (see exec).
        scope.functions.add(command.name);
        this.#line.functions.set(command.name, command.body);
        return this.#command(command.body, scope, stdin);
      case 'test':
        for (const word of command.words)
          findings.push(...(await this.#substitutions(word, scope)));
        for (const nested of command.nested)
          findings.push(...(await this.script(nested, { ...scope }, { kind: 'none' })));
        findings.push(...(await this.#redirects(command.redirects, scope)));
        findings.push(...(await this.#testArithmetic(command, scope)));
        return findings;
      case 'compound': {
        const inner =
          command.keyword === '(' ? { cwd: scope.cwd, functions: new Set(scope.functions) } : scope;
        for (const word of command.words)
          findings.push(...(await this.#substitutions(word, scope)));
        if (command.arith !== undefined)
          findings.push(
            ...(await this.#verdict(
              arithmeticText(command.arith, this.#line),
              scope,
              command.bodies,
              'for (( ))',
            )),
          );
        if (command.variable !== undefined)
          findings.push(...this.#loopVariable(command.variable, command.words));
        findings.push(...(await this.#redirects(command.redirects, scope)));
        const input = stdinFrom(command.redirects) ?? stdin;
        for (const body of command.bodies)
          findings.push(...(await this.script(body, inner, input)));
        return findings;
      }
      case 'simple': {
        for (const assign of command.assigns)
          for (const word of assign.value)
            findings.push(...(await this.#substitutions(word, scope)));
        for (const assign of command.assigns)
          findings.push(...(await this.#assignment(assign, scope)));
        for (const word of command.words)
          findings.push(...(await this.#substitutions(word, scope)));
        findings.push(...(await this.#redirects(command.redirects, scope)));
        const args = command.words.map((word): Arg => ({ word, value: wordValue(word) }));
        findings.push(...(await this.exec(args, scope, stdinFrom(command.redirects) ?? stdin)));
        followCd(args, scope);
        return findings;
      }
    }
  }

  /**
   * Command and process substitutions inside a word run (in a subshell) before the command; the
   * arithmetic inside it (`$((…))`, `${a[…]}`, `${x:…}`) is evaluated, and `${!x}` names a variable.
   */
  async #substitutions(word: Word, scope: Scope): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const part of word.parts) {
      for (const nested of nestedScripts(part))
        findings.push(
          ...(await this.script(
            nested,
            { cwd: scope.cwd, functions: new Set(scope.functions) },
            { kind: 'none' },
          )),
        );
      if (part.kind === 'arith' && part.text !== undefined)
        findings.push(
          ...(await this.#verdict(
            arithmeticText(part.text, this.#line),
            scope,
            part.nested,
            '$(( ))',
          )),
        );
      if (part.kind === 'param' && part.inner !== undefined) {
        const indirect = part.inner.startsWith('!')
          ? /^!([A-Za-z_][A-Za-z0-9_]*)/.exec(part.inner)?.[1]
          : undefined;
        const chosen: ArithmeticVerdict =
          indirect !== undefined && this.#line.isTainted(indirect)
            ? {
                codes: [],
                unknown: `\`\${!${indirect}}\` names a variable this command line chose`,
              }
            : /@P$/.test(part.inner)
              ? { codes: [], unknown: '`${…@P}` runs the command substitutions in the value' }
              : { codes: [] };
        // `${#a[…]}` and `${!a[…]}` evaluate the subscript of the name after `#` or `!`.
        const operators =
          part.name === '#' || part.name === '!'
            ? part.inner.replace(/^[#!][A-Za-z_][A-Za-z0-9_]*/, '')
            : part.inner.slice(part.name.length);
        findings.push(
          ...(await this.#verdict(
            merge([chosen, paramOperators(operators, this.#line)]),
            scope,
            part.nested,
            '${…}',
          )),
        );
      }
    }
    return findings;
  }

  /**
   * Judges what evaluating text arithmetically does: the code it runs (except substitutions the
   * walk judges anyway, `nested`), and `unknown` when what it evaluates cannot be known.
   */
  async #verdict(
    verdict: ArithmeticVerdict,
    scope: Scope,
    nested: readonly Script[],
    operation: string,
  ): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const code of verdict.codes) {
      if (nested.some((script) => script.text === code)) continue;
      findings.push(
        ...(await classifyCode(code, scope.cwd, this.#settings, this.#depth + 1, scope.functions)),
      );
    }
    if (verdict.unknown !== undefined)
      findings.push(...found.unknown(`arithmetic ${operation}`, verdict.unknown));
    return findings;
  }

  /** `[[ -v NAME ]]`, `[[ X -eq Y ]]`, `(( … ))`: arithmetic in tests. */
  async #testArithmetic(
    command: Extract<Command, { kind: 'test' }>,
    scope: Scope,
  ): Promise<Finding[]> {
    if (command.arith !== undefined)
      return this.#verdict(
        arithmeticText(command.arith, this.#line),
        scope,
        command.nested,
        '(( ))',
      );
    const evaluated = command.words.filter((word, index) => {
      const before = command.words[index - 1]?.raw;
      return (
        before === '-v' ||
        ARITHMETIC_TESTS.has(before ?? '') ||
        ARITHMETIC_TESTS.has(command.words[index + 1]?.raw ?? '')
      );
    });
    return this.#verdict(
      merge(evaluated.map((word) => this.#wordArithmetic({ word, value: wordValue(word) }))),
      scope,
      [],
      '[[ ]]',
    );
  }

  /** A word whose value bash evaluates arithmetically: its known text is expanded again. */
  #wordArithmetic(arg: Arg): ArithmeticVerdict {
    if (arg.value.known) return arithmeticText(arg.value.text, this.#line);
    return arg.word === undefined
      ? { codes: [], unknown: 'a value known only at run time is evaluated as arithmetic' }
      : arithmeticWord(arg.word, this.#line);
  }

  /** `NAME=value`, `NAME[…]=value`, `NAME=(…)`: subscripts are arithmetic; the value may change what runs or hold code. */
  async #assignment(assign: Assignment, scope: Scope): Promise<Finding[]> {
    const verdicts: ArithmeticVerdict[] = [];
    if (assign.subscript !== undefined) verdicts.push(arithmeticText(assign.subscript, this.#line));
    for (const element of assign.array === true ? assign.value : []) {
      const key = /^\[(.*?)\]\+?=/s.exec(element.raw)?.[1];
      if (key !== undefined) verdicts.push(arithmeticText(key, this.#line));
    }
    const single = assign.array === true || assign.value.length > 1 ? undefined : assign.value[0];
    const value: Arg | undefined =
      assign.array === true
        ? undefined
        : single === undefined
          ? { word: undefined, value: { known: true, text: '', glob: false } }
          : { word: single, value: wordValue(single) };
    if (this.#line.integers.has(assign.name) || this.#line.namerefs.has(assign.name))
      verdicts.push(value === undefined ? EVALUATED_INPUT : this.#wordArithmetic(value));
    const findings = await this.#verdict(
      merge(verdicts),
      scope,
      assign.value.flatMap((word) => word.parts.flatMap(nestedScripts)),
      'subscript',
    );
    this.#setVariable(assign.name, value);
    // `PATH+=:DIR` is `PATH=$PATH:DIR`.
    const judged =
      assign.append === true && assign.name === 'PATH' && value?.value.known === true
        ? knownArg(`$PATH${value.value.text}`)
        : value;
    return [...findings, ...judgeAssignment(assign.name, judged)];
  }

  /** Records that `name` now holds `value` (undefined: text only the run knows). */
  #setVariable(name: string | undefined, value: Arg | undefined): void {
    if (name === undefined || value === undefined || !isInert(value)) this.#line.taint(name);
  }

  /** `for NAME in WORDS`: NAME takes each word (or each positional parameter). */
  #loopVariable(name: string, words: readonly Word[]): Finding[] {
    const values = words.map((word): Arg => ({ word, value: wordValue(word) }));
    if (values.length === 0 || values.some((value) => !isInert(value))) this.#line.taint(name);
    if (this.#line.integers.has(name) || this.#line.namerefs.has(name))
      return found.unknown(`for ${name}`, 'the loop assigns a variable bash evaluates');
    return values.length === 0
      ? judgeAssignment(name, undefined)
      : values.flatMap((value) => judgeAssignment(name, value)).slice(0, 1);
  }

  /** What a builtin does to variables: arithmetic on its operands, values later commands see. */
  async #builtinVariables(name: string, args: readonly Arg[], scope: Scope): Promise<Finding[]> {
    const uses = variableUses(name, args);
    const verdicts = uses.arithmetic.map((arg) => this.#wordArithmetic(arg));
    const findings: Finding[] = [];
    for (const set of uses.sets) {
      const value =
        set.value === 'input' ? undefined : set.value === 'unchanged' ? 'unchanged' : set.value;
      const bare = set.name?.replace(/\[.*$/, '');
      const evaluated =
        uses.integer ||
        uses.nameref ||
        this.#line.integers.has(bare ?? '') ||
        this.#line.namerefs.has(bare ?? '');
      if (value !== 'unchanged' && evaluated)
        verdicts.push(value === undefined ? EVALUATED_INPUT : this.#wordArithmetic(value));
      if (uses.integer && bare !== undefined) this.#line.integers.add(bare);
      if (uses.nameref && bare !== undefined) this.#line.namerefs.add(bare);
      if (value === 'unchanged') {
        if (uses.nameref) this.#line.taint(set.name);
        continue;
      }
      this.#setVariable(set.name, uses.nameref ? undefined : value);
      findings.push(...judgeAssignment(set.name, value));
    }
    if (name === 'alias')
      for (const arg of args)
        if (arg.value.known && arg.value.text.includes('='))
          this.#line.aliases.add(arg.value.text.slice(0, arg.value.text.indexOf('=')));
    const reparse = reparseOption(name, args);
    if (reparse !== undefined) this.#line.reparse ??= reparse;
    return [...(await this.#verdict(merge(verdicts), scope, [], name)), ...findings];
  }

  async #redirects(redirects: readonly Redirect[], scope: Scope): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const redirect of redirects) {
      findings.push(...(await this.#substitutions(redirect.target, scope)));
      if (redirect.heredoc !== undefined)
        findings.push(...(await this.#substitutions(redirect.heredoc, scope)));
      const target: Arg = { word: redirect.target, value: wordValue(redirect.target) };
      const invocation = this.#invocation('redirect', [], scope, { kind: 'none' });
      const duplicatesFd =
        (redirect.op === '>&' || redirect.op === '<&') && /^(\d+-?|-)$/.test(redirect.target.raw);
      if (duplicatesFd || redirect.op === '<<' || redirect.op === '<<-' || redirect.op === '<<<')
        continue;
      if (redirect.op === '<' || redirect.op === '<&' || redirect.op === '<>')
        findings.push(...readFinding(redirect.op, target, scope));
      if (redirect.op === '<' || redirect.op === '<&') continue;
      const truncates =
        redirect.op === '>' || redirect.op === '>|' || redirect.op === '&>' || redirect.op === '>&';
      findings.push(...writeFinding(`redirect ${redirect.op}`, invocation, target, truncates));
    }
    return findings;
  }

  /** Runs an argument vector: resolves the command name and asks its handler. */
  async exec(args: readonly Arg[], scope: Scope, stdin: Stdin): Promise<Finding[]> {
    const first = args[0];
    if (first === undefined) return [];
    // A lone `[` is no glob bash could match: it is the test builtin.
    if (!first.value.known || (first.value.glob && first.value.text !== '['))
      return found.unknown('shell', 'command name known only at run time');
    const written = first.value.text;
    // Guarded paths, Airlock's processes and other environments are checked whatever the command
    // is, including those Airlock cannot judge (`strace -p`, `mount --bind`): a deny beats a hold.
    const guarded = guardInvocation(
      this.#invocation(posix.basename(written), args.slice(1), scope, stdin),
      this.#settings.context?.guard,
    );
    return [...guarded, ...(await this.#run(written, args, scope, stdin))];
  }

  /** What running `written` with `args` does: its handler's findings, or why it is unknown. */
  async #run(
    written: string,
    args: readonly Arg[],
    scope: Scope,
    stdin: Stdin,
  ): Promise<Finding[]> {
    if (this.#line.reparse !== undefined)
      return found.unknown(
        written,
        `${this.#line.reparse} changes how bash reads the rest of the line`,
      );
    if (this.#line.aliases.has(written))
      return found.unknown(written, 'an alias defined on this command line');
    if (scope.functions.has(written)) return this.#callFunction(written, scope, stdin);
    let name = written;
    if (written.includes('/')) {
      const path = resolvePath(written, scope.cwd);
      const folder = path === undefined ? undefined : posix.dirname(path);
      if (folder !== undefined && BIN_DIRS.has(folder)) name = posix.basename(written);
      else if (
        path !== undefined &&
        this.#settings.project !== undefined &&
        isInside(path, this.#settings.project) &&
        !path.includes('/.git/')
      ) {
        return runProjectFile(this.#invocation(written, args.slice(1), scope, stdin), path);
      } else
        return found.unknown(
          written,
          'runs a program outside the standard folders',
          path === undefined ? [] : [{ type: 'path', id: path }],
        );
    }
    const handler = HANDLERS.get(name);
    if (handler === undefined) return found.unknown(name, 'not a command Airlock knows');
    const invocation = this.#invocation(name, args.slice(1), scope, stdin);
    const variables =
      name === written && BASH_BUILTINS.has(name)
        ? await this.#builtinVariables(name, args.slice(1), scope)
        : [];
    return [...variables, ...(await handler(invocation))];
  }

  /**
   * A function was judged where it was defined; a call after a variable was set to chosen text is
   * judged again, since the arithmetic in its body may now evaluate that text.
   */
  async #callFunction(name: string, scope: Scope, stdin: Stdin): Promise<Finding[]> {
    const body = this.#line.functions.get(name);
    if (body === undefined || !this.#line.anyTainted || this.#line.rewalking.has(name)) return [];
    this.#line.rewalking.add(name);
    try {
      return await this.#command(body, scope, stdin);
    } finally {
      this.#line.rewalking.delete(name);
    }
  }

  #invocation(name: string, args: readonly Arg[], scope: Scope, stdin: Stdin): Invocation {
    return {
      name,
      args,
      cwd: scope.cwd,
      project: this.#settings.project,
      stdin,
      upstream: this.#settings.upstream,
      files: this.#settings.context?.files,
      mayHaveWritten: (path) => this.#settings.written?.mayHaveWritten(path) ?? false,
      shell: (code) =>
        classifyCode(code, scope.cwd, this.#settings, this.#depth + 1, scope.functions),
      exec: (next, input) =>
        this.#depth + 1 > MAX_NESTING
          ? Promise.resolve(found.unknown(name, 'wrappers nested too deep'))
          : new Walker(this.#settings, this.#depth + 1).exec(
              next,
              scope,
              input ?? { kind: 'none' },
            ),
    };
  }
}

/** A value that, evaluated arithmetically later, runs nothing and names no variable. */
function isInert(value: Arg): boolean {
  if (value.value.known) return isInertValue(value.value.text);
  // Numbers from arithmetic, lengths and special parameters.
  return (
    value.word !== undefined &&
    value.word.parts.every((part) =>
      part.kind === 'lit'
        ? isInertValue(part.value)
        : part.kind === 'arith' ||
          (part.kind === 'cmdsub' && numericOutput(part.body)) ||
          (part.kind === 'param' && /^(#.+|[#?$!])$/.test(part.inner ?? part.name)),
    )
  );
}

/** `< FILE`, `<> FILE`: the file is read (the guard post-pass sees reads of files such as /proc/…/environ). */
function readFinding(op: string, target: Arg, scope: Scope): Finding[] {
  const path =
    target.value.known && !target.value.glob
      ? resolvePath(target.value.text, scope.cwd)
      : undefined;
  return found.read(
    `redirect ${op === '<>' ? '<' : op}`,
    path === undefined ? [] : [{ type: 'path', id: path }],
  );
}

/** `cd DIR` / `pushd DIR` move the rest of the script; an unknowable target makes cwd unknown. */
function followCd(args: readonly Arg[], scope: Scope): void {
  const name = args[0]?.value.text;
  if (name !== 'cd' && name !== 'pushd' && name !== 'popd') return;
  if (name === 'popd') {
    scope.cwd = undefined;
    return;
  }
  const operand = parseOptions(args.slice(1)).operands[0];
  if (operand === undefined) scope.cwd = '~';
  else if (!operand.value.known || operand.value.glob || operand.value.text === '-')
    scope.cwd = undefined;
  else scope.cwd = resolvePath(operand.value.text, scope.cwd);
}

/** Standard input given by a redirection: here-string and here-document text when it is known. */
function stdinFrom(redirects: readonly Redirect[]): Stdin | undefined {
  let stdin: Stdin | undefined;
  for (const redirect of redirects) {
    if (redirect.fd !== undefined && redirect.fd !== '0') continue;
    if (redirect.op === '<<<') {
      const text = literal(redirect.target);
      stdin = text === undefined ? { kind: 'opaque' } : { kind: 'text', text: `${text}\n` };
    } else if ((redirect.op === '<<' || redirect.op === '<<-') && redirect.heredoc !== undefined) {
      const parts = redirect.heredoc.parts;
      stdin = parts.every((part) => part.kind === 'lit')
        ? {
            kind: 'text',
            text: parts.map((part) => (part.kind === 'lit' ? part.value : '')).join(''),
          }
        : { kind: 'opaque' };
    } else if (redirect.op === '<' || redirect.op === '<&' || redirect.op === '<>')
      stdin = { kind: 'opaque' };
  }
  return stdin;
}

/** What a command writes to a pipe, when it is known text (`echo 'code' | sh`). */
function outputOf(command: Command): Stdin {
  if (command.kind !== 'simple') return { kind: 'opaque' };
  const words = command.words.map(literal);
  if (words.some((word) => word === undefined)) return { kind: 'opaque' };
  const [name, ...rest] = words as string[];
  if (name === 'echo' && !rest.some((word) => /^-[neE]+$/.test(word)))
    return { kind: 'text', text: `${rest.join(' ')}\n` };
  if (name === 'printf' && rest.length === 1 && !/[%\\]/.test(rest[0] ?? ''))
    return { kind: 'text', text: rest[0] ?? '' };
  if (name === 'cat' && rest.length === 0)
    return stdinFrom(command.redirects) ?? { kind: 'opaque' };
  return { kind: 'opaque' };
}
