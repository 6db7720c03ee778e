import type { Effect, JsonValue } from '../../core/index.js';
import type { Word } from './ast.js';
import type { WordValue } from './words.js';

/** One thing a command line would do, before it becomes an `Action`. */
export interface Finding {
  readonly operation: string;
  readonly effect: Effect;
  readonly targets: readonly FindingTarget[];
}

/** A target of a finding: `{type: 'path', id: '/srv/data'}`, `{type: 'git-ref', id: 'origin/main'}`… */
export interface FindingTarget {
  readonly type: string;
  readonly id: string;
  readonly attrs?: Readonly<Record<string, JsonValue>>;
}

/** One argument of a command: the word and what it expands to. */
export interface Arg {
  readonly word: Word | undefined;
  readonly value: WordValue;
}

/** What a command's standard input is, when it matters (shells and database clients read code from it). */
export type Stdin =
  | { readonly kind: 'none' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'opaque' };

/** What reading one file gave: its text, no such file, or why it could not be read (too large, binary, permission). */
export type FileRead =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly why: string };

/**
 * Reads the files a command would run or consult (package.json scripts, shell scripts, Makefiles),
 * injected so that the classifier stays free of I/O. Bounded by the implementation (size, binary).
 */
export interface FileReader {
  read(path: string): Promise<FileRead>;
}

/** What a classification may consult beyond the command line itself; every part optional. */
export interface ShellContext {
  /** Without a reader nothing can be looked into, and what would need it is `unknown`. */
  readonly files?: FileReader;
  /** Paths Airlock guards (its home, its config, the agent clients' hook configuration); see guard.ts. */
  readonly guard?: GuardSettings;
}

/** Where Airlock's own state and the agent clients' hook configuration live (see guard.ts). */
export interface GuardSettings {
  /** Paths (files or folders, absolute or `~/…`) that no agent command may write, move, delete, chmod or link. */
  readonly paths: readonly string[];
  /** Relative paths guarded wherever they are (`.claude/settings.json`: any folder's). */
  readonly names?: readonly string[];
  /** Folders no agent command may even read (the Airlock home: its store and keys). */
  readonly unreadable?: readonly string[];
  /** The user's home folder, to place `~` paths; undefined when unknown. */
  readonly userHome?: string;
  /**
   * Airlock's live processes, or only process `pid` when it is one of them; looked up only when a
   * command line sends signals (all of them cost a /proc scan, one pid a single read).
   */
  readonly processes?: (pid?: number) => readonly GuardedProcess[];
}

/** One live Airlock process, as signals would find it. */
export interface GuardedProcess {
  readonly pid: number;
  /** Its process group (`kill -- -PGID` signals all of it). */
  readonly pgid?: number;
  /** The name pkill and killall match without -f (`node`, `airlock-hook`). */
  readonly name: string;
  /** The full command line, arguments joined by spaces (what `pkill -f` matches). */
  readonly commandLine: string;
}

/** Everything a command handler knows about one invocation. */
export interface Invocation {
  /** The command name as written, without its folder (`/bin/rm` → `rm`). */
  readonly name: string;
  readonly args: readonly Arg[];
  /** Working directory at this point (after `cd`), or undefined when it cannot be known. */
  readonly cwd: string | undefined;
  /** The project: the working directory the command line was handed over in. */
  readonly project: string | undefined;
  readonly stdin: Stdin;
  readonly upstream: string;
  /** Reads files a command would run (scripts, package.json); undefined when nothing may be read. */
  readonly files: FileReader | undefined;
  /** True when an earlier command of this same line may have written `path` (so its text now is not what will run). */
  mayHaveWritten(path: string): boolean;
  /** Classifies another command line (bash -c, eval, here-documents to sh) in this context. */
  shell(code: string): Promise<Finding[]>;
  /** Classifies another argument vector (sudo, env, xargs, find -exec…) in this context. */
  exec(args: readonly Arg[], stdin?: Stdin): Promise<Finding[]>;
}

/** Judges one command; returns what it would do. */
export type Handler = (invocation: Invocation) => Finding[] | Promise<Finding[]>;

/** Shorthands for handler results. */
export const found = {
  read: (operation: string, targets: readonly FindingTarget[] = []): Finding[] => [
    { operation, effect: 'read', targets },
  ],
  write: (operation: string, targets: readonly FindingTarget[] = []): Finding[] => [
    { operation, effect: 'write', targets },
  ],
  /** A program Airlock cannot see into (compiled, in another language, a package's program). */
  execute: (operation: string, targets: readonly FindingTarget[] = []): Finding[] => [
    { operation, effect: 'execute', targets },
  ],
  destroy: (operation: string, targets: readonly FindingTarget[] = []): Finding[] => [
    { operation, effect: 'destructive', targets },
  ],
  unknown: (operation: string, why: string, targets: readonly FindingTarget[] = []): Finding[] => [
    { operation: `${operation} (${why})`, effect: 'unknown', targets },
  ],
};

/** A known argument (for wrappers that synthesize argv, e.g. find -exec's `{}`). */
export function knownArg(text: string): Arg {
  return { word: undefined, value: { known: true, text, glob: false } };
}

/** An argument that only the run knows (xargs' input). */
export const DYNAMIC_ARG: Arg = { word: undefined, value: { known: false } };
