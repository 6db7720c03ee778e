/**
 * The shell syntax tree the classifier walks. Only what decides what would run is kept: every
 * command, every word's parts (so quoting, escapes and expansions are exact), every redirection.
 */

/** One piece of a word, after quote removal. */
export type WordPart =
  /** Literal text; `quoted` parts never glob, tilde-expand or split. */
  | { readonly kind: 'lit'; readonly value: string; readonly quoted: boolean }
  /** `$NAME`, `${NAME…}`, `$1`, `$@`…; `plain` when it is exactly the variable's value. */
  /** `inner` is the source between `${` and `}` (subscripts and offsets there are arithmetic). */
  | {
      readonly kind: 'param';
      readonly name: string;
      readonly plain: boolean;
      readonly quoted: boolean;
      readonly nested: readonly Script[];
      readonly inner?: string;
    }
  /** `$(…)` or backticks: a script that runs, whose output becomes text. */
  | { readonly kind: 'cmdsub'; readonly body: Script }
  /** `<(…)` / `>(…)`: a script that runs beside the command. */
  | { readonly kind: 'procsub'; readonly body: Script }
  /** `$((…))`: arithmetic, which may itself hold command substitutions; `text` is its source. */
  | { readonly kind: 'arith'; readonly nested: readonly Script[]; readonly text?: string };

/** A shell word: its parts in order and its source text. */
export interface Word {
  readonly parts: readonly WordPart[];
  readonly raw: string;
}

/** A redirection such as `> file`, `2>&1`, `<<EOF`, `<<< text`. */
export interface Redirect {
  readonly op: string;
  readonly fd: string | undefined;
  readonly target: Word;
  /** The body of a here-document (`<<`, `<<-`). */
  readonly heredoc?: Word;
}

/** `NAME=value` before a command (or alone). */
export interface Assignment {
  readonly name: string;
  readonly value: readonly Word[];
  /** The source of `[…]` in `NAME[…]=value`: bash evaluates it arithmetically. */
  readonly subscript?: string;
  /** `NAME=(…)`: an array, whose `[…]=` keys are arithmetic too. */
  readonly array?: boolean;
  /** `NAME+=value`: the value is added to the old one. */
  readonly append?: boolean;
}

/** A command that may run. */
export type Command =
  | {
      readonly kind: 'simple';
      readonly assigns: readonly Assignment[];
      readonly words: readonly Word[];
      readonly redirects: readonly Redirect[];
    }
  /** Subshells, groups, if, loops, case: bodies that may run and words they expand. */
  | {
      readonly kind: 'compound';
      readonly keyword: string;
      readonly bodies: readonly Script[];
      readonly words: readonly Word[];
      readonly redirects: readonly Redirect[];
      /** The loop variable of `for NAME in …` / `select NAME in …`. */
      readonly variable?: string;
      /** The source of `for ((…))`: arithmetic. */
      readonly arith?: string;
    }
  | { readonly kind: 'function'; readonly name: string; readonly body: Command }
  /** `[[ … ]]` and `(( … ))`: tests that only expand their words. */
  | {
      readonly kind: 'test';
      readonly words: readonly Word[];
      readonly nested: readonly Script[];
      readonly redirects: readonly Redirect[];
      readonly arith?: string;
    };

/** Commands joined by `|` (or `|&`): each one's output feeds the next one's input. */
export interface Pipeline {
  readonly commands: readonly Command[];
  /** Source offset of the pipeline's first character (for the cross-check against mvdan/sh). */
  readonly start: number;
}

/** A list of pipelines as they appear, whatever joins them (`;`, `&&`, `||`, `&`, newline). */
export interface Script {
  readonly pipelines: readonly Pipeline[];
  /** The source of a command or process substitution's body (to judge it again elsewhere). */
  readonly text?: string;
  /** Offsets where each top-level statement (and-or list) begins. */
  readonly statementStarts: readonly number[];
}
