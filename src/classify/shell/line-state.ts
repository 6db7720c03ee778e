import type { Command } from './ast.js';
import type { VariableTaint } from './arithmetic.js';

/**
 * What earlier commands of one command line changed for the later ones, beyond the working
 * folder and the files written: variables set to text the line chose (which arithmetic would
 * evaluate as code), integer variables (whose assignments are arithmetic), aliases, functions,
 * and shell options that change how bash reads the rest of the line. Shared by nested walks.
 */
export class LineState implements VariableTaint {
  readonly #tainted = new Set<string>();
  #taintedAll = false;
  /** Variables declared integer (`declare -i`): assigning one evaluates the value. */
  readonly integers = new Set<string>();
  /** Namerefs (`declare -n`): assigning one names another variable, subscript and all. */
  readonly namerefs = new Set<string>();
  /** Aliases defined on this line: a later command of that name is not the command it looks like. */
  readonly aliases = new Set<string>();
  /** Function bodies by name, to judge them again when a call follows a tainting assignment. */
  readonly functions = new Map<string, Command>();
  /** Functions being judged again (a recursive function is judged once). */
  readonly rewalking = new Set<string>();
  /** Set when a shell option changed how bash reads the rest of the line (`shopt -s extglob`). */
  reparse: string | undefined;

  /** Variable `name` may now hold text this line chose; undefined: a variable of unknown name. */
  taint(name: string | undefined): void {
    if (name === undefined) this.#taintedAll = true;
    else this.#tainted.add(name.replace(/\[.*$/, ''));
  }

  isTainted(name: string): boolean {
    if (this.#taintedAll) return true;
    if (/^[0-9@*]$/.test(name) || /^[0-9]+$/.test(name)) return this.#tainted.has('1');
    return this.#tainted.has(name);
  }

  /** True once any variable may hold chosen text. */
  get anyTainted(): boolean {
    return this.#taintedAll || this.#tainted.size > 0;
  }
}
