import { createRequire } from 'node:module';
import type { Command, Script, Word } from './ast.js';
import { nestedScripts } from './parser.js';

/**
 * A second, finer check by mvdan/sh (package `mvdan-sh`, its GopherJS build with the full syntax
 * tree): every simple command both parsers see must have the same words, each either the same
 * literal text after quote removal or dynamic in both. A word one parser reads as `rm` and the
 * other as something else, or as literal where the other sees an expansion, means the classifier
 * may judge a command that is not the one bash runs: the caller answers `unknown`.
 * Commands are compared as a multiset (the two trees order nested commands differently).
 * Declarations (`export`, `declare`, `local`, …, `let`) are skipped on both sides: mvdan/sh gives
 * them their own node; their nested substitutions are still compared.
 */

/** One word: its literal text, `dynamic`, or `ansi` ($'…', decoded differently, matches anything). */
type WordSig =
  | { readonly kind: 'lit'; readonly text: string }
  | { readonly kind: 'dynamic' }
  | { readonly kind: 'ansi' };

const DECLARATIONS = new Set([
  'export',
  'declare',
  'local',
  'readonly',
  'typeset',
  'nameref',
  'let',
]);

interface MvdanSyntax {
  NewParser(): { Parse(src: string, name: string): unknown };
  Walk(node: unknown, visit: (node: unknown) => boolean): void;
  NodeType(node: unknown): string;
}

let mvdan: MvdanSyntax | undefined;

/** Loaded on first use (60-150 ms): only processes that classify shell pay for it. */
function mvdanSyntax(): MvdanSyntax {
  mvdan ??= (createRequire(import.meta.url)('mvdan-sh') as { syntax: MvdanSyntax }).syntax;
  return mvdan;
}

/** Why mvdan/sh's words disagree with ours, or undefined when every simple command matches. */
export function wordDisagreement(source: string, script: Script): string | undefined {
  let theirs: WordSig[][];
  try {
    theirs = mvdanCommands(mvdanParse(source));
  } catch {
    return 'mvdan/sh rejects the command';
  }
  const ours = ourCommands(script);
  if (ours.length !== theirs.length)
    return `the shell parsers disagree on how many commands run (${ours.length} vs ${theirs.length})`;
  const unmatched = [...ours];
  for (const command of theirs) {
    const at = unmatched.findIndex((candidate) => sameCommand(candidate, command));
    if (at < 0) return 'the shell parsers disagree on the words of a command';
    unmatched.splice(at, 1);
  }
  return undefined;
}

function sameCommand(ours: readonly WordSig[], theirs: readonly WordSig[]): boolean {
  if (ours.length !== theirs.length) return false;
  return theirs.every((word, index) => {
    const mine = ours[index] as WordSig;
    if (word.kind === 'ansi') return true;
    if (word.kind === 'dynamic') return mine.kind === 'dynamic';
    return mine.kind === 'lit' && mine.text === word.text;
  });
}

// ---- mvdan/sh's side ----

type Node = Record<string, unknown>;

/** mvdan/sh's tree of `source`; throws when mvdan/sh rejects it as bash. */
export function mvdanParse(source: string): unknown {
  return mvdanSyntax().NewParser().Parse(source, 'command');
}

/** The byte offsets where mvdan/sh sees each top-level statement begin. */
export function mvdanStatementStarts(file: unknown): number[] {
  return ((file as { Stmts?: { Pos(): { Offset(): number } }[] }).Stmts ?? []).map((stmt) =>
    stmt.Pos().Offset(),
  );
}

function mvdanCommands(file: unknown): WordSig[][] {
  const syntax = mvdanSyntax();
  const commands: WordSig[][] = [];
  syntax.Walk(file, (node) => {
    if (node !== null && node !== undefined && syntax.NodeType(node) === 'CallExpr') {
      const args = ((node as Node).Args ?? []) as Node[];
      if (args.length > 0) commands.push(args.map((word) => mvdanWord(syntax, word)));
    }
    return true;
  });
  return commands;
}

function mvdanWord(syntax: MvdanSyntax, word: Node): WordSig {
  let text = '';
  for (const part of (word.Parts ?? []) as Node[]) {
    const type = syntax.NodeType(part);
    if (type === 'Lit') text += unescapeUnquoted(String(part.Value));
    else if (type === 'SglQuoted') {
      if (part.Dollar === true) return { kind: 'ansi' };
      text += String(part.Value);
    } else if (type === 'DblQuoted') {
      if (part.Dollar === true) return { kind: 'ansi' }; // $"…": locale translation
      for (const inner of (part.Parts ?? []) as Node[]) {
        if (syntax.NodeType(inner) !== 'Lit') return { kind: 'dynamic' };
        text += unescapeDoubleQuoted(String(inner.Value));
      }
    } else return { kind: 'dynamic' };
  }
  return { kind: 'lit', text };
}

/** Quote removal outside quotes: `\x` is x, backslash-newline is nothing. */
function unescapeUnquoted(raw: string): string {
  return raw.replaceAll(/\\\n/g, '').replaceAll(/\\([\s\S])/g, '$1');
}

/** Inside double quotes a backslash escapes only $ ` " \ and newline. */
function unescapeDoubleQuoted(raw: string): string {
  return raw.replaceAll(/\\\n/g, '').replaceAll(/\\([$`"\\])/g, '$1');
}

// ---- our side ----

function ourCommands(script: Script): WordSig[][] {
  const commands: WordSig[][] = [];
  const visitWord = (word: Word): void => {
    for (const part of word.parts) for (const nested of nestedScripts(part)) visitScript(nested);
  };
  const visitCommand = (command: Command): void => {
    if (command.kind === 'function') return visitCommand(command.body);
    for (const redirect of command.redirects) {
      visitWord(redirect.target);
      if (redirect.heredoc !== undefined) visitWord(redirect.heredoc);
    }
    if (command.kind === 'simple') {
      for (const assign of command.assigns) for (const word of assign.value) visitWord(word);
      for (const word of command.words) visitWord(word);
      const words = withoutReservedPrefix(command.words);
      const first = words[0];
      const declaration =
        first !== undefined &&
        first.parts.length === 1 &&
        first.parts[0]?.kind === 'lit' &&
        DECLARATIONS.has(first.parts[0].value);
      if (words.length > 0 && !declaration) commands.push(words.map(ourWord));
      return;
    }
    for (const word of command.words) visitWord(word);
    if (command.kind === 'compound') for (const body of command.bodies) visitScript(body);
    else for (const nested of command.nested) visitScript(nested);
  };
  const visitScript = (nested: Script): void => {
    for (const pipeline of nested.pipelines)
      for (const command of pipeline.commands) visitCommand(command);
  };
  visitScript(script);
  return commands;
}

/**
 * `time [-p]` and `coproc` are reserved words to bash (and mvdan/sh gives them their own node
 * around the command); our parser keeps them as the command's first words.
 */
function withoutReservedPrefix(words: readonly Word[]): readonly Word[] {
  const text = (word: Word | undefined): string | undefined =>
    word !== undefined &&
    word.parts.length === 1 &&
    word.parts[0]?.kind === 'lit' &&
    !word.parts[0].quoted
      ? word.parts[0].value
      : undefined;
  if (text(words[0]) === 'coproc') return words.slice(1);
  if (text(words[0]) !== 'time') return words;
  return text(words[1]) === '-p' ? words.slice(2) : words.slice(1);
}

function ourWord(word: Word): WordSig {
  let text = '';
  for (const part of word.parts) {
    if (part.kind !== 'lit') return { kind: 'dynamic' };
    text += part.value;
  }
  return { kind: 'lit', text };
}
