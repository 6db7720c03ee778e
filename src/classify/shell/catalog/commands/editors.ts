import type { CommandSpecInput } from '../command-schema.js';

/**
 * Editors and openers. Editing files is a write, but every editor has options that run its own
 * command language (vim's `-c`, `+cmd`, `--cmd`, `-S`; emacs' `--eval`, `-l`), which can run
 * shell commands: those are code Airlock does not read, so `unknown`.
 */
export const EDITOR_COMMANDS: readonly CommandSpecInput[] = [
  {
    name: 'vim', aliases: ['vi', 'view', 'ex', 'vimdiff', 'rvim', 'rview'], package: 'vim', effect: 'write', reversible: true,
    why: 'edits files; commands given on the command line are Vim script, and `:!` runs the shell',
    operands: { default: 'written' }, otherOptions: 'harmless',
    options: [
      { names: ['-c', '--cmd', '+'], takesValue: true, does: 'runs-code', why: 'Vim commands run at startup' },
      { names: ['-S'], takesValue: 'optional', does: 'runs-code', why: 'sources a Vim script (Session.vim by default)' },
      { names: ['-u', '-U'], takesValue: true, does: 'runs-code', why: 'a vimrc to run instead of the user’s' },
      { names: ['-s', '-W', '-w'], takesValue: true, does: 'runs-code', why: 'keystrokes read from, or recorded to, a file' },
      { names: ['-i', '-T', '-t', '-q', '--servername', '--remote', '--remote-send', '--remote-expr'], takesValue: true, does: 'runs-code', why: 'tags, error files and remote commands drive the editor' },
      { names: ['--version', '-h', '--help'], does: 'harmless', effect: 'read', why: 'prints and exits' },
    ],
    examples: [{ command: 'vim --version', effect: 'read' }, { command: "vim -es -c 'q' src/app.ts", effect: 'unknown' }],
  },
  {
    name: 'nvim', package: 'neovim', effect: 'write', reversible: true, why: 'edits files; command-line commands are Vim script or Lua',
    operands: { default: 'written' }, otherOptions: 'harmless',
    options: [
      { names: ['-c', '--cmd', '+', '-u', '-l'], takesValue: true, does: 'runs-code', why: 'commands, an init file or a Lua script run at startup' },
      { names: ['-S'], takesValue: 'optional', does: 'runs-code', why: 'sources a session script' },
      { names: ['-s', '-w', '-W', '--listen', '--server', '--remote', '--remote-send', '--remote-expr'], takesValue: true, does: 'runs-code', why: 'keystrokes and remote commands' },
      { names: ['--version', '-v', '-h', '--help'], does: 'harmless', effect: 'read', why: 'prints and exits' },
    ],
    examples: [{ command: 'nvim --version', effect: 'read' }],
  },
  {
    name: 'emacs', package: 'emacs-nox', effect: 'write', reversible: true, why: 'edits files; `--eval`, `-l`, `-f` and `--script` run Emacs Lisp, which can run anything',
    operands: { default: 'written' }, otherOptions: 'harmless',
    options: [
      { names: ['--eval', '--execute', '-l', '--load', '-f', '--funcall', '--script', '-x', '-L', '--directory', '--init-directory', '-u', '--user'], takesValue: true, does: 'runs-code', why: 'Emacs Lisp run at startup' },
      { names: ['--batch'], does: 'harmless', why: 'no window; runs the user’s init only with -l' },
      { names: ['--version', '--help'], does: 'harmless', effect: 'read', why: 'prints and exits' },
    ],
    examples: [{ command: 'emacs --version', effect: 'read' }],
  },
  {
    name: 'nano', aliases: ['rnano'], package: 'nano', effect: 'write', reversible: true, why: 'edits files; the speller option runs a program',
    operands: { default: 'written' }, otherOptions: 'harmless',
    options: [
      { names: ['-s', '--speller'], takesValue: true, does: 'runs', why: 'spell-checks with this program' },
      { names: ['-f', '--rcfile'], takesValue: true, does: 'unknown', why: 'a nanorc, which can set the speller and formatter programs' },
      { names: ['-o', '--operatingdir', '-Y', '--syntax', '-T', '--tabsize', '-r', '--fill', '-C', '--backupdir', '-Q', '--quotestr', '-X', '--wordchars', '-J', '--guidestripe'], takesValue: true, does: 'harmless', why: 'settings' },
      { names: ['-V', '--version', '-h', '--help'], does: 'harmless', effect: 'read', why: 'prints and exits' },
    ],
    examples: [{ command: 'nano --version', effect: 'read' }],
  },
  {
    name: 'code', package: 'vendor:code', effect: 'execute', reversible: false,
    why: 'opens VS Code, whose workspace tasks and extensions run code; `--install-extension` installs code that runs later',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['--version', '-v', '--help', '-h', '--list-extensions'], does: 'harmless', effect: 'read', why: 'prints and exits' }],
    examples: [{ command: 'code --version', effect: 'read' }],
  },
  {
    name: 'xdg-open', package: 'xdg-utils', effect: 'execute', reversible: false, why: 'opens a file or URL with whatever program the desktop associates with it',
    otherOptions: 'harmless', examples: [{ command: 'xdg-open --version', effect: 'read' }],
  },
  {
    name: 'open', package: 'macos', effect: 'execute', reversible: false, why: 'macOS: opens files with their application; `.command` and `.app` files run',
    otherOptions: 'harmless', examples: [{ command: 'open -h', effect: 'execute' }],
  },
];
