import { z } from 'zod';
import type { Result } from '../../../core/index.js';
import { err, ok } from '../../../core/index.js';

// The shell command catalog is data, like the HTTP catalogs: every shape is strict, so a
// misspelt key is refused instead of silently meaning nothing. One entry says what a command
// does with its operands, what each option that matters does, and why.

/** What a command does with its harmless options and its operands. */
const effect = z.enum(['read', 'write', 'execute', 'destructive', 'unknown']);

/**
 * What an option does. For an option that takes a value, the value is: `reads` a path read,
 * `writes` a path written (created or appended), `overwrites` a path truncated or replaced,
 * `deletes` a path removed, `runs` a program (with its arguments) the command starts, `runs-shell`
 * shell code, `runs-code` code in another language (cannot be judged: unknown), `chdir` the folder
 * the command works in, `unknown` something whose effect cannot be known. For a flag (no value):
 * `writes`/`overwrites`/`deletes` say the command changes files the run names in its work folder
 * (`tar -x`), `runs-code`/`unknown` make the command unknown.
 */
export const OPTION_EFFECTS = [
  'harmless',
  'reads',
  'writes',
  'overwrites',
  'deletes',
  'runs',
  'runs-shell',
  'runs-code',
  'chdir',
  'unknown',
] as const;

/**
 * How an operand is used: `data` (text, a pattern, a mode), `read`, `written` (created or changed
 * in a way that loses nothing: mkdir, touch), `overwritten` (its content is replaced: judged with
 * the loss rules), `deleted`, `code` (a program file in another language: unknown), `shell`
 * (shell code, parsed and judged).
 */
export const OPERAND_USES = [
  'data',
  'read',
  'written',
  'overwritten',
  'deleted',
  'code',
  'shell',
] as const;
const operandUse = z.enum(OPERAND_USES);

/**
 * Files a command names itself (derived-outputs.ts): `compressed` (FILE+SUFFIX written, FILE
 * removed: gzip), `temporary` (a new name in a folder: mktemp), `pieces` (the second operand is a
 * prefix: split), `prefixed-pieces` (`--prefix` names them: csplit).
 */
export const OUTPUT_RULES = ['compressed', 'temporary', 'pieces', 'prefixed-pieces'] as const;
/** Which rule names the files a command derives. */
export type OutputRule = (typeof OUTPUT_RULES)[number];

// `-o`, `--output`, `-fprint` (one dash, many letters: find, java), `+` (vim's and less's `+cmd`).
const OPTION_NAME = /^(-[^-\s]|--[A-Za-z0-9][A-Za-z0-9_.-]*|-[A-Za-z][A-Za-z0-9_:-]+|\+)$/;

/** One option that matters. */
const optionSpec = z.strictObject({
  names: z
    .array(z.string().regex(OPTION_NAME, 'an option is `-x`, `--long`, `-word` or `+`'))
    .min(1),
  /** `true`: the next argument or the rest of the word; `optional`: only `--opt=value` or `-oVALUE`; `rest`: every argument up to `;` (fd -x). */
  takesValue: z.union([z.boolean(), z.enum(['optional', 'rest'])]).default(false),
  does: z.enum(OPTION_EFFECTS),
  /** Applies only when one of these options is also given (`tar -f` overwrites only with `-c`). */
  when: z.array(z.string().regex(OPTION_NAME)).min(1).optional(),
  /** How the operands are used when this option is given (`gzip -c` only reads, `yq -i` overwrites). */
  operands: operandUse.optional(),
  /** The command's effect when this option is given (`gofmt -w` writes, `tar -t` reads). */
  effect: effect.optional(),
  why: z.string().min(1),
});

/** A command line meant to run in a sandbox with a seeded project at /repo, and the effect it must not exceed. */
const example = z.strictObject({ command: z.string().min(1), effect });

// A Debian package, `npm:NAME`, `pypi:NAME`, `cargo:NAME`, `go:PATH`, `gem:NAME`, `brew:NAME`,
// `macos` (ships with macOS), `vendor:NAME` (an installer of its own). See the catalog test.
const PACKAGE =
  /^([a-z0-9][a-z0-9+.-]+|(npm|pypi|cargo|go|gem|brew|vendor):[@A-Za-z0-9][@A-Za-z0-9/._-]*|macos)$/;

const alias = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), package: z.string().regex(PACKAGE) }),
]);

/** One command. */
export const commandSpecSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, 'a command name is one word'),
  /** Other names of the same program (`egrep`), optionally from another package (`fdfind`). */
  aliases: z.array(alias).default([]),
  package: z
    .string()
    .regex(
      PACKAGE,
      'a package is a Debian package, `npm:NAME`, `pypi:NAME`, `cargo:NAME`, `go:PATH`, `gem:NAME`, `brew:NAME`, `vendor:NAME` or `macos`',
    ),
  /** Judged by code (git, find, rsync…): the data only records the entry and why. */
  handler: z.string().min(1).optional(),
  effect,
  reversible: z.boolean(),
  why: z.string().min(10),
  /** What every operand is, and per position (`0`, `1`…, `last`) where it differs (`uniq IN OUT`). */
  operands: z
    .strictObject({
      default: operandUse,
      positions: z.record(z.string().regex(/^(\d+|last)$/), operandUse).default({}),
    })
    .prefault({ default: 'data' }),
  options: z.array(optionSpec).default([]),
  /** Files the command names itself from its operands and options (see OUTPUT_RULES). */
  outputs: z.enum(OUTPUT_RULES).optional(),
  /** Options not listed: `harmless`, or `unknown` for tools whose option set is large or risky. */
  otherOptions: z.enum(['harmless', 'unknown']),
  /** `getopt` (GNU: clusters, `--opt=v`, long abbreviations) or `words` (`-name` is one option; ffmpeg, java). */
  optionStyle: z.enum(['getopt', 'words']).default('getopt'),
  /** The first argument is a cluster of options without a dash (`tar czf out.tgz`, `ar rcs`). */
  bundledFirstArg: z.boolean().default(false),
  /** Options stop at the first operand (`ssh host cmd`, `timeout 5 cmd`). */
  optionsBeforeOperands: z.boolean().default(false),
  /** What the command does with its standard input: `data`, or `code` it runs (dc). */
  stdin: z.enum(['data', 'code']).default('data'),
  examples: z.array(example).min(1),
});

/** A validated command entry. */
export type CommandSpec = z.output<typeof commandSpecSchema>;
/** A command entry as written in the data modules. */
export type CommandSpecInput = z.input<typeof commandSpecSchema>;
/** One option of an entry. */
export type OptionSpec = CommandSpec['options'][number];
/** What an option does. */
export type OptionEffect = (typeof OPTION_EFFECTS)[number];
/** How an operand is used. */
export type OperandUse = (typeof OPERAND_USES)[number];

/**
 * Checks catalog data. Errors name the entry and field: `sort.options.0.names.0: …`. Beyond the
 * shape: an option's names agree on whether it takes a value, wherever they appear.
 */
export function parseCommandSpecs(data: readonly unknown[]): Result<CommandSpec[], string[]> {
  const problems: string[] = [];
  const value: CommandSpec[] = [];
  for (const [index, item] of data.entries()) {
    const parsed = commandSpecSchema.safeParse(item);
    const label =
      typeof (item as { name?: unknown })?.name === 'string'
        ? (item as { name: string }).name
        : String(index);
    if (!parsed.success) {
      problems.push(
        ...parsed.error.issues.map((issue) => `${label}.${issue.path.join('.')}: ${issue.message}`),
      );
      continue;
    }
    const takes = new Map<string, unknown>();
    for (const option of parsed.data.options) {
      for (const name of option.names) {
        if (takes.has(name) && takes.get(name) !== option.takesValue)
          problems.push(`${label}: option \`${name}\` disagrees with itself on takesValue`);
        takes.set(name, option.takesValue);
      }
    }
    value.push(parsed.data);
  }
  return problems.length > 0 ? err(problems) : ok(value);
}
