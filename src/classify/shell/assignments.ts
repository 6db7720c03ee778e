import type { Word } from './ast.js';
import type { Arg, Finding } from './types.js';
import { found } from './types.js';

/**
 * Variables that change what runs: a program found elsewhere (PATH), code loaded into every
 * program (LD_PRELOAD, NODE_OPTIONS), a command a tool runs for you (GIT_SSH_COMMAND, PAGER), a
 * file read as code (BASH_ENV, PYTHONSTARTUP), or how the shell reads the rest of the line
 * (SHELLOPTS, IFS). Setting one, as a prefix (`X=y cmd`), alone (`X=y; cmd`), through
 * `export`/`declare` or `env X=y cmd`, is `unknown` unless the value is one that runs nothing new.
 * Every other variable (FOO=1, NODE_ENV=production, CI=true, DEBUG=…) is data.
 */

/** One rule: which names it covers, why setting them changes execution, and which values are harmless. */
export interface ExecutionVariable {
  readonly name: string | RegExp;
  readonly why: string;
  /** True for a value that runs nothing new; without it, every value is `unknown`. */
  readonly harmless?: (value: string) => boolean;
}

/** Folders whose programs are the system's own (and the user's toolchains, installed on purpose). */
const STANDARD_BIN = new Set([
  '/bin',
  '/sbin',
  '/usr/bin',
  '/usr/sbin',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/opt/homebrew/bin',
  '/opt/homebrew/sbin',
  '/usr/local/go/bin',
  '~/.cargo/bin',
  '~/.local/bin',
  '~/go/bin',
  '~/.bun/bin',
  '~/.deno/bin',
]);
const PAGERS = /^(cat|less( -[A-Za-z]+)*|more|)$/;
const EDITORS = /^(true|:|cat|)$/;
const OFF = /^(0|1|true|false|yes|no|)$/i;
/** make options that only tune parallelism and output. */
const MAKE_OPTION =
  /^(-?[jkslw]+\d*|--jobs(=\d+)?|--keep-going|--silent|--no-print-directory|--print-directory|--output-sync(=\w+)?|\d+)$/;
/** Compiler options that only choose optimisation, warnings, standards and macros. */
const COMPILER_OPTION =
  /^-(O[0-3sgz]?|g\d?|W[a-z-]*|w|std=[\w+]+|D[\w=.]+|U\w+|march=[\w-]+|mtune=[\w-]+|pipe|f(no-)?(PIC|pic|PIE|pie|omit-frame-pointer|stack-protector[\w-]*|exceptions|rtti|lto))$/;
const tokens = (value: string): string[] => value.split(/\s+/).filter(Boolean);

/** NODE_OPTIONS that tune the runtime without loading code. */
const NODE_OPTION =
  /^--(max-old-space-size=\d+|max-semi-space-size=\d+|enable-source-maps|no-warnings|no-deprecation|trace-warnings|trace-deprecation|experimental-vm-modules|unhandled-rejections=\w+|stack-size=\d+|openssl-legacy-provider|dns-result-order=[\w-]+)$/;

/** The rules, checked in order; the first whose name matches decides. */
export const EXECUTION_VARIABLES: readonly ExecutionVariable[] = [
  {
    name: 'PATH',
    why: 'decides which program each command name runs',
    harmless: (value) =>
      value
        .split(':')
        .every((entry) => entry === '$PATH' || STANDARD_BIN.has(entry.replace(/\/$/, ''))),
  },
  { name: 'BASH_ENV', why: 'bash runs that file before any script' },
  { name: 'ENV', why: 'sh runs that file when it starts' },
  { name: /^(LD_|DYLD_)/, why: 'loads libraries into every program' },
  { name: 'GCONV_PATH', why: 'loads character-set modules into programs' },
  {
    name: /^GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL|DATE)$/,
    why: 'names a commit author',
    harmless: () => true,
  },
  {
    name: /^GIT_(TERMINAL_PROMPT|OPTIONAL_LOCKS|FLUSH|MERGE_AUTOEDIT|LFS_SKIP_SMUDGE|ADVICE|PROGRESS_DELAY)$/,
    why: 'tunes git',
    harmless: () => true,
  },
  {
    name: /^GIT_TRACE\w*$/,
    why: 'makes git write traces (to a file when the value is a path)',
    harmless: (value) => OFF.test(value),
  },
  { name: 'GIT_PAGER', why: 'git runs it to show output', harmless: (value) => PAGERS.test(value) },
  {
    name: /^GIT_(EDITOR|SEQUENCE_EDITOR)$/,
    why: 'git runs it to edit messages',
    harmless: (value) => EDITORS.test(value),
  },
  {
    name: /^GIT_/,
    why: 'git runs commands, reads configuration or repositories it names (GIT_SSH_COMMAND, GIT_EXTERNAL_DIFF, GIT_CONFIG_*, GIT_DIR…)',
  },
  {
    name: /^(PAGER|MANPAGER|SYSTEMD_PAGER|BAT_PAGER|DELTA_PAGER)$/,
    why: 'tools run it to show output',
    harmless: (value) => PAGERS.test(value),
  },
  {
    name: /^(EDITOR|VISUAL|SUDO_EDITOR|FCEDIT)$/,
    why: 'tools run it to edit files',
    harmless: (value) => EDITORS.test(value),
  },
  { name: /^(LESSOPEN|LESSCLOSE|LESSKEY\w*)$/, why: 'less runs it on every file it opens' },
  { name: /^(SSH_ASKPASS|SUDO_ASKPASS|BROWSER)$/, why: 'tools run it' },
  {
    name: 'NODE_OPTIONS',
    why: 'node loads code it names (--require, --import, --loader)',
    harmless: (value) => tokens(value).every((option) => NODE_OPTION.test(option)),
  },
  { name: 'NODE_PATH', why: 'decides which modules node loads' },
  {
    name: /^PYTHON(UNBUFFERED|DONTWRITEBYTECODE|HASHSEED|IOENCODING|UTF8|FAULTHANDLER|NOUSERSITE|OPTIMIZE)$/,
    why: 'tunes python',
    harmless: () => true,
  },
  {
    name: /^PYTHON/,
    why: 'python runs or imports code it names (PYTHONSTARTUP, PYTHONPATH, PYTHONHOME, PYTHONWARNINGS…)',
  },
  { name: /^(PERL5OPT|PERL5LIB|PERLLIB|PERL5DB)$/, why: 'perl loads code it names' },
  { name: /^(RUBYOPT|RUBYLIB|BUNDLE_GEMFILE)$/, why: 'ruby loads code it names' },
  {
    name: /^(LUA_INIT\w*|LUA_PATH\w*|LUA_CPATH\w*|PHPRC|PHP_INI_SCAN_DIR)$/,
    why: 'the interpreter loads code it names',
  },
  {
    name: 'JAVA_HOME',
    why: 'build tools run the java it points to',
    harmless: (value) => /^\/(usr\/lib\/jvm|opt|Library\/Java|usr\/local\/opt)\/[^.]*$/.test(value),
  },
  {
    name: /^(JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|CLASSPATH|MAVEN_OPTS|GRADLE_OPTS)$/,
    why: 'java loads agents and classes it names',
  },
  { name: /^(PROMPT_COMMAND|PS0|PS1|PS2|PS4)$/, why: 'bash runs the command substitutions in it' },
  {
    name: /^(SHELLOPTS|BASHOPTS|POSIXLY_CORRECT|BASH_COMPAT)$/,
    why: 'changes how bash reads and runs the rest',
  },
  {
    name: /^(GLOBIGNORE|EXECIGNORE)$/,
    why: 'changes which files a glob matches (GLOBIGNORE also matches dotfiles) or which programs run',
  },
  {
    name: 'IFS',
    why: 'changes how bash splits words',
    harmless: (value) => !/[A-Za-z0-9_]/.test(value),
  },
  { name: 'HOME', why: 'moves `~` and every configuration file programs read' },
  {
    name: /^(XDG_CONFIG_HOME|XDG_CONFIG_DIRS|ZDOTDIR|INPUTRC|VIMINIT|EXINIT|MYVIMRC)$/,
    why: 'programs read configuration (which may run commands) from where it points',
  },
  { name: 'CDPATH', why: 'changes where `cd` goes' },
  {
    name: /^npm_config_(yes|loglevel|fund|audit|update_notifier|progress|color)$/i,
    why: 'tunes npm',
    harmless: () => true,
  },
  {
    name: /^npm_config_/i,
    why: 'npm settings include the shell and programs it runs (script_shell, node_options, prefix…)',
  },
  { name: /^BASH_FUNC_/, why: 'defines a shell function in every bash started later' },
  {
    name: /^(MAKEFLAGS|MFLAGS|GNUMAKEFLAGS)$/,
    why: 'make reads options from it (--eval, -f, -C…)',
    harmless: (value) => tokens(value).every((option) => MAKE_OPTION.test(option)),
  },
  {
    name: /^(CFLAGS|CXXFLAGS|CPPFLAGS|LDFLAGS)$/,
    why: 'compilers run the plugins, wrappers and tools it names',
    harmless: (value) => tokens(value).every((option) => COMPILER_OPTION.test(option)),
  },
  {
    name: /^(CC|CXX|CPP|LD|AR|AS|FC|MAKEFILES|MAKE)$/,
    why: 'builds run the compiler, linker or makefiles it names',
  },
  {
    name: /^(RUSTC|RUSTC_WRAPPER|RUSTC_WORKSPACE_WRAPPER|RUSTFLAGS|RUSTDOCFLAGS|CARGO_BUILD_\w+|CARGO_TARGET_\w+|CARGO_HOME|RUSTUP_TOOLCHAIN)$/,
    why: 'cargo runs the compiler, wrapper, linker or runner it names',
  },
  {
    name: /^(GOFLAGS|GOROOT|GOTOOLCHAIN|CGO_\w+)$/,
    why: 'go runs the toolchain or tools it names (-toolexec)',
  },
];

/** The rule for variable `name`, or undefined when setting it changes nothing that runs. */
export function executionVariable(name: string): ExecutionVariable | undefined {
  return EXECUTION_VARIABLES.find((rule) =>
    typeof rule.name === 'string' ? rule.name === name : rule.name.test(name),
  );
}

/**
 * Judges setting variable `name` (its subscript stripped) to `value` (undefined: from input or
 * the run): nothing when the variable is data or the value harmless, else one `unknown` finding.
 */
export function judgeAssignment(name: string | undefined, value: Arg | undefined): Finding[] {
  if (name === undefined)
    return found.unknown('set variable', 'sets a variable whose name is known only at run time');
  const bare = name.replace(/\[.*$/, '');
  const rule = executionVariable(bare);
  if (rule === undefined) return [];
  const text = value === undefined ? undefined : valueText(value);
  if (text !== undefined && rule.harmless?.(text) === true) return [];
  return found.unknown(`set ${bare}`, `sets ${bare}, which changes what runs: ${rule.why}`);
}

/** The value's text, with `$PATH` kept as a token (so `PATH=/usr/bin:$PATH` can be judged). */
function valueText(value: Arg): string | undefined {
  if (value.value.known) return value.value.glob ? undefined : value.value.text;
  return value.word === undefined ? undefined : withPathToken(value.word);
}

function withPathToken(word: Word): string | undefined {
  let text = '';
  for (const [index, part] of word.parts.entries()) {
    if (part.kind === 'lit')
      text +=
        index === 0 && !part.quoted && part.value.startsWith('~')
          ? part.value
          : part.value.replaceAll('$', '\0');
    else if (part.kind === 'param' && part.plain && part.name === 'PATH') text += '$PATH';
    else if (part.kind === 'param' && part.plain && part.name === 'HOME' && index === 0)
      text += '~';
    else return undefined;
  }
  return text;
}
