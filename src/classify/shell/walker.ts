import { posix } from 'node:path';
import type { Command, Redirect, Script, Word } from './ast.js';
import { HANDLERS } from './catalog/index.js';
import { runProjectFile } from './catalog/scripts.js';
import { guardInvocation } from './guard.js';
import { writeFinding } from './catalog/files.js';
import { parseOptions } from './options.js';
import { isInside, resolvePath } from './paths.js';
import { nestedScripts, parseShell, ShellSyntaxError } from './parser.js';
import { mvdanDisagreement } from './syntax-check.js';
import type { Arg, Finding, Invocation, ShellContext, Stdin } from './types.js';
import { found } from './types.js';
import { literal, wordValue } from './words.js';

/** Shell code inside shell code (bash -c, eval, here-documents to sh) nests at most this deep. */
const MAX_NESTING = 12;
/** Folders whose binaries are the standard commands of their names. */
const BIN_DIRS = new Set(['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/opt/homebrew/bin', '/opt/local/bin', '/snap/bin', '/usr/lib/git-core']);

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
}

/** The paths a command line writes, in order, so that a later command reading one of them is not judged by its old text. */
export class WriteLog {
  private readonly paths = new Set<string>();

  record(findings: readonly Finding[]): void {
    for (const finding of findings) {
      if (finding.effect === 'read') continue;
      for (const target of finding.targets) if (target.type === 'path') this.paths.add(target.id);
    }
  }

  /** True when `path`, a folder above it, or a glob that could match it was written. */
  mayHaveWritten(path: string): boolean {
    for (const written of this.paths) {
      if (written === path || isInside(path, written)) return true;
      const globAt = written.search(/[*?[{]/);
      if (globAt >= 0) {
        const folder = written.slice(0, written.lastIndexOf('/', globAt));
        if (folder === '' || isInside(path, folder)) return true;
      }
    }
    return false;
  }
}

/**
 * Classifies shell code: parse (our parser, vouched for by mvdan/sh), then walk every command
 * that could run, in order, following `cd`, functions, substitutions and nested shells.
 */
export async function classifyCode(code: string, cwd: string | undefined, settings: WalkSettings, depth = 0): Promise<Finding[]> {
  if (depth > MAX_NESTING) return found.unknown('shell', 'code nested too deep');
  let script: Script;
  try {
    script = parseShell(code);
  } catch (error) {
    if (error instanceof ShellSyntaxError) return found.unknown('shell', `cannot parse: ${error.message}`);
    throw error;
  }
  const disagreement = await mvdanDisagreement(code, script);
  if (disagreement !== undefined) return found.unknown('shell', disagreement);
  const walker = new Walker(settings.written === undefined ? { ...settings, written: new WriteLog() } : settings, depth);
  return walker.script(script, { cwd, functions: new Set() }, { kind: 'none' });
}

class Walker {
  constructor(
    private readonly settings: WalkSettings,
    private readonly depth: number,
  ) {}

  async script(script: Script, scope: Scope, stdin: Stdin): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const pipeline of script.pipelines) {
      const alone = pipeline.commands.length === 1;
      let previous: Command | undefined;
      for (const command of pipeline.commands) {
        // Each part of a pipeline runs in its own subshell: a `cd` there does not last.
        const own = alone ? scope : { cwd: scope.cwd, functions: scope.functions };
        const input = previous === undefined ? stdin : outputOf(previous);
        const judged = await this.command(command, own, input);
        this.settings.written?.record(judged);
        findings.push(...judged);
        previous = command;
      }
    }
    return findings;
  }

  private async command(command: Command, scope: Scope, stdin: Stdin): Promise<Finding[]> {
    const findings: Finding[] = [];
    switch (command.kind) {
      case 'function':
        // Judged where it is defined, as if called: the name may shadow a harmless command.
        scope.functions.add(command.name);
        return this.command(command.body, scope, stdin);
      case 'test':
        for (const word of command.words) findings.push(...(await this.substitutions(word, scope)));
        for (const nested of command.nested) findings.push(...(await this.script(nested, { ...scope }, { kind: 'none' })));
        findings.push(...(await this.redirects(command.redirects, scope)));
        return findings;
      case 'compound': {
        const inner = command.keyword === '(' ? { cwd: scope.cwd, functions: new Set(scope.functions) } : scope;
        for (const word of command.words) findings.push(...(await this.substitutions(word, scope)));
        findings.push(...(await this.redirects(command.redirects, scope)));
        const input = stdinFrom(command.redirects) ?? stdin;
        for (const body of command.bodies) findings.push(...(await this.script(body, inner, input)));
        return findings;
      }
      case 'simple': {
        for (const assign of command.assigns) for (const word of assign.value) findings.push(...(await this.substitutions(word, scope)));
        for (const word of command.words) findings.push(...(await this.substitutions(word, scope)));
        findings.push(...(await this.redirects(command.redirects, scope)));
        const args = command.words.map((word): Arg => ({ word, value: wordValue(word) }));
        findings.push(...(await this.exec(args, scope, stdinFrom(command.redirects) ?? stdin)));
        followCd(args, scope);
        return findings;
      }
    }
  }

  /** Command and process substitutions inside a word run (in a subshell) before the command. */
  private async substitutions(word: Word, scope: Scope): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const part of word.parts) {
      for (const nested of nestedScripts(part)) findings.push(...(await this.script(nested, { cwd: scope.cwd, functions: new Set(scope.functions) }, { kind: 'none' })));
    }
    return findings;
  }

  private async redirects(redirects: readonly Redirect[], scope: Scope): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const redirect of redirects) {
      findings.push(...(await this.substitutions(redirect.target, scope)));
      if (redirect.heredoc !== undefined) findings.push(...(await this.substitutions(redirect.heredoc, scope)));
      const target: Arg = { word: redirect.target, value: wordValue(redirect.target) };
      const invocation = this.invocation('redirect', [], scope, { kind: 'none' });
      const duplicatesFd = (redirect.op === '>&' || redirect.op === '<&') && /^(\d+-?|-)$/.test(redirect.target.raw);
      if (duplicatesFd || redirect.op === '<' || redirect.op === '<<' || redirect.op === '<<-' || redirect.op === '<<<' || redirect.op === '<&') continue;
      const truncates = redirect.op === '>' || redirect.op === '>|' || redirect.op === '&>' || redirect.op === '>&';
      findings.push(...writeFinding(`redirect ${redirect.op}`, invocation, target, truncates));
    }
    return findings;
  }

  /** Runs an argument vector: resolves the command name and asks its handler. */
  async exec(args: readonly Arg[], scope: Scope, stdin: Stdin): Promise<Finding[]> {
    const first = args[0];
    if (first === undefined) return [];
    if (!first.value.known || first.value.glob) return found.unknown('shell', 'command name known only at run time');
    const written = first.value.text;
    if (scope.functions.has(written)) return [];
    let name = written;
    if (written.includes('/')) {
      const path = resolvePath(written, scope.cwd);
      const folder = path === undefined ? undefined : posix.dirname(path);
      if (folder !== undefined && BIN_DIRS.has(folder)) name = posix.basename(written);
      else if (path !== undefined && this.settings.project !== undefined && isInside(path, this.settings.project) && !path.includes('/.git/')) {
        return [...guardInvocation(this.invocation(written, args.slice(1), scope, stdin), this.settings.context?.guard), ...(await runProjectFile(this.invocation(written, args.slice(1), scope, stdin), path))];
      } else return found.unknown(written, 'runs a program outside the standard folders', path === undefined ? [] : [{ type: 'path', id: path }]);
    }
    const handler = HANDLERS.get(name);
    if (handler === undefined) return found.unknown(name, 'not a command Airlock knows');
    const invocation = this.invocation(name, args.slice(1), scope, stdin);
    return [...guardInvocation(invocation, this.settings.context?.guard), ...(await handler(invocation))];
  }

  private invocation(name: string, args: readonly Arg[], scope: Scope, stdin: Stdin): Invocation {
    return {
      name,
      args,
      cwd: scope.cwd,
      project: this.settings.project,
      stdin,
      upstream: this.settings.upstream,
      files: this.settings.context?.files,
      mayHaveWritten: (path) => this.settings.written?.mayHaveWritten(path) ?? false,
      shell: (code) => classifyCode(code, scope.cwd, this.settings, this.depth + 1),
      exec: (next, input) => (this.depth + 1 > MAX_NESTING ? Promise.resolve(found.unknown(name, 'wrappers nested too deep')) : new Walker(this.settings, this.depth + 1).exec(next, scope, input ?? { kind: 'none' })),
    };
  }
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
  else if (!operand.value.known || operand.value.glob || operand.value.text === '-') scope.cwd = undefined;
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
      stdin = parts.every((part) => part.kind === 'lit') ? { kind: 'text', text: parts.map((part) => (part.kind === 'lit' ? part.value : '')).join('') } : { kind: 'opaque' };
    } else if (redirect.op === '<' || redirect.op === '<&' || redirect.op === '<>') stdin = { kind: 'opaque' };
  }
  return stdin;
}

/** What a command writes to a pipe, when it is known text (`echo 'code' | sh`). */
function outputOf(command: Command): Stdin {
  if (command.kind !== 'simple') return { kind: 'opaque' };
  const words = command.words.map(literal);
  if (words.some((word) => word === undefined)) return { kind: 'opaque' };
  const [name, ...rest] = words as string[];
  if (name === 'echo' && !rest.some((word) => /^-[neE]+$/.test(word))) return { kind: 'text', text: `${rest.join(' ')}\n` };
  if (name === 'printf' && rest.length === 1 && !/[%\\]/.test(rest[0] ?? '')) return { kind: 'text', text: rest[0] ?? '' };
  if (name === 'cat' && rest.length === 0) return stdinFrom(command.redirects) ?? { kind: 'opaque' };
  return { kind: 'opaque' };
}
