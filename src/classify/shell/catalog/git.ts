import { hasAny, parseOptions } from '../options.js';
import { resolvePath } from '../paths.js';
import type { Arg, Finding, FindingTarget, Handler, Invocation } from '../types.js';
import { found, knownArg } from '../types.js';
import { writeFinding } from './files.js';

/** git's options that come before the subcommand and take a value. */
const GLOBAL_WITH_VALUE = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--exec-path',
  '--config-env',
  '--super-prefix',
  '--list-cmds',
]);
/** Subcommands that only look. */
const READ = new Set([
  'status',
  'log',
  'diff',
  'show',
  'blame',
  'annotate',
  'rev-parse',
  'ls-files',
  'ls-tree',
  'ls-remote',
  'describe',
  'shortlog',
  'grep',
  'cat-file',
  'rev-list',
  'whatchanged',
  'show-ref',
  'show-branch',
  'for-each-ref',
  'merge-base',
  'name-rev',
  'cherry',
  'count-objects',
  'fsck',
  'verify-commit',
  'verify-tag',
  'help',
  'version',
  'var',
  'check-ignore',
  'check-attr',
  'diff-tree',
  'diff-files',
  'diff-index',
  'range-diff',
]);
/** Subcommands that change things recoverably (history keeps it, or it only adds). */
const WRITE = new Set([
  'add',
  'commit',
  'merge',
  'rebase',
  'pull',
  'fetch',
  'init',
  'clone',
  'cherry-pick',
  'revert',
  'mv',
  'rm',
  'apply',
  'am',
  'notes',
  'submodule',
  'remote',
  'config',
  'worktree',
  'sparse-checkout',
  'archive',
  'bundle',
  'format-patch',
  'mergetool',
  'difftool',
  'maintenance',
  'pack-refs',
  'repack',
  'commit-tree',
  'hash-object',
  'update-index',
  'read-tree',
  'write-tree',
  'mktree',
  'lfs',
  'gc',
  'stash',
  'tag',
  'branch',
  'checkout',
  'switch',
  'restore',
  'reset',
  'clean',
  'push',
  'reflog',
  'update-ref',
  'prune',
  'symbolic-ref',
  'replace',
  'bisect',
]);
/** Options of subcommands whose value is a program git runs (`--upload-pack` runs it locally for local and ssh remotes). */
const RUNS_PROGRAM = new Set([
  '--upload-pack',
  '--receive-pack',
  '--exec',
  '--template',
  '--sendmail-cmd',
  '--smtp-server',
]);
/** Subcommands where `-u` is `--upload-pack`. */
const SHORT_UPLOAD_PACK = new Set(['clone']);
/** Config keys whose value git runs as a command: an agent-chosen value means anything can run. */
const EXECUTES =
  /^(alias\.|core\.(pager|editor|sshcommand|fsmonitor|hookspath|askpass|gitproxy)|.*\.(command|cmd|helper|textconv|process|clean|smudge)$|sequence\.editor|gpg\.program|credential\.)/i;

/** git push: force in every spelling, deletions, mirror and prune. */
function push(args: readonly Arg[]): Finding[] {
  const options = parseOptions(
    args,
    new Set(['-o', '--push-option', '--repo', '--receive-pack', '--exec']),
  );
  const operands = options.operands.map((arg) => arg.value.text);
  if (options.dynamic) return found.unknown('git push', 'arguments known only at run time');
  const remote = operands[0] ?? 'default';
  const refspecs = operands.slice(1) as string[];
  const targets: FindingTarget[] = (refspecs.length > 0 ? refspecs : ['(current branch)']).map(
    (ref) => ({ type: 'git-ref', id: `${remote}/${ref.replace(/^\+/, '')}` }),
  );
  const forced =
    hasAny(
      options,
      '-f',
      '--force',
      '--force-with-lease',
      '--force-if-includes',
      '--mirror',
      '-d',
      '--delete',
      '--prune',
    ) || refspecs.some((ref) => ref.startsWith('+') || ref.startsWith(':'));
  return forced ? found.destroy('git push --force', targets) : found.write('git push', targets);
}

function subcommandFinding(sub: string, args: readonly Arg[]): Finding[] {
  const options = parseOptions(
    args,
    new Set([
      '-m',
      '--message',
      '-b',
      '-B',
      '-c',
      '-C',
      '--source',
      '-s',
      '--expire',
      '-F',
      '--file',
      '--format',
    ]),
  );
  const flag = (...names: string[]): boolean => hasAny(options, ...names);
  const words = options.operands.map((arg) => arg.value.text);
  const op = `git ${sub}`;
  switch (sub) {
    case 'push':
      return push(args);
    case 'reset':
      return flag('--hard', '--merge') ? found.destroy('git reset --hard') : found.write(op);
    case 'clean':
      return flag('-n', '--dry-run')
        ? found.read(op)
        : flag('-f', '--force')
          ? found.destroy('git clean -f')
          : found.read(op);
    case 'branch': {
      if (
        flag('-D') ||
        (flag('-d', '--delete') && flag('-f', '--force')) ||
        flag('-M', '-C') ||
        (flag('-m', '-c', '--move', '--copy') && flag('-f', '--force'))
      ) {
        return found.destroy(
          'git branch -D',
          words.map((name) => ({ type: 'git-ref', id: name ?? '?' })),
        );
      }
      return words.length === 0 &&
        !flag('-m', '-d', '--delete', '-u', '--set-upstream-to', '--unset-upstream')
        ? found.read(op)
        : found.write(op);
    }
    case 'tag':
      return flag('-d', '--delete')
        ? found.destroy('git tag -d')
        : words.length === 0 || flag('-l', '--list')
          ? found.read(op)
          : flag('-f', '--force')
            ? found.destroy('git tag -f')
            : found.write(op);
    case 'checkout': {
      // Discarding uncommitted changes cannot be undone: `checkout -f`, `checkout -- path`, `checkout .`.
      const discards =
        flag('-f', '--force') || args.some((arg) => arg.value.text === '--') || words.includes('.');
      return discards && !flag('-b')
        ? found.destroy('git checkout (discards changes)')
        : found.write(op);
    }
    case 'switch':
      return flag('-f', '--force', '--discard-changes')
        ? found.destroy('git switch --discard-changes')
        : found.write(op);
    case 'restore':
      return flag('--staged', '-S') && !flag('--worktree', '-W')
        ? found.write(op)
        : found.destroy('git restore (discards changes)');
    case 'stash':
      return words[0] === 'drop' || words[0] === 'clear'
        ? found.destroy(`git stash ${words[0]}`)
        : words[0] === 'list' || words[0] === 'show'
          ? found.read(op)
          : found.write(op);
    case 'reflog':
      return words[0] === 'expire' || words[0] === 'delete'
        ? found.destroy(`git reflog ${words[0]}`)
        : found.read(op);
    case 'gc':
      return [...options.flags].some((name) => name === '--prune')
        ? found.destroy('git gc --prune')
        : found.write(op);
    case 'prune':
      return found.destroy(op);
    case 'update-ref':
      return flag('-d') ? found.destroy('git update-ref -d') : found.write(op);
    case 'symbolic-ref':
      return flag('-d', '--delete') ? found.destroy('git symbolic-ref -d') : found.write(op);
    case 'worktree':
      return (words[0] === 'remove' && flag('-f', '--force')) || words[0] === 'prune'
        ? found.destroy(`git worktree ${words[0]}`)
        : found.write(op);
    case 'lfs':
      return words[0] === 'prune' ? found.destroy('git lfs prune') : found.write(op);
    case 'replace':
      return found.destroy(op);
    case 'filter-branch':
    case 'filter-repo':
      return found.destroy(op);
    case 'rm':
      return flag('-f', '--force') ? found.destroy('git rm -f') : found.write(op);
    case 'config':
      return words.some((word) => word !== undefined && EXECUTES.test(word))
        ? found.unknown(op, 'sets a command git will run')
        : found.write(op);
    case 'remote':
      return words.length === 0 || words[0] === 'show' || words[0] === 'get-url'
        ? found.read(op)
        : found.write(op);
    default:
      if (READ.has(sub)) return found.read(op);
      if (WRITE.has(sub)) return found.write(op);
      // Anything else may be a user alias, which can run arbitrary shell code (`!cmd`).
      return found.unknown(op, 'not a known git subcommand');
  }
}

/**
 * What a subcommand's options run or write, beyond its own effect: `rebase --exec` and
 * `difftool --extcmd` run shell code, `bisect run` and `submodule foreach` run commands,
 * `--upload-pack` and friends run programs, `--output` writes a file, `-c` on clone sets config.
 */
async function optionFindings(
  sub: string,
  args: readonly Arg[],
  inv: Invocation,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const op = `git ${sub}`;
  const texts = args.map((arg) => arg.value.text);
  if (sub === 'bisect' && texts[0] === 'run') return inv.exec(args.slice(1));
  if (sub === 'submodule' && texts.includes('foreach')) {
    const code = args
      .slice(texts.indexOf('foreach') + 1)
      .filter((arg) => arg.value.text !== '--recursive');
    if (code.some((arg) => !arg.value.known))
      return found.unknown(`${op} foreach`, 'command known only at run time');
    return inv.shell(code.map((arg) => arg.value.text).join(' '));
  }
  for (let index = 0; index < args.length; index++) {
    const text = texts[index];
    if (text === undefined) continue;
    const eq = text.indexOf('=');
    const name = text.startsWith('--') && eq > 0 ? text.slice(0, eq) : text;
    const value = (): Arg | undefined =>
      text.startsWith('--') && eq > 0 ? knownArg(text.slice(eq + 1)) : args[index + 1];
    if (
      (sub === 'rebase' && (name === '-x' || name === '--exec')) ||
      (sub === 'difftool' && (name === '-x' || name === '--extcmd'))
    ) {
      const code = value();
      findings.push(
        ...(code?.value.known === true
          ? await inv.shell(code.value.text)
          : found.unknown(`${op} ${name}`, 'command known only at run time')),
      );
    } else if (
      RUNS_PROGRAM.has(name) ||
      (name === '-u' && SHORT_UPLOAD_PACK.has(sub)) ||
      (sub === 'grep' && (name.startsWith('-O') || name === '--open-files-in-pager'))
    ) {
      findings.push(...found.unknown(`${op} ${name}`, 'runs a program of the caller’s choice'));
    } else if (
      name === '--output' &&
      [
        'log',
        'diff',
        'show',
        'format-patch',
        'diff-tree',
        'diff-index',
        'diff-files',
        'range-diff',
        'whatchanged',
        'shortlog',
      ].includes(sub)
    ) {
      findings.push(...writeFinding(`${op} --output`, inv, value() ?? knownArg(''), true));
    } else if ((name === '-c' || name === '--config') && sub === 'clone') {
      const setting = value();
      if (setting?.value.known !== true || EXECUTES.test(setting.value.text))
        findings.push(...found.unknown(`${op} ${name}`, 'sets a command git will run'));
    }
  }
  return findings;
}

/** git, with global options (-C, -c, --git-dir…) before the subcommand. */
export const git: Handler = async (inv) => {
  const args = inv.args;
  let index = 0;
  const targets: FindingTarget[] = [];
  while (index < args.length) {
    const arg = args[index] as Arg;
    const text = arg.value.text;
    if (text === undefined) return found.unknown('git', 'arguments known only at run time');
    if (!text.startsWith('-')) break;
    if (text === '--exec-path') return found.read('git --exec-path');
    const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
    const value = text.includes('=')
      ? text.slice(text.indexOf('=') + 1)
      : GLOBAL_WITH_VALUE.has(name)
        ? args[++index]?.value.text
        : undefined;
    if (GLOBAL_WITH_VALUE.has(name) && value === undefined)
      return found.unknown('git', 'option value known only at run time');
    if ((name === '-c' || name === '--config-env') && value !== undefined && EXECUTES.test(value))
      return found.unknown(`git ${name}`, 'sets a command git will run');
    // SECURITY: git runs its subcommands (git-log, git-upload-pack…) from the exec path.
    if (name === '--exec-path')
      return found.unknown(
        'git --exec-path',
        'runs git’s programs from a folder of the caller’s choice',
      );
    if (name === '-C' && value !== undefined)
      targets.push({ type: 'path', id: resolvePath(value, inv.cwd) ?? value });
    if (text === '--help' || text === '--version' || text === '-h')
      return found.read(`git ${text}`);
    index++;
  }
  const sub = args[index]?.value.text;
  if (sub === undefined) return found.read('git');
  const rest = args.slice(index + 1);
  const own = subcommandFinding(sub, rest).map((finding) => ({
    ...finding,
    targets: [...finding.targets, ...targets],
  }));
  return [...own, ...(await optionFindings(sub, rest, inv))];
};
