import { posix } from 'node:path';
import type { Effect } from '../../../core/index.js';
import { resolvePath } from '../paths.js';
import type { Arg, Finding, Invocation } from '../types.js';
import { DYNAMIC_ARG, found, knownArg } from '../types.js';
import type { CommandArgs, GivenOption } from './command-options.js';
import type { OutputRule } from './command-schema.js';
import { judgeLoss, lossFinding, writeFinding } from './files.js';

/**
 * Files a command names itself, from its operands and options, rather than taking their names
 * from the command line: `gzip F` makes `F.gz` and removes F, `mktemp` makes `/tmp/tmp.*`,
 * `split F P` makes `Paa`, `Pab`…. A catalog entry says which rule applies (`outputs`); this
 * module names those files so that the loss rules judge them like any other.
 */

/** The findings for the files `rule` says the command creates or removes; none when `effect` is a read (`gzip -c`). */
export function derivedOutputs(
  rule: OutputRule,
  inv: Invocation,
  args: CommandArgs,
  effect: Effect,
): Finding[] {
  if (effect === 'read') return [];
  switch (rule) {
    case 'compressed':
      return compressed(inv, args);
    case 'temporary':
      return temporary(inv, args);
    case 'pieces':
      return pieces(
        inv.name,
        inv,
        args.operands[1] ?? knownArg('x'),
        valueOf(args, '--additional-suffix'),
      );
    case 'prefixed-pieces':
      return pieces(inv.name, inv, valueOf(args, '--prefix') ?? knownArg('xx'), undefined);
  }
}

/** The last occurrence of the option that answers to `name` (any of its spellings). */
function givenOption(args: CommandArgs, name: string): GivenOption | undefined {
  return args.given.filter((given) => given.specs.some((spec) => spec.names.includes(name))).at(-1);
}

function valueOf(args: CommandArgs, name: string): Arg | undefined {
  const given = givenOption(args, name);
  return given === undefined ? undefined : (given.value ?? DYNAMIC_ARG);
}

/** Each compressor's suffix, the suffixes it takes off when decompressing, and whether it keeps its input by default. */
interface Compressor {
  readonly suffix: string;
  readonly known: readonly string[];
  readonly decompresses?: true;
  readonly keeps?: true;
}
const GZIP: Compressor = { suffix: '.gz', known: ['.gz', '-gz', '.z', '-z', '_z', '.Z'] };
const BZIP2: Compressor = { suffix: '.bz2', known: ['.bz2', '.bz'] };
const XZ: Compressor = { suffix: '.xz', known: ['.xz', '.lzma'] };
const LZMA: Compressor = { suffix: '.lzma', known: ['.lzma'] };
const ZSTD: Compressor = { suffix: '.zst', known: ['.zst', '.zstd'], keeps: true };
const COMPRESSORS: Readonly<Record<string, Compressor>> = {
  gzip: GZIP,
  gunzip: { ...GZIP, decompresses: true },
  uncompress: { ...GZIP, decompresses: true },
  bzip2: BZIP2,
  bunzip2: { ...BZIP2, decompresses: true },
  xz: XZ,
  unxz: { ...XZ, decompresses: true },
  lzma: LZMA,
  unlzma: { ...LZMA, decompresses: true },
  zstd: ZSTD,
  unzstd: { ...ZSTD, decompresses: true },
};

/** Short names for a compressed tar (`.tgz`): decompressed, they become `.tar`. */
const TAR_SHORT = /\.(tgz|taz|tbz2?|txz|tlz|tzst)$/;

/**
 * A compressor working in place: each file operand becomes FILE+SUFFIX (or, decompressing, FILE
 * without it) and FILE is removed unless kept (`-k`, zstd without `--rm`). The output is new
 * unless `-f` lets it replace a file of that name; `-r` changes every file of a tree.
 */
function compressed(inv: Invocation, args: CommandArgs): Finding[] {
  // Other names (zstdcat) only print.
  const rule = COMPRESSORS[inv.name];
  if (rule === undefined) return [];
  // zstd's `-o` and `--output-dir-*` name the output: the catalog's options judge it.
  if (givenOption(args, '-o') !== undefined || givenOption(args, '--output-dir-flat') !== undefined)
    return removed(inv, args, rule.keeps === true);
  // An operand only the run knows is what a program that starts a compressor appends (`sort
  // --compress-program=gzip`, `tar -I gzip`): it compresses a stream there. Such operands name
  // nothing here, as before this rule existed.
  const files = args.operands.filter((arg) => arg.value.known && arg.value.text !== '-');
  if (files.length === 0) return [];
  if (givenOption(args, '--recursive') !== undefined)
    return lossFinding(`${inv.name} -r`, inv, files, true);
  const suffixArg = valueOf(args, '--suffix');
  if (suffixArg !== undefined && !suffixArg.value.known)
    return found.unknown(inv.name, 'suffix known only at run time');
  const suffixes = suffixArg?.value.known === true ? [suffixArg.value.text] : undefined;
  const decompresses =
    rule.decompresses === true || givenOption(args, '--decompress') !== undefined;
  const force = givenOption(args, '--force') !== undefined;
  const outputs = files.flatMap((file) =>
    file.value.known
      ? outputNames(
          file.value.text,
          suffixes ?? [rule.suffix],
          decompresses ? (suffixes ?? rule.known) : undefined,
        ).map(knownArg)
      : [DYNAMIC_ARG],
  );
  return [
    ...outputs.flatMap((output) => writeFinding(inv.name, inv, output, force)),
    ...removed(inv, args, rule.keeps === true, files),
  ];
}

/** What a compressor writes for FILE: FILE+SUFFIX, or decompressing, the name without a suffix it knows (`x.tgz` → `x.tar`, else bunzip2's `x.out`). */
function outputNames(
  file: string,
  suffixes: readonly string[],
  strips: readonly string[] | undefined,
): string[] {
  if (strips === undefined) return suffixes.map((suffix) => `${file}${suffix}`);
  const suffix = strips.find(
    (known) => known !== '' && file.endsWith(known) && file.length > known.length,
  );
  if (suffix !== undefined) return [file.slice(0, -suffix.length)];
  if (TAR_SHORT.test(file)) return [file.replace(TAR_SHORT, '.tar')];
  return [`${file}.out`];
}

/** The input files a compressor removes once their counterpart is written. */
function removed(
  inv: Invocation,
  args: CommandArgs,
  keepsByDefault: boolean,
  files = args.operands,
): Finding[] {
  const keeps =
    givenOption(args, '--keep') !== undefined ||
    (keepsByDefault && givenOption(args, '--rm') === undefined);
  if (keeps || files.length === 0) return [];
  return lossFinding(`${inv.name} (removes its input)`, inv, files, false);
}

/**
 * mktemp: a new name in a folder — `-p DIR`/`--tmpdir[=DIR]` (else $TMPDIR, taken as /tmp), or
 * the template's own folder (relative to the working folder) when no folder option is given.
 * The run's X's are a glob. Nothing existing is replaced: a write wherever it lands.
 */
function temporary(inv: Invocation, args: CommandArgs): Finding[] {
  const template = args.operands.at(-1);
  if (template !== undefined && !template.value.known)
    return found.unknown(inv.name, 'template known only at run time');
  // `--tmpdir` without a value and `-t` mean $TMPDIR.
  const folderOption = givenOption(args, '--tmpdir') ?? givenOption(args, '-p');
  const folderArg = folderOption?.value;
  if (folderArg !== undefined && !folderArg.value.known)
    return found.unknown(inv.name, 'folder known only at run time');
  const inTmp =
    folderOption !== undefined || givenOption(args, '-t') !== undefined || template === undefined;
  const given = folderArg?.value.known === true ? folderArg.value.text : '';
  const folder = given !== '' ? given : inTmp ? '/tmp' : '.';
  const name = (template?.value.text ?? 'tmp.XXXXXXXXXX').replace(/X{3,}/g, '*');
  const path = resolvePath(
    inTmp && !name.startsWith('/') ? posix.join(folder, name) : name,
    inv.cwd,
  );
  if (path === undefined) return found.unknown(inv.name, 'folder known only at run time');
  return found.write(inv.name, [{ type: 'path', id: /[*?[]/.test(path) ? path : `${path}*` }]);
}

/**
 * split and csplit: PREFIX, then letters or digits the run picks (then split's
 * `--additional-suffix`), each piece created or truncated. The pieces are named as a glob; what
 * overwriting them costs is judged on one of them (`PREFIXaa`), since a glob's `*` would also
 * stand for names no piece can have (`x.db`).
 */
function pieces(
  operation: string,
  inv: Invocation,
  prefix: Arg,
  suffix: Arg | undefined,
): Finding[] {
  if (!prefix.value.known || (suffix !== undefined && !suffix.value.known))
    return found.unknown(operation, 'output names known only at run time');
  const ending = suffix?.value.text ?? '';
  const glob = resolvePath(`${prefix.value.text}*${ending}`, inv.cwd);
  if (glob === undefined) return found.unknown(operation, 'working folder known only at run time');
  const targets = [{ type: 'path', id: glob }];
  const sample = judgeLoss(knownArg(`${prefix.value.text}aa${ending}`), inv, false);
  if (sample.loss === 'costly') return found.destroy(operation, targets);
  if (sample.loss === 'unknown')
    return found.unknown(operation, 'output names known only at run time', targets);
  return found.write(operation, targets);
}
