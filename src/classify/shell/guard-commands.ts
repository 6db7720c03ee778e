import { posix } from 'node:path';
import type { GuardHit } from './guard-paths.js';
import { couldMatch, guardedRead, guardedWrite, isOtherEnviron } from './guard-paths.js';
import { parseOptions } from './options.js';
import { isInside, resolvePath } from './paths.js';
import type { Arg, GuardSettings, Invocation } from './types.js';

/**
 * What one command's arguments say about guarded paths, where its handler gives no path target:
 * reads of another process's environment or of the Airlock home (by any command), and changes
 * that name a guarded path as an operand (chmod, touch, ln, editors, `perl -i`, `git checkout --`,
 * `find -delete`). Writes that handlers report as path targets are judged in guard.ts instead.
 */

/** Commands that never open the files they name: printing, testing or listing a name is no read. */
const NAMES_ONLY = new Set(['echo', 'printf', ':', 'true', 'false', 'test', '[', 'ls', 'stat', 'realpath', 'readlink', 'basename', 'dirname', 'cd', 'pushd', 'which', 'type']);
/** Commands that change the files (or links to the files) named as their operands. */
const CHANGES_OPERANDS = new Set([
  'chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'touch', 'ln', 'link', 'rmdir', 'sponge', 'patch', 'setfattr', 'xattr', 'chflags',
  'vi', 'vim', 'nvim', 'nano', 'emacs', 'ed', 'ex', 'code', 'subl', 'micro', 'pico', 'joe', 'mcedit', 'kak', 'hx',
]);
/** Interpreters whose `-i` edits the files named as operands in place. */
const IN_PLACE_EDITORS = new Set(['perl', 'ruby']);
/** git subcommands that overwrite, move or delete the paths they are given. */
const GIT_CHANGES_PATHS = new Set(['checkout', 'restore', 'rm', 'mv', 'stash', 'clean', 'reset', 'checkout-index', 'update-index']);
/** find actions that take what is found away (or hand it to a command that may). */
const FIND_CHANGES = new Set(['-delete', '-exec', '-execdir', '-ok', '-okdir']);

/** Another process's environment, or the Airlock home, read through `inv`'s arguments. */
export function guardedArgumentRead(inv: Invocation, guard: GuardSettings): GuardHit | undefined {
  if (NAMES_ONLY.has(inv.name)) return undefined;
  for (const arg of inv.args) {
    if (!arg.value.known) {
      // `/proc/$PID/environ`: any pid but the shell's own.
      const raw = arg.word?.raw ?? '';
      const pid = /\/proc\/([^/\s]*)\/(?:task\/[^/\s]*\/)?environ/.exec(raw)?.[1];
      if (pid !== undefined && !/^(self|thread-self|\$\$|\$\{\$\}|\$BASHPID|\$\{BASHPID\})$/.test(pid)) return environHit(raw);
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
  if (CHANGES_OPERANDS.has(inv.name)) return firstGuarded(parseOptions(inv.args).operands, inv.cwd, guard);
  if (IN_PLACE_EDITORS.has(inv.name)) {
    const options = parseOptions(inv.args, new Set(['-e', '-E', '-I', '-M', '-m', '-r']));
    return [...options.flags].some((flag) => flag === '-i') || inv.args.some((arg) => /^-[a-zA-Z]*i/.test(arg.value.text ?? '')) ? firstGuarded(options.operands, inv.cwd, guard) : undefined;
  }
  if (inv.name === 'git') return gitWrite(inv, guard);
  if (inv.name === 'find') return findWrite(inv, guard);
  return undefined;
}

function environHit(path: string): GuardHit {
  return { guarded: path, why: 'another process\'s environment (its secrets)' };
}

/** The paths an argument may name: itself, and the value of `x=/path` / `--opt=~/path`. */
function pathsIn(arg: Arg, inv: Invocation): string[] {
  const text = arg.value.text as string;
  const texts = [text];
  const eq = text.indexOf('=');
  if (eq > 0 && /^(\/|~|\.\.?\/)/.test(text.slice(eq + 1))) texts.push(text.slice(eq + 1));
  return texts.map((item) => resolvePath(item, inv.cwd) ?? item);
}

function firstGuarded(operands: readonly Arg[], cwd: string | undefined, guard: GuardSettings): GuardHit | undefined {
  for (const operand of operands) {
    if (!operand.value.known) continue;
    const hit = guardedWrite(resolvePath(operand.value.text, cwd) ?? operand.value.text, guard);
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
    const value = text === '-C' || text === '--work-tree' || text === '--git-dir' || text === '-c' ? inv.args[++index]?.value.text : text.startsWith('--work-tree=') ? text.slice(12) : undefined;
    if (text === '-C' || text.startsWith('--work-tree')) cwd = value === undefined ? undefined : resolvePath(value, cwd);
    index++;
  }
  const sub = inv.args[index]?.value.text;
  if (sub === undefined || !GIT_CHANGES_PATHS.has(sub)) return undefined;
  const options = parseOptions(inv.args.slice(index + 1), new Set(['-s', '--source', '-m', '--message', '-b', '-B', '--orphan', '--conflict', '--pathspec-from-file', '-e', '--exclude']));
  return firstGuarded(options.operands, cwd, guard);
}

/**
 * `find START… [-name PAT] -delete|-exec…`: a guarded path under a start folder whose name the
 * filters could match. A client's config by name counts only under the project (or a folder above
 * it) or inside a client's folder: that is where clients read it from.
 */
function findWrite(inv: Invocation, guard: GuardSettings): GuardHit | undefined {
  const texts = inv.args.map((arg) => arg.value.text);
  if (!texts.some((text) => text !== undefined && FIND_CHANGES.has(text))) return undefined;
  const firstExpression = texts.findIndex((text) => text === undefined || text.startsWith('-') || text === '(' || text === '!');
  const starts = (firstExpression < 0 ? texts : texts.slice(0, firstExpression)).map((text) => {
    const path = text === undefined ? undefined : resolvePath(text, inv.cwd);
    return path === undefined ? undefined : place(path, guard);
  });
  if (starts.length === 0) starts.push(inv.cwd === undefined ? undefined : place(inv.cwd, guard));
  const names = texts.flatMap((text, index) => (text === '-name' || text === '-iname' ? [texts[index + 1] ?? '*'] : []));
  const nameMatches = (path: string): boolean => names.length === 0 || path.split('/').some((segment) => names.some((name) => couldMatch(name, segment)));
  for (const start of starts) {
    if (start === undefined) continue;
    for (const guarded of guard.paths) {
      const placed = place(guarded, guard);
      if ((placed === start || isInside(placed, start)) && nameMatches(placed.slice(start.length))) return guardedWrite(placed, guard);
      if (isInside(start, placed)) return guardedWrite(start, guard);
    }
    const where = inv.project === undefined || start === inv.project || isInside(inv.project, start) || start === place('~', guard);
    for (const name of guard.names ?? []) {
      const insideClientFolder = guardedWrite(start, { paths: [], names: [name] }) !== undefined;
      if ((where || insideClientFolder) && nameMatches(name)) return guardedWrite(posix.join(start, name), guard);
    }
  }
  return undefined;
}

/** A guarded path with `~` placed in the user's home, when known. */
function place(path: string, guard: GuardSettings): string {
  return guard.userHome !== undefined && (path === '~' || path.startsWith('~/')) ? guard.userHome + path.slice(1) : path;
}
