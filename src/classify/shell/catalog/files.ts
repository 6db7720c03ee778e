import { posix } from 'node:path';
import { hasAny, parseOptions } from '../options.js';
import { expandBraces, hasGlobSyntax } from '../glob-names.js';
import {
  deletionLoss,
  globMatchesAll,
  isHarmlessDevice,
  resolvePath,
  splitGlob,
} from '../paths.js';
import type { Arg, Finding, Handler, Invocation } from '../types.js';
import { DYNAMIC_ARG, found, knownArg } from '../types.js';

/** How a path operand would be lost: `cheap` (scratch, build output, a tracked file), `costly`, or not knowable. */
type Judgment = { readonly loss: 'cheap' | 'costly' | 'unknown'; readonly id: string };

/** Judges one operand that a command deletes or overwrites. */
export function judgeLoss(arg: Arg, inv: Invocation, recursive: boolean): Judgment {
  if (!arg.value.known) return { loss: 'unknown', id: '?' };
  const text = arg.value.text;
  // SECURITY: a glob is judged by every name it could match (brace alternatives each on their own),
  // so `.env*`, `app.d[b]` or `{.env,x}` cost what `.env` and `app.db` cost.
  if (arg.value.glob || hasGlobSyntax(text)) {
    const alternatives = expandBraces(text) ?? [text.replace(/[{}]/g, '*')];
    const judged = alternatives.map((alternative) => judgeGlob(alternative, inv, recursive));
    return (
      judged.find((item) => item.loss === 'costly') ??
      judged.find((item) => item.loss === 'unknown') ??
      judged[0] ?? { loss: 'unknown', id: text }
    );
  }
  const path = resolvePath(text, inv.cwd);
  if (path === undefined) return { loss: 'unknown', id: text };
  if (path.startsWith('/dev/'))
    return { loss: isHarmlessDevice(path) ? 'cheap' : 'costly', id: path };
  return { loss: deletionLoss(path, recursive, inv.project), id: path };
}

/** One brace alternative: a plain path, or a folder and the pattern of its last segment(s). */
function judgeGlob(text: string, inv: Invocation, recursive: boolean): Judgment {
  if (!hasGlobSyntax(text)) {
    const path = resolvePath(text, inv.cwd);
    return path === undefined
      ? { loss: 'unknown', id: text }
      : { loss: deletionLoss(path, recursive, inv.project), id: path };
  }
  {
    const { dir, pattern } = splitGlob(text);
    const folder = resolvePath(dir, inv.cwd);
    if (folder === undefined) return { loss: 'unknown', id: text };
    // A pattern that matches everything in a folder loses the folder's whole content.
    if (globMatchesAll(pattern))
      return { loss: deletionLoss(folder, true, inv.project), id: `${folder}/${pattern}` };
    return {
      loss: deletionLoss(posix.join(folder, pattern), recursive, inv.project),
      id: `${folder}/${pattern}`,
    };
  }
}

/** One finding for a command that deletes or overwrites `operands`: its effect is the worst operand's. */
export function lossFinding(
  operation: string,
  inv: Invocation,
  operands: readonly Arg[],
  recursive: boolean,
): Finding[] {
  if (operands.length === 0) return found.read(operation);
  const judged = operands.map((arg) => judgeLoss(arg, inv, recursive));
  const targets = judged.map((item) => ({ type: 'path', id: item.id }));
  if (judged.some((item) => item.loss === 'costly')) return found.destroy(operation, targets);
  if (judged.some((item) => item.loss === 'unknown'))
    return found.unknown(operation, 'path known only at run time', targets);
  return found.write(operation, targets);
}

/** A file written by a redirection or `tee`: truncation loses what was there, appending does not. */
export function writeFinding(
  operation: string,
  inv: Invocation,
  arg: Arg,
  truncate: boolean,
): Finding[] {
  if (arg.value.known && !arg.value.glob) {
    const path = resolvePath(arg.value.text, inv.cwd);
    if (path !== undefined && isHarmlessDevice(path)) return [];
    if (path !== undefined && path.startsWith('/dev/'))
      return found.destroy(operation, [{ type: 'path', id: path }]);
    if (!truncate && path !== undefined)
      return found.write(operation, [{ type: 'path', id: path }]);
  }
  return lossFinding(operation, inv, [arg], false);
}

const helpOnly = (inv: Invocation): boolean =>
  inv.args.some((arg) => arg.value.text === '--help' || arg.value.text === '--version');

const rm: Handler = (inv) => {
  if (helpOnly(inv)) return found.read(`${inv.name} --help`);
  const options = parseOptions(inv.args);
  return lossFinding(inv.name, inv, options.operands, hasAny(options, '-r', '-R', '--recursive'));
};

/** Overwrites content in place: as costly as deleting a tree unless it is scratch or build output. */
const overwriteInPlace: Handler = (inv) => {
  if (helpOnly(inv)) return found.read(`${inv.name} --help`);
  const options = parseOptions(
    inv.args,
    new Set(['-s', '--size', '-r', '--reference', '-n', '--iterations', '--random-source']),
  );
  return lossFinding(inv.name, inv, options.operands, true);
};

const dd: Handler = (inv) => {
  const output = inv.args.find((arg) => !arg.value.known || arg.value.text.startsWith('of='));
  if (output === undefined) return found.read('dd');
  if (!output.value.known) return found.unknown('dd', 'operand known only at run time');
  return lossFinding('dd of=', inv, [knownArg(output.value.text.slice(3))], true);
};

/** mv and cp: what the destination held is replaced; mv also takes sources away from their place. */
function moveOrCopy(moves: boolean): Handler {
  return (inv) => {
    if (helpOnly(inv)) return found.read(`${inv.name} --help`);
    const options = parseOptions(inv.args, new Set(['-t', '--target-directory', '-S', '--suffix']));
    const noClobber = hasAny(options, '-n', '--no-clobber', '--update=none');
    const target = options.values.get('-t') ?? options.values.get('--target-directory');
    const operands = [...options.operands];
    const destination = target !== undefined ? knownArg(target[0] ?? '') : operands.pop();
    const judged: Arg[] = [];
    if (moves) judged.push(...operands);
    if (destination !== undefined && !noClobber) judged.push(destination);
    if (judged.length === 0) return found.write(inv.name);
    return lossFinding(inv.name, inv, judged, false);
  };
}

/**
 * ln: the links it creates. `ln TARGET` links ./basename(TARGET), `ln -t DIR TARGET…` and
 * `ln TARGET… DIR` link DIR/basename(TARGET), `ln TARGET LINK` links LINK (or LINK/basename when
 * LINK is a folder: naming LINK covers both). Without -f a link never replaces anything; with -f
 * the link paths are judged by the loss rules, and `-b` renames what was there to a backup.
 */
const ln: Handler = (inv) => {
  if (helpOnly(inv)) return found.read('ln --help');
  const options = parseOptions(inv.args, new Set(['-t', '--target-directory', '-S', '--suffix']));
  const folder = options.values.get('-t') ?? options.values.get('--target-directory');
  const operands = [...options.operands];
  const inFolder = (dir: Arg, targets: readonly Arg[]): Arg[] =>
    targets.map((target) =>
      dir.value.known && target.value.known
        ? knownArg(posix.join(dir.value.text, posix.basename(target.value.text)))
        : DYNAMIC_ARG,
    );
  let links: Arg[];
  if (folder !== undefined) links = inFolder(knownArg(folder[0] ?? ''), operands);
  else if (operands.length === 1) links = inFolder(knownArg('.'), operands);
  else if (operands.length > 2)
    links = inFolder(operands[operands.length - 1] as Arg, operands.slice(0, -1));
  else links = operands.slice(-1);
  if (links.length === 0) return found.write('ln');
  if (!hasAny(options, '-f', '--force')) {
    if (links.some((link) => !link.value.known))
      return found.unknown('ln', 'link path known only at run time');
    return found.write(
      'ln',
      links.map((link) => ({
        type: 'path',
        id: resolvePath(link.value.text ?? '', inv.cwd) ?? link.value.text ?? '',
      })),
    );
  }
  const suffix =
    options.values.get('-S')?.[0] ??
    options.values.get('--suffix')?.[0] ??
    (hasAny(options, '-b') || [...options.flags].some((flag) => flag.startsWith('--backup'))
      ? '~'
      : undefined);
  const backups =
    suffix === undefined
      ? []
      : links.map((link) =>
          link.value.known ? knownArg(`${link.value.text}${suffix}`) : DYNAMIC_ARG,
        );
  return lossFinding('ln -f', inv, [...links, ...backups], false);
};

/** rsync's remote shell when it is plain ssh with options that name no command (`ssh -p 2222 -i key`). */
const PLAIN_SSH = /^ssh( +-[46AaCfgKkMNnqsTtVvXxYy]+| +-[bcDEeFIiJLlmOpQRSWw] *[\w@.:/~+-]+)*$/;

const rsync: Handler = async (inv) => {
  const options = parseOptions(
    inv.args,
    new Set([
      '-e',
      '--rsh',
      '--rsync-path',
      '--exclude',
      '--include',
      '--filter',
      '-f',
      '--files-from',
      '--exclude-from',
      '--include-from',
      '--backup-dir',
      '--suffix',
      '--chmod',
      '--chown',
      '--log-file',
      '--password-file',
      '--port',
      '--timeout',
      '--bwlimit',
      '--write-batch',
      '--only-write-batch',
      '--read-batch',
    ]),
  );
  // SECURITY: `-e` names the program rsync starts to reach the other side; `--rsync-path` what runs there.
  const shells = [...(options.values.get('-e') ?? []), ...(options.values.get('--rsh') ?? [])];
  const runs: Finding[] = [];
  for (const shell of shells) {
    if (shell.includes('\0dynamic'))
      runs.push(...found.unknown('rsync -e', 'remote shell known only at run time'));
    else if (!PLAIN_SSH.test(shell.trim()))
      runs.push(...(await inv.exec([...shell.trim().split(/ +/).map(knownArg), DYNAMIC_ARG])));
  }
  if (options.values.has('--rsync-path'))
    runs.push(
      ...found.unknown(
        'rsync --rsync-path',
        'runs a command of the caller’s choice on the other side',
      ),
    );
  for (const file of [
    ...(options.values.get('--log-file') ?? []),
    ...(options.values.get('--write-batch') ?? []),
    ...(options.values.get('--only-write-batch') ?? []),
  ])
    runs.push(...writeFinding('rsync', inv, knownArg(file), true));
  return [...runs, ...rsyncTransfer(inv, options)];
};

function rsyncTransfer(inv: Invocation, options: ReturnType<typeof parseOptions>): Finding[] {
  const deletes = [...options.flags].some(
    (flag) => flag.startsWith('--delete') || flag === '--remove-source-files' || flag === '--del',
  );
  const destination = options.operands[options.operands.length - 1];
  if (destination === undefined) return found.read('rsync');
  const dest = destination.value.text;
  if (dest !== undefined && /^[^/]*:/.test(dest)) {
    const target = [{ type: 'remote-path', id: dest }];
    return deletes ? found.destroy('rsync --delete', target) : found.write('rsync', target);
  }
  return lossFinding(deletes ? 'rsync --delete' : 'rsync', inv, [destination], deletes);
}

/** find: -delete, -exec/-execdir/-ok (the command runs on what is found), -fprint files. */
const find: Handler = async (inv) => {
  const args = inv.args;
  let index = 0;
  const starts: Arg[] = [];
  while (index < args.length) {
    const text = args[index]?.value.text;
    if (text !== undefined && (text.startsWith('-') || text === '(' || text === '!')) break;
    starts.push(args[index] as Arg);
    index++;
  }
  if (starts.length === 0) starts.push(knownArg('.'));
  const names: string[] = [];
  const findings: Finding[] = [];
  let deletes = false;
  while (index < args.length) {
    const arg = args[index] as Arg;
    const text = arg.value.text;
    index++;
    if (text === undefined) return found.unknown('find', 'expression known only at run time');
    if (['-name', '-iname', '-path', '-ipath', '-wholename'].includes(text))
      names.push(args[index]?.value.text ?? '*');
    if (text === '-delete') deletes = true;
    if (['-fprint', '-fprint0', '-fprintf', '-fls'].includes(text) && args[index] !== undefined)
      findings.push(...writeFinding(`find ${text}`, inv, args[index] as Arg, true));
    if (['-exec', '-execdir', '-ok', '-okdir'].includes(text)) {
      const command: Arg[] = [];
      while (
        index < args.length &&
        args[index]?.value.text !== ';' &&
        args[index]?.value.text !== '+'
      )
        command.push(args[index++] as Arg);
      index++;
      for (const start of starts) {
        const found = foundPath(start, names);
        const argv = command.map((part) =>
          part.value.text?.includes('{}')
            ? found === undefined
              ? DYNAMIC_ARG
              : knownArg(part.value.text.replaceAll('{}', found))
            : part,
        );
        findings.push(...(await inv.exec(argv)));
      }
    }
  }
  if (deletes) {
    const paths = starts.map((start) => {
      const path = foundPath(start, names);
      return path === undefined ? DYNAMIC_ARG : knownArg(path);
    });
    findings.push(...lossFinding('find -delete', inv, paths, true));
  }
  return findings.length > 0 ? findings : found.read('find');
};

/** What `{}` stands for: under the start folder, named by the name filter when there is exactly one. */
function foundPath(start: Arg, names: readonly string[]): string | undefined {
  if (!start.value.known || start.value.glob) return undefined;
  const base = start.value.text;
  return names.length === 1 && !(names[0] ?? '').includes('/')
    ? posix.join(base, names[0] as string)
    : base;
}

const tee: Handler = (inv) => {
  const options = parseOptions(inv.args);
  const append = hasAny(options, '-a', '--append');
  return options.operands
    .flatMap((arg) => writeFinding('tee', inv, arg, !append))
    .concat(found.read('tee'));
};

/**
 * What a sed script does beyond printing: GNU sed's `e` command and `s///e` run shell code, `w`,
 * `W` and `s///w` write files. Addresses, `s` and `y` bodies and the text of `a`/`i`/`c` are
 * removed first so that letters inside them do not count.
 */
export function sedScriptRisk(script: string): 'runs' | 'writes' | undefined {
  let risk: 'runs' | 'writes' | undefined;
  const rest = script
    .replace(/(^|\n)\s*[aic]\\?[^\n]*/g, '$1')
    .replace(
      /s(.)((?:\\.|(?!\1)[^\\])*)\1((?:\\.|(?!\1)[^\\])*)\1([A-Za-z0-9]*)/g,
      (_match, _d, _a, _b, flags: string) => {
        if (flags.includes('e')) risk = 'runs';
        else if (flags.includes('w') && risk === undefined) risk = 'writes';
        return ';';
      },
    )
    .replace(/y(.)((?:\\.|(?!\1)[^\\])*)\1((?:\\.|(?!\1)[^\\])*)\1/g, ';')
    .replace(/\\(.)((?:\\.|(?!\1)[^\\])*)\1|\/((?:\\.|[^/\\])*)\//g, ' ')
    .replace(/(^|[;\n{}])\s*[:btTrRlqQ][^;\n}]*/g, '$1');
  if (/(^|[^A-Za-z])e([^A-Za-z]|$)/.test(rest)) return 'runs';
  if (/(^|[^A-Za-z])[wW]([^A-Za-z]|$)/.test(rest)) return risk ?? 'writes';
  return risk;
}

const sed: Handler = (inv) => {
  // `-i.bak`'s suffix is not a cluster of options (`-i.env` is not `-i -e nv`).
  const args = inv.args.map((arg) =>
    arg.value.known && /^-[^-e-]*i/.test(arg.value.text) && !/^-[^i]*[fl]/.test(arg.value.text)
      ? knownArg(arg.value.text.slice(0, arg.value.text.indexOf('i') + 1))
      : arg,
  );
  const options = parseOptions(
    args,
    new Set(['-e', '--expression', '-f', '--file', '-l', '--line-length']),
  );
  const inline = options.values.get('-e') ?? options.values.get('--expression');
  const scripts =
    inline ??
    (options.values.has('-f') || options.values.has('--file')
      ? []
      : [options.operands[0]?.value.text ?? '\0dynamic']);
  const sandboxed = hasAny(options, '--sandbox');
  const risks = sandboxed
    ? []
    : scripts.map((script) => (script.includes('\0dynamic') ? 'runs' : sedScriptRisk(script)));
  if (risks.includes('runs'))
    return found.unknown('sed', 'the script runs commands (`e`) or is known only at run time');
  if (!sandboxed && (options.values.has('-f') || options.values.has('--file')))
    return found.unknown('sed -f', 'script in a file');
  const writes = risks.includes('writes')
    ? found.unknown('sed', 'the script writes files (`w`)')
    : [];
  const inPlace = [...options.flags].some((flag) => flag === '-i' || flag.startsWith('--in-place'));
  if (!inPlace) return writes.length > 0 ? writes : found.read('sed');
  const files =
    options.values.has('-e') || options.values.has('--expression') || options.values.has('-f')
      ? options.operands
      : options.operands.slice(1);
  const suffix = inPlaceSuffix(inv.args);
  const backups =
    suffix === ''
      ? []
      : files.flatMap((file) =>
          file.value.known ? sedBackups(file.value.text, suffix).map(knownArg) : [DYNAMIC_ARG],
        );
  return [
    ...writes,
    ...lossFinding('sed -i', inv, [...files, ...backups], false).map((finding) =>
      finding.effect === 'destructive'
        ? finding
        : { ...finding, effect: finding.effect === 'read' ? 'write' : finding.effect },
    ),
  ];
};

/** The backup suffix of sed's `-i[SUFFIX]` / `--in-place[=SUFFIX]` (the last given wins); '' for none. */
function inPlaceSuffix(args: readonly Arg[]): string {
  let suffix = '';
  for (let index = 0; index < args.length; index++) {
    const text = args[index]?.value.known === true ? (args[index]?.value.text ?? '') : '';
    if (text === '--') break;
    if (text.startsWith('--in') && '--in-place'.startsWith(text.split('=')[0] ?? ''))
      suffix = text.includes('=') ? text.slice(text.indexOf('=') + 1) : '';
    else if (/^-[^-]/.test(text)) {
      for (let at = 1; at < text.length; at++) {
        const letter = text[at];
        if (letter === 'i') {
          suffix = text.slice(at + 1);
          break;
        }
        // A letter that takes a value ends the cluster (and takes the next argument when it is last).
        if (letter === 'e' || letter === 'f' || letter === 'l') {
          if (at === text.length - 1) index++;
          break;
        }
      }
    } else if (text === '--expression' || text === '--file' || text === '--line-length') index++;
  }
  return suffix;
}

/**
 * Where sed keeps the original of FILE: FILE+SUFFIX, or, when SUFFIX has `*`s, SUFFIX with each
 * `*` replaced by FILE's base name, beside FILE or (with a `/`) where that path leads — both
 * are named when it is not plain which.
 */
function sedBackups(file: string, suffix: string): string[] {
  if (!suffix.includes('*')) return [`${file}${suffix}`];
  const named = suffix.replaceAll('*', posix.basename(file));
  const beside = posix.join(posix.dirname(file), named);
  return named.includes('/') && beside !== named ? [named, beside] : [beside];
}

/** Always destroys: filesystems, partitions, secure erase. */
const alwaysDestroys: Handler = (inv) => {
  if (helpOnly(inv)) return found.read(`${inv.name} --help`);
  const targets = inv.args
    .filter((arg) => arg.value.known && !arg.value.text.startsWith('-'))
    .map((arg) => ({ type: 'path', id: arg.value.text ?? '' }));
  return found.destroy(inv.name, targets);
};

const crontab: Handler = (inv) =>
  inv.args.some((arg) => arg.value.text === '-r' || !arg.value.known)
    ? found.destroy('crontab -r')
    : inv.args.some((arg) => arg.value.text === '-l')
      ? found.read('crontab -l')
      : found.write('crontab');

/** File commands by name. */
export const FILE_HANDLERS: Readonly<Record<string, Handler>> = {
  rm,
  unlink: rm,
  srm: overwriteInPlace,
  shred: overwriteInPlace,
  wipe: overwriteInPlace,
  truncate: overwriteInPlace,
  dd,
  mv: moveOrCopy(true),
  cp: moveOrCopy(false),
  install: moveOrCopy(false),
  ln,
  rsync,
  find,
  tee,
  sed,
  gsed: sed,
  crontab,
  mkfs: alwaysDestroys,
  'mkfs.ext4': alwaysDestroys,
  'mkfs.xfs': alwaysDestroys,
  'mkfs.vfat': alwaysDestroys,
  mke2fs: alwaysDestroys,
  fdisk: alwaysDestroys,
  sfdisk: alwaysDestroys,
  parted: alwaysDestroys,
  wipefs: alwaysDestroys,
  sgdisk: alwaysDestroys,
  blkdiscard: alwaysDestroys,
  shutdown: alwaysDestroys,
  reboot: alwaysDestroys,
  halt: alwaysDestroys,
  poweroff: alwaysDestroys,
};
