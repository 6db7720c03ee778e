import { posix } from 'node:path';
import { resolvePath } from '../paths.js';
import type { Finding, Handler, Invocation } from '../types.js';
import { found } from '../types.js';
import type { Makefile, MakeRule } from './makefile.js';
import { BUILTIN_VARIABLES, parseMakefile } from './makefile.js';
import { folderVisible, shellQuote } from './package-scripts.js';

/**
 * `make [TARGET…]`: reads the Makefile, follows the goal's prerequisites and judges each recipe
 * line as shell code, run in make's folder. What a static reading cannot settle is `unknown`.
 */

/** Rules followed for one make run, prerequisites included. */
const MAX_RULES = 128;
/** Prerequisite chains followed at most this deep. */
const MAX_DEPTH = 32;
/** Variable references expanded inside each other at most this deep. */
const MAX_EXPANSION = 16;
const MAKEFILE_NAMES = ['GNUmakefile', 'makefile', 'Makefile'];
const SHELLS = new Set(['/bin/sh', '/bin/bash', '/usr/bin/sh', '/usr/bin/bash', 'sh', 'bash']);

/** What the command line asks of make. */
interface MakeArgs {
  readonly dir: string | undefined;
  readonly files: string[];
  readonly goals: string[];
  readonly overrides: Map<string, string>;
  readonly flags: Set<string>;
}

/** A text, or why it cannot be known statically. */
type Expanded = { readonly text: string } | { readonly why: string };

export const make: Handler = async (inv) => {
  const args = makeArgs(inv);
  if ('why' in args) return found.unknown('make', args.why);
  if (args.flags.has('v') || args.flags.has('h')) return found.read('make --version');
  if (args.flags.has('e'))
    return found.unknown('make -e', 'the environment overrides the Makefile');
  if (args.flags.has('E'))
    return found.unknown('make --eval', 'evaluates make code from the command line');
  for (const name of ['MAKEFLAGS', 'MFLAGS', 'SHELL', '.SHELLFLAGS', 'MAKEFILES'])
    if (args.overrides.has(name)) return found.unknown('make', `sets \`${name}\``);
  if (args.dir === undefined) return found.unknown('make', 'working directory unknown');
  const loaded = await loadMakefile(inv, args);
  if ('findings' in loaded) return loaded.findings;
  const { makefile, path } = loaded;
  const target = [{ type: 'path', id: path }];
  if (makefile.opaque !== undefined) return found.unknown('make', makefile.opaque, target);
  const variables = (name: string) => variableOf(makefile, args, name);
  for (const name of ['MAKEFLAGS', '.SHELLFLAGS', 'MAKEFILES'])
    if (makefile.variables.has(name))
      return found.unknown('make', `the Makefile sets \`${name}\``, target);
  const shell = expand(makefile.variables.get('SHELL') ?? '/bin/sh', variables, {});
  if (!('text' in shell) || !SHELLS.has(shell.text.trim()))
    return found.unknown('make', 'recipes run with another shell', target);
  const dry = args.flags.has('n') || args.flags.has('q') || args.flags.has('t');
  if (dry) return dryRun(makefile, args, target);
  const goalText =
    args.goals.length > 0
      ? args.goals
      : [makefile.variables.get('.DEFAULT_GOAL') ?? makefile.defaultGoal].filter(
          (goal): goal is string => goal !== undefined,
        );
  if (goalText.length === 0)
    return found.read('make (no targets: make fails and runs nothing)', target);
  const rules = expandedRules(makefile, variables);
  if ('why' in rules) return found.unknown('make', rules.why, target);
  const walk = new RecipeWalk(inv, args.dir, makefile, rules.map, variables, path);
  // No action of its own for reading the Makefile: a hold shows the command line, and each action costs the firewall a judgment.
  const findings: Finding[] = [];
  for (const goal of goalText) findings.push(...(await walk.visit(goal, 0)));
  return findings;
};

/** The value make gives `name`: the command line, the file, its builtins, else empty (environment aside). */
function variableOf(makefile: Makefile, args: MakeArgs, name: string): Expanded {
  const override = args.overrides.get(name);
  if (override !== undefined) return { text: override };
  if (makefile.dynamicVariables.has(name))
    return { why: `\`${name}\` depends on a condition or the environment` };
  if (name === 'CURDIR') return { text: args.dir ?? '' };
  if (name === 'HOME') return { text: '~' };
  return { text: makefile.variables.get(name) ?? BUILTIN_VARIABLES.get(name) ?? '' };
}

/** Follows prerequisites to recipes and judges each recipe line. */
class RecipeWalk {
  #visited = new Set<string>();

  readonly #path: string;
  readonly #variables: (name: string) => Expanded;
  readonly #rules: ReadonlyMap<string, MakeRule>;
  readonly #makefile: Makefile;
  readonly #dir: string;
  readonly #inv: Invocation;
  constructor(
    inv: Invocation,
    dir: string,
    makefile: Makefile,
    rules: ReadonlyMap<string, MakeRule>,
    variables: (name: string) => Expanded,
    path: string,
  ) {
    this.#path = path;
    this.#variables = variables;
    this.#rules = rules;
    this.#makefile = makefile;
    this.#dir = dir;
    this.#inv = inv;
  }

  async visit(name: string, depth: number): Promise<Finding[]> {
    if (this.#visited.has(name)) return [];
    this.#visited.add(name);
    if (this.#visited.size > MAX_RULES || depth > MAX_DEPTH)
      return found.unknown(
        'make',
        `more than ${MAX_RULES} rules or ${MAX_DEPTH} levels of prerequisites`,
      );
    const rule = this.#rules.get(name);
    if (rule === undefined)
      return this.#makefile.patternRules
        ? found.unknown(`make ${name}`, 'a pattern rule may build it')
        : [];
    if (rule.dynamic !== undefined)
      return found.unknown(`make ${name}`, rule.dynamic, [{ type: 'path', id: this.#path }]);
    const findings: Finding[] = [];
    for (const prerequisite of rule.prerequisites)
      findings.push(...(await this.visit(prerequisite, depth + 1)));
    if (rule.recipe.length === 0 && this.#makefile.patternRules && !this.#isPhony(name))
      return [
        ...findings,
        ...found.unknown(`make ${name}`, 'a pattern rule may supply its recipe'),
      ];
    const automatic = {
      '@': name,
      '<': rule.prerequisites[0] ?? '',
      '^': [...new Set(rule.prerequisites)].join(' '),
      '+': rule.prerequisites.join(' '),
      '?': rule.prerequisites.join(' '),
    };
    const lines: string[] = [];
    for (const line of rule.recipe) {
      const expanded = expand(line, this.#variables, automatic);
      if ('why' in expanded)
        return [
          ...findings,
          ...found.unknown(`make ${name}`, expanded.why, [{ type: 'path', id: this.#path }]),
        ];
      lines.push(expanded.text.replace(/^[\s@+-]*/, ''));
    }
    const scripts = this.#makefile.oneShell ? [lines.join('\n')] : lines;
    for (const code of scripts) {
      if (code.trim() === '') continue;
      findings.push(
        ...(await this.#inv.shell(
          this.#dir === this.#inv.cwd ? code : `cd ${shellQuote(this.#dir)}\n${code}`,
        )),
      );
    }
    return findings;
  }

  #isPhony(name: string): boolean {
    return this.#rules.get('.PHONY')?.prerequisites.includes(name) ?? false;
  }
}

/** `make -n`, `-q`, `-t`: no recipe runs, except lines marked `+` and recursive `$(MAKE)` lines. */
function dryRun(
  makefile: Makefile,
  args: MakeArgs,
  target: { type: string; id: string }[],
): Finding[] {
  const runsAnyway = [...makefile.rules.values()].some((rule) =>
    rule.recipe.some((line) => /^[\s@-]*\+/.test(line) || /\$[({]MAKE[)}]/.test(line)),
  );
  if (runsAnyway)
    return found.unknown('make -n', 'lines marked `+` and recursive make still run', target);
  if (args.flags.has('t'))
    return found.write(
      'make -t (touches the targets)',
      args.dir === undefined ? target : [{ type: 'path', id: args.dir }],
    );
  return found.read('make -n (prints the recipes)', target);
}

/** The rules with their target and prerequisite names expanded. */
function expandedRules(
  makefile: Makefile,
  variables: (name: string) => Expanded,
): { map: Map<string, MakeRule> } | { why: string } {
  const map = new Map<string, MakeRule>();
  for (const [name, rule] of makefile.rules) {
    const target = name.includes('$') ? expand(name, variables, {}) : { text: name };
    if ('why' in target) return target;
    const prerequisites: string[] = [];
    for (const word of rule.prerequisites) {
      const expanded = word.includes('$') ? expand(word, variables, {}) : { text: word };
      if ('why' in expanded) return expanded;
      prerequisites.push(...expanded.text.split(/\s+/).filter((part) => part !== ''));
    }
    for (const one of target.text.split(/\s+/).filter((part) => part !== '')) {
      const existing = map.get(one);
      map.set(one, {
        prerequisites: [...(existing?.prerequisites ?? []), ...prerequisites],
        recipe: [...(existing?.recipe ?? []), ...rule.recipe],
        dynamic: existing?.dynamic ?? rule.dynamic,
      });
    }
  }
  return { map };
}

/** Expands make references in `text`: `$$`, `$(VAR)`, `${VAR}`, `$X`, automatic variables; functions are not followed. */
export function expand(
  text: string,
  variables: (name: string) => Expanded,
  automatic: Readonly<Record<string, string>>,
  depth = 0,
): Expanded {
  if (depth > MAX_EXPANSION) return { why: 'variables nested too deep' };
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char !== '$') {
      out += char;
      continue;
    }
    const next = text[index + 1];
    if (next === undefined) break;
    if (next === '$') {
      out += '$';
      index++;
      continue;
    }
    if (next === '(' || next === '{') {
      const close = text.indexOf(next === '(' ? ')' : '}', index + 2);
      if (close < 0) return { why: 'an unclosed variable reference' };
      const name = text.slice(index + 2, close);
      if (!/^[A-Za-z0-9_.-]+$/.test(name))
        return {
          why: `\`$${next}${name.slice(0, 40)}…\` (a function, substitution or computed name) is not followed`,
        };
      const value = variables(name);
      if ('why' in value) return value;
      const inner = expand(value.text, variables, automatic, depth + 1);
      if ('why' in inner) return inner;
      out += inner.text;
      index = close;
      continue;
    }
    index++;
    const auto = automatic[next];
    if (auto !== undefined) out += auto;
    else if (/[A-Za-z0-9_]/.test(next)) {
      const value = variables(next);
      if ('why' in value) return value;
      out += value.text;
    } else return { why: `\`$${next}\` is known only to make` };
  }
  return { text: out };
}

/** Parses make's command line: folder, files, goals, `VAR=value` overrides and single-letter flags. */
function makeArgs(inv: Invocation): MakeArgs | { why: string } {
  const result: MakeArgs = {
    dir: inv.cwd,
    files: [],
    goals: [],
    overrides: new Map(),
    flags: new Set(),
  };
  const texts = inv.args.map((arg) =>
    arg.value.known && !arg.value.glob ? arg.value.text : undefined,
  );
  if (texts.some((text) => text === undefined)) return { why: 'arguments known only at run time' };
  const long: Record<string, string> = {
    '--directory': 'C',
    '--file': 'f',
    '--makefile': 'f',
    '--eval': 'E',
    '--include-dir': 'I',
    '--old-file': 'o',
    '--assume-old': 'o',
    '--what-if': 'W',
    '--new-file': 'W',
    '--assume-new': 'W',
    '--just-print': 'n',
    '--dry-run': 'n',
    '--recon': 'n',
    '--question': 'q',
    '--touch': 't',
    '--environment-overrides': 'e',
    '--version': 'v',
    '--help': 'h',
    '--print-data-base': 'p',
  };
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index] as string;
    let letter: string | undefined;
    let value: string | undefined;
    if (text.startsWith('--')) {
      const [name = text, inline] = text.includes('=')
        ? [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)]
        : [text];
      letter = long[name];
      if (letter === undefined) continue;
      value = inline ?? ('CfEIoW'.includes(letter) ? texts[++index] : undefined);
    } else if (text.startsWith('-') && text.length > 1) {
      for (let at = 1; at < text.length; at++) {
        const flag = text[at] as string;
        if ('CfEIoW'.includes(flag)) {
          letter = flag;
          value = at + 1 < text.length ? text.slice(at + 1) : texts[++index];
          break;
        }
        if (flag === 'j' || flag === 'l') {
          if (at + 1 === text.length && /^\d+$/.test(texts[index + 1] ?? '')) index++;
          break;
        }
        result.flags.add(flag);
      }
    } else if (/^[A-Za-z_.][A-Za-z0-9_.-]*\s*:?=/.test(text)) {
      const equals = text.indexOf('=');
      result.overrides.set(text.slice(0, equals).replace(/:$/, '').trim(), text.slice(equals + 1));
      continue;
    } else {
      result.goals.push(text);
      continue;
    }
    if (letter === undefined) continue;
    result.flags.add(letter);
    if (letter === 'C' && value !== undefined)
      (result as { dir: string | undefined }).dir = resolvePath(value, result.dir);
    if (letter === 'f' && value !== undefined) result.files.push(value);
  }
  return result;
}

/** The Makefile make would read: `-f FILE…` (joined in order), else GNUmakefile, makefile, Makefile. */
async function loadMakefile(
  inv: Invocation,
  args: MakeArgs,
): Promise<{ makefile: Makefile; path: string } | { findings: Finding[] }> {
  const dir = args.dir as string;
  if (inv.files === undefined)
    return { findings: found.unknown('make', 'the Makefile cannot be read here') };
  const named = args.files.length > 0;
  const candidates = named
    ? args.files.map((file) => resolvePath(file, dir))
    : MAKEFILE_NAMES.map((name) => posix.join(dir, name));
  if (!(await folderVisible(inv, dir)))
    return { findings: found.unknown('make', `the folder ${dir} is not visible to Airlock`) };
  const texts: string[] = [];
  let first: string | undefined;
  for (const path of candidates) {
    if (path === undefined)
      return { findings: found.unknown('make -f', 'Makefile known only at run time') };
    if (inv.mayHaveWritten(path))
      return {
        findings: found.unknown('make', 'the Makefile is written earlier in this command line', [
          { type: 'path', id: path },
        ]),
      };
    const read = await inv.files.read(path);
    if (read.kind === 'unreadable')
      return {
        findings: found.unknown('make', `cannot read ${path}: ${read.why}`, [
          { type: 'path', id: path },
        ]),
      };
    if (read.kind === 'missing') {
      if (named)
        return {
          findings: found.read(`make -f ${path} (no such file: make fails and runs nothing)`, [
            { type: 'path', id: path },
          ]),
        };
      continue;
    }
    first ??= path;
    texts.push(read.text);
    if (!named) break;
  }
  if (first === undefined) {
    // Without a Makefile, make's builtin rules may still compile a goal from a source file.
    return {
      findings:
        args.goals.length === 0
          ? found.read('make (no Makefile: make fails and runs nothing)')
          : found.execute(`make ${args.goals.join(' ')} (no Makefile: make's builtin rules)`, [
              { type: 'path', id: dir },
            ]),
    };
  }
  return { makefile: parseMakefile(texts.join('\n')), path: first };
}
