import { posix } from 'node:path';
import type { GuardHit } from './guard-paths.js';
import { couldMatch, guardedRead, guardedWrite, isOtherEnviron } from './guard-paths.js';
import { parseOptions } from './options.js';
import { isInside, resolvePath } from './paths.js';
import type { Arg, GuardSettings, Invocation } from './types.js';
import { knownArg } from './types.js';

/**
 * What one command's arguments say about guarded paths, where its handler gives no path target:
 * reads of another process's environment or of the Airlock home (by any command), and changes
 * that name a guarded path as an operand (chmod, touch, ln, editors, `perl -i`, `git checkout --`,
 * `find -delete`). Writes that handlers report as path targets are judged in guard.ts instead.
 */

/** Commands that never open the files they name: printing, testing or listing a name is no read. */
const NAMES_ONLY = new Set([
  'echo',
  'printf',
  ':',
  'true',
  'false',
  'test',
  '[',
  'ls',
  'stat',
  'realpath',
  'readlink',
  'basename',
  'dirname',
  'cd',
  'pushd',
  'which',
  'type',
]);
/** Commands that change the files (or links to the files) named as their operands. */
const CHANGES_OPERANDS = new Set([
  'chmod',
  'chown',
  'chgrp',
  'chattr',
  'setfacl',
  'touch',
  'ln',
  'link',
  'rmdir',
  'sponge',
  'patch',
  'setfattr',
  'xattr',
  'chflags',
  'vi',
  'vim',
  'nvim',
  'nano',
  'emacs',
  'ed',
  'ex',
  'code',
  'subl',
  'micro',
  'pico',
  'joe',
  'mcedit',
  'kak',
  'hx',
]);
/** Interpreters whose `-i` edits the files named as operands in place. */
const IN_PLACE_EDITORS = new Set(['perl', 'ruby']);
/** git subcommands that overwrite, move or delete the paths they are given. */
const GIT_CHANGES_PATHS = new Set([
  'checkout',
  'restore',
  'rm',
  'mv',
  'stash',
  'clean',
  'reset',
  'checkout-index',
  'update-index',
]);
/** find actions that take what is found away (or hand it to a command that may). */
const FIND_CHANGES = new Set(['-delete', '-exec', '-execdir', '-ok', '-okdir']);
/** Commands find may hand what it found to without changing it. */
const FIND_READERS = new Set([
  'cat',
  'head',
  'tail',
  'grep',
  'egrep',
  'rg',
  'wc',
  'ls',
  'stat',
  'file',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'jq',
  'echo',
  'printf',
  'basename',
  'dirname',
  'du',
  'test',
]);

/** Interpreters whose inline code (`-c`, `-e`, a here-document) may open any file by name. */
const INTERPRETERS = new Set([
  'python',
  'python2',
  'python3',
  'node',
  'nodejs',
  'perl',
  'ruby',
  'php',
  'deno',
  'bun',
  'lua',
  'Rscript',
  'osascript',
  'pwsh',
  'powershell',
  'awk',
  'gawk',
  'mawk',
  'tclsh',
  'julia',
]);

/**
 * Inline code that names a guarded path (`python3 -c "open('.claude/settings.json','w')"`), or a
 * script given one as an argument: the guard cannot follow the code, so naming what it guards is
 * enough (a read of a client's config through an interpreter is denied too; `cat` it instead).
 */
export function guardedCodeMention(inv: Invocation, guard: GuardSettings): GuardHit | undefined {
  if (!INTERPRETERS.has(inv.name) && !/^python\d/.test(inv.name)) return undefined;
  const texts = inlineCode(inv);
  if (inv.stdin.kind === 'text') texts.push(inv.stdin.text);
  const code = texts.join('\n').toLowerCase();
  if (/\/proc\/[^'"\s]*environ/.test(code) && !/\/proc\/(self|thread-self)\/environ/.test(code))
    return environHit('/proc/*/environ');
  const named = [
    ...(guard.names ?? []),
    ...guard.paths.map((path) => place(path, guard)),
    ...guard.paths.filter((path) => path.startsWith('~/')).map((path) => path.slice(1)),
  ];
  const hit = named.find((path) => code.includes(path.toLowerCase()));
  if (hit !== undefined)
    return { guarded: hit, why: 'named by code Airlock cannot follow, and guarded' };
  // A script handed a guarded path may write it (awk's operands are only its input).
  return inv.name.endsWith('awk')
    ? undefined
    : firstGuarded(parseOptions(inv.args).operands, inv.cwd, guard);
}

/** The code given on the command line (`-c CODE`, `-e CODE`, `deno eval CODE`, awk's program); not the files it reads. */
function inlineCode(inv: Invocation): string[] {
  const texts = inv.args.map((arg) => arg.value.text);
  if (inv.name.endsWith('awk')) {
    const program = texts.find(
      (text, index) =>
        text !== undefined && !text.startsWith('-') && !/^-[fv]$/.test(texts[index - 1] ?? ''),
    );
    return program === undefined ? [] : [program];
  }
  const code: string[] = [];
  texts.forEach((text, index) => {
    const next = texts[index + 1];
    if (next === undefined || text === undefined) return;
    if (
      /^-[a-zA-Z]*[ceE]$/.test(text) ||
      ['-r', '-p', '--eval', '--print', '-Command', '--command', 'eval'].includes(text)
    )
      code.push(next);
  });
  return code;
}

/** Another process's environment, or the Airlock home, read through `inv`'s arguments. */
export function guardedArgumentRead(inv: Invocation, guard: GuardSettings): GuardHit | undefined {
  if (NAMES_ONLY.has(inv.name)) return undefined;
  for (const arg of inv.args) {
    if (!arg.value.known) {
      // `/proc/$PID/environ`: any pid but the shell's own.
      const raw = arg.word?.raw ?? '';
      const pid = /\/proc\/([^/\s]*)\/(?:task\/[^/\s]*\/)?environ/.exec(raw)?.[1];
      if (
        pid !== undefined &&
        !/^(self|thread-self|\$\$|\$\{\$\}|\$BASHPID|\$\{BASHPID\})$/.test(pid)
      )
        return environHit(raw);
      continue;
    }
    for (const path of pathsIn(arg, inv)) {
      if (isOtherEnviron(path)) return environHit(path);
      const hit = guardedRead(path, guard);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

/** A guarded path that `inv` changes through an operand its handler gives no target for. */
export function guardedOperandWrite(inv: Invocation, guard: GuardSettings): GuardHit | undefined {
  if (CHANGES_OPERANDS.has(inv.name))
    return firstGuarded(parseOptions(inv.args).operands, inv.cwd, guard);
  if (IN_PLACE_EDITORS.has(inv.name)) {
    const options = parseOptions(inv.args, new Set(['-e', '-E', '-I', '-M', '-m', '-r']));
    return [...options.flags].some((flag) => flag === '-i') ||
      inv.args.some((arg) => /^-[a-zA-Z]*i/.test(arg.value.text ?? ''))
      ? firstGuarded(options.operands, inv.cwd, guard)
      : undefined;
  }
  if (inv.name === 'dd')
    return firstGuarded(
      inv.args.flatMap((arg) =>
        textOf(arg)?.startsWith('of=') ? [knownArg((textOf(arg) as string).slice(3))] : [],
      ),
      inv.cwd,
      guard,
    );
  if (inv.name === 'git') return gitWrite(inv, guard);
  if (inv.name === 'find') return findWrite(inv, guard);
  return undefined;
}

function environHit(path: string): GuardHit {
  return { guarded: path, why: "another process's environment, which holds its secrets" };
}

/** The paths an argument may name: itself, and the value of `x=/path` / `--opt=~/path`. */
function pathsIn(arg: Arg, inv: Invocation): string[] {
  const text = arg.value.text as string;
  const texts = [text];
  const eq = text.indexOf('=');
  if (eq > 0 && /^(\/|~|\.\.?\/)/.test(text.slice(eq + 1))) texts.push(text.slice(eq + 1));
  return texts.map((item) => resolvePath(item, inv.cwd) ?? item);
}

/**
 * An argument's text; for one the walker could not know, its source when the only expansion in
 * it is the home folder (`of=$HOME/x` → `of=~/x`), which places `~` anywhere in a word.
 */
function textOf(arg: Arg): string | undefined {
  if (arg.value.known) return arg.value.text;
  const raw = arg.word?.raw.replace(/\$\{?HOME\}?/g, '~').replace(/["']/g, '');
  return raw === undefined || /[$`\\]/.test(raw) ? undefined : raw;
}

function firstGuarded(
  operands: readonly Arg[],
  cwd: string | undefined,
  guard: GuardSettings,
): GuardHit | undefined {
  for (const operand of operands) {
    const text = textOf(operand);
    if (text === undefined) continue;
    const hit = guardedWrite(resolvePath(text, cwd) ?? text, guard);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** `git [-C dir] [--work-tree=dir] checkout|restore|rm|mv… PATH`: paths land under -C / --work-tree. */
function gitWrite(inv: Invocation, guard: GuardSettings): GuardHit | undefined {
  let cwd = inv.cwd;
  let index = 0;
  while (index < inv.args.length) {
    const text = inv.args[index]?.value.text;
    if (text === undefined || !text.startsWith('-')) break;
    const value =
      text === '-C' || text === '--work-tree' || text === '--git-dir' || text === '-c'
        ? inv.args[++index]?.value.text
        : text.startsWith('--work-tree=')
          ? text.slice(12)
          : undefined;
    if (text === '-C' || text.startsWith('--work-tree'))
      cwd = value === undefined ? undefined : resolvePath(value, cwd);
    index++;
  }
  const sub = inv.args[index]?.value.text;
  if (sub === undefined || !GIT_CHANGES_PATHS.has(sub)) return undefined;
  const options = parseOptions(
    inv.args.slice(index + 1),
    new Set([
      '-s',
      '--source',
      '-m',
      '--message',
      '-b',
      '-B',
      '--orphan',
      '--conflict',
      '--pathspec-from-file',
      '-e',
      '--exclude',
    ]),
  );
  return firstGuarded(options.operands, cwd, guard);
}

/**
 * `find START… [-name PAT] -delete|-exec…`: a guarded path under a start folder whose name the
 * filters could match. A client's config by name counts only under the project (or a folder above
 * it) or inside a client's folder: that is where clients read it from.
 */
function findWrite(inv: Invocation, guard: GuardSettings): GuardHit | undefined {
  const texts = inv.args.map((arg) => arg.value.text);
  // -exec cat {} reads; -exec rm {} (or a command only the run knows) may change.
  const changes = texts.some(
    (text, index) =>
      text === '-delete' ||
      (text !== undefined && FIND_CHANGES.has(text) && !FIND_READERS.has(texts[index + 1] ?? '')),
  );
  if (!changes) return undefined;
  const firstExpression = texts.findIndex(
    (text) => text === undefined || text.startsWith('-') || text === '(' || text === '!',
  );
  const starts = (firstExpression < 0 ? texts : texts.slice(0, firstExpression)).map((text) => {
    const path = text === undefined ? undefined : resolvePath(text, inv.cwd);
    return path === undefined ? undefined : place(path, guard);
  });
  if (starts.length === 0) starts.push(inv.cwd === undefined ? undefined : place(inv.cwd, guard));
  const names = texts.flatMap((text, index) =>
    text === '-name' || text === '-iname' ? [texts[index + 1] ?? '*'] : [],
  );
  const nameMatches = (path: string): boolean =>
    names.length === 0 ||
    path.split('/').some((segment) => names.some((name) => couldMatch(name, segment, true)));
  for (const start of starts) {
    if (start === undefined) continue;
    for (const guarded of guard.paths) {
      const placed = place(guarded, guard);
      if ((placed === start || isInside(placed, start)) && nameMatches(placed.slice(start.length)))
        return guardedWrite(placed, guard);
      if (isInside(start, placed)) return guardedWrite(start, guard);
    }
    const where =
      inv.project === undefined ||
      start === inv.project ||
      isInside(inv.project, start) ||
      start === place('~', guard);
    for (const name of guard.names ?? []) {
      const insideClientFolder = guardedWrite(start, { paths: [], names: [name] }) !== undefined;
      if ((where || insideClientFolder) && nameMatches(name))
        return guardedWrite(posix.join(start, name), guard);
    }
  }
  return undefined;
}

/** A guarded path with `~` placed in the user's home, when known. */
function place(path: string, guard: GuardSettings): string {
  return guard.userHome !== undefined && (path === '~' || path.startsWith('~/'))
    ? guard.userHome + path.slice(1)
    : path;
}
