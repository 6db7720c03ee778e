import type { Arg } from './types.js';

/** A command's arguments split into options and operands, the way getopt-style tools read them. */
export interface ParsedOptions {
  /** Every option seen: short ones as `-r`, long ones as `--recursive` (value after `=` dropped). */
  readonly flags: ReadonlySet<string>;
  /** Values of options that take one (`-C dir`, `--git-dir=x`), by option name. */
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly operands: readonly Arg[];
  /** An argument whose text is unknown: it may be an option or an operand. */
  readonly dynamic: boolean;
}

/**
 * Splits `args`: `takesValue` names options that consume a value (short `-C`, long `--git-dir`).
 * Short options may be clustered (`-rf`, `-fr`, `-uf`); `--` ends options. Unless
 * `interspersed` is false, options may follow operands (GNU style).
 */
export function parseOptions(
  args: readonly Arg[],
  takesValue: ReadonlySet<string> = new Set(),
  interspersed = true,
): ParsedOptions {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const operands: Arg[] = [];
  let dynamic = false;
  let done = false;
  const addValue = (name: string, value: string): void => {
    values.set(name, [...(values.get(name) ?? []), value]);
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as Arg;
    const text = arg.value.known ? arg.value.text : undefined;
    if (text === undefined) {
      dynamic = true;
      operands.push(arg);
      continue;
    }
    if (done || text === '-' || !text.startsWith('-')) {
      operands.push(arg);
      if (!interspersed) done = true;
      continue;
    }
    if (text === '--') {
      done = true;
      continue;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = eq < 0 ? text : text.slice(0, eq);
      flags.add(name);
      if (eq >= 0) addValue(name, text.slice(eq + 1));
      else if (takesValue.has(name)) {
        const next = args[++index];
        if (next !== undefined) addValue(name, next.value.known ? next.value.text : '\0dynamic');
      }
      continue;
    }
    for (let at = 1; at < text.length; at++) {
      const name = `-${text[at]}`;
      flags.add(name);
      if (takesValue.has(name)) {
        const rest = text.slice(at + 1);
        if (rest !== '') addValue(name, rest);
        else {
          const next = args[++index];
          if (next !== undefined) addValue(name, next.value.known ? next.value.text : '\0dynamic');
        }
        break;
      }
    }
  }
  return { flags, values, operands, dynamic };
}

/** True when any of `names` was given. */
export function hasAny(parsed: ParsedOptions, ...names: string[]): boolean {
  return names.some((name) => parsed.flags.has(name));
}
