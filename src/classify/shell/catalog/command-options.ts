import type { Arg } from '../types.js';
import { knownArg } from '../types.js';
import type { CommandSpec, OptionSpec } from './command-schema.js';

/** One option as given on the command line, matched against the catalog entry. */
export interface GivenOption {
  /** As written, without a value: `--out`, `-o`, `+`. */
  readonly written: string;
  /** The catalog options it stands for (several when an abbreviation fits more than one: all count). */
  readonly specs: readonly OptionSpec[];
  /** Its value: one argument, or for `rest` options every argument up to `;`. */
  readonly value: Arg | undefined;
  readonly rest: readonly Arg[];
}

/** A command's arguments read the way the program reads them. */
export interface CommandArgs {
  readonly given: readonly GivenOption[];
  /** Options the catalog does not list, as written. */
  readonly unlisted: readonly string[];
  readonly operands: readonly Arg[];
  /** An argument whose text only the run knows: it may be an option. */
  readonly dynamic: boolean;
}

/**
 * Reads `args` as `spec`'s program would: clustered short options (`-uo FILE`, `-oFILE`),
 * `--opt=value`, unambiguous prefixes of long options (getopt_long accepts `--out` for
 * `--output`: every listed option a prefix fits counts, the worst wins), `-word` options, a
 * dashless first cluster (`tar czf`), `+cmd`, and `--`.
 */
export function readCommandArgs(args: readonly Arg[], spec: CommandSpec): CommandArgs {
  const reader = new ArgReader(args, spec);
  return reader.read();
}

class ArgReader {
  readonly #given: GivenOption[] = [];
  readonly #unlisted: string[] = [];
  readonly #operands: Arg[] = [];
  #dynamic = false;
  #index = 0;
  readonly #byName = new Map<string, OptionSpec[]>();

  readonly #spec: CommandSpec;
  readonly #args: readonly Arg[];
  constructor(args: readonly Arg[], spec: CommandSpec) {
    this.#spec = spec;
    this.#args = args;
    for (const option of spec.options)
      for (const name of option.names)
        this.#byName.set(name, [...(this.#byName.get(name) ?? []), option]);
  }

  read(): CommandArgs {
    let done = false;
    for (; this.#index < this.#args.length; this.#index++) {
      const arg = this.#args[this.#index] as Arg;
      if (!arg.value.known) {
        this.#dynamic = true;
        this.#operands.push(arg);
        continue;
      }
      const text = arg.value.text;
      if (this.#index === 0 && this.#spec.bundledFirstArg && !text.startsWith('-') && text !== '') {
        this.#bundle(text);
        continue;
      }
      if (
        done ||
        text === '-' ||
        !(text.startsWith('-') || (text.startsWith('+') && this.#byName.has('+')))
      ) {
        this.#operands.push(arg);
        if (this.#spec.optionsBeforeOperands) done = true;
        continue;
      }
      if (text === '--') done = true;
      else if (text.startsWith('+'))
        this.#add('+', this.#byName.get('+') ?? [], knownArg(text.slice(1)));
      else if (text.startsWith('--')) this.#long(text);
      else this.#short(text);
    }
    return {
      given: this.#given,
      unlisted: this.#unlisted,
      operands: this.#operands,
      dynamic: this.#dynamic,
    };
  }

  #long(text: string): void {
    const eq = text.indexOf('=');
    const name = eq < 0 ? text : text.slice(0, eq);
    const specs = this.#byName.get(name) ?? this.#abbreviated(name);
    if (specs.length === 0) {
      this.#unlisted.push(name);
      return;
    }
    this.#add(name, specs, eq >= 0 ? knownArg(text.slice(eq + 1)) : undefined);
  }

  /** Every listed long option `name` is a prefix of (getopt_long's abbreviations). */
  #abbreviated(name: string): OptionSpec[] {
    if (name.length < 3) return []; // `--` alone ends options
    const specs = new Set<OptionSpec>();
    for (const [full, options] of this.#byName)
      if (full.startsWith('--') && full.startsWith(name))
        for (const option of options) specs.add(option);
    return [...specs];
  }

  #short(text: string): void {
    const eq = text.indexOf('=');
    const whole = this.#byName.get(eq < 0 ? text : text.slice(0, eq));
    if (whole !== undefined && (text.length > 2 || this.#spec.optionStyle === 'words')) {
      this.#add(
        eq < 0 ? text : text.slice(0, eq),
        whole,
        eq >= 0 ? knownArg(text.slice(eq + 1)) : undefined,
      );
      return;
    }
    if (this.#spec.optionStyle === 'words') {
      const attached = this.#attached(text);
      if (attached === undefined) this.#unlisted.push(text);
      else
        this.#add(
          attached.name,
          attached.specs,
          attached.value === '' ? undefined : knownArg(attached.value),
        );
      return;
    }
    for (let at = 1; at < text.length; at++) {
      const name = `-${text[at]}`;
      const specs = this.#byName.get(name);
      if (specs === undefined) {
        this.#unlisted.push(name);
        continue;
      }
      const takes = takesValue(specs);
      if (takes === false || takes === 'rest') {
        this.#add(name, specs, undefined);
        continue;
      }
      const attached = text.slice(at + 1);
      this.#add(
        name,
        specs,
        attached !== '' || takes === 'optional' ? knownArg(attached) : undefined,
      );
      return;
    }
  }

  /** `-oFILE`, `-B./bin`, `-fplugin=x.so`: the longest listed option with a value that starts the word. */
  #attached(text: string): { name: string; specs: OptionSpec[]; value: string } | undefined {
    let best: { name: string; specs: OptionSpec[]; value: string } | undefined;
    for (const [name, specs] of this.#byName) {
      if (
        takesValue(specs) === false ||
        !text.startsWith(name) ||
        name.length <= (best?.name.length ?? 0)
      )
        continue;
      const rest = text.slice(name.length);
      best = { name, specs, value: rest.startsWith('=') ? rest.slice(1) : rest };
    }
    return best;
  }

  /** `tar czf out.tgz dir`: each letter an option; values come from the next arguments in order. */
  #bundle(text: string): void {
    const pending: [string, OptionSpec[]][] = [];
    for (const letter of text) {
      const name = `-${letter}`;
      const specs = this.#byName.get(name);
      if (specs === undefined) this.#unlisted.push(name);
      else if (takesValue(specs) === true) pending.push([name, specs]);
      else this.#given.push({ written: name, specs, value: undefined, rest: [] });
    }
    for (const [name, specs] of pending) {
      const next = this.#args[this.#index + 1];
      if (next !== undefined) this.#index++;
      this.#given.push({ written: name, specs, value: next, rest: [] });
    }
  }

  /** Records an option, taking its value from the next argument(s) when it needs one. */
  #add(written: string, specs: readonly OptionSpec[], inline: Arg | undefined): void {
    const takes = takesValue(specs);
    let value = inline;
    const rest: Arg[] = [];
    if (takes === 'rest') {
      while (this.#index + 1 < this.#args.length && this.#args[this.#index + 1]?.value.text !== ';')
        rest.push(this.#args[++this.#index] as Arg);
      if (this.#index + 1 < this.#args.length) this.#index++;
    } else if (takes === true && value === undefined) {
      value = this.#args[this.#index + 1];
      if (value !== undefined) this.#index++;
    }
    this.#given.push({ written, specs, value, rest });
  }
}

/** Whether options take a value; when an abbreviation fits several, any that takes one decides. */
function takesValue(specs: readonly OptionSpec[]): OptionSpec['takesValue'] {
  if (specs.some((spec) => spec.takesValue === 'rest')) return 'rest';
  if (specs.some((spec) => spec.takesValue === true)) return true;
  if (specs.some((spec) => spec.takesValue === 'optional')) return 'optional';
  return false;
}
