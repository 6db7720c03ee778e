import type { Handler } from '../types.js';
import { found } from '../types.js';
import { BUILTIN_HANDLERS } from './builtins.js';
import { EXEC_HANDLERS } from './exec.js';
import { FILE_HANDLERS } from './files.js';
import { git } from './git.js';
import { PLATFORM_HANDLERS } from './platforms.js';
import { SCRIPT_HANDLERS } from './scripts.js';

/** Commands that only look (or only print). Their arguments are data, never code. */
const READ_COMMANDS = [
  'ls', 'll', 'la', 'dir', 'cat', 'tac', 'head', 'tail', 'less', 'more', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'fd', 'wc', 'sort', 'uniq',
  'cut', 'tr', 'echo', 'printf', 'pwd', 'whoami', 'id', 'groups', 'date', 'cal', 'uname', 'hostname', 'printenv', 'which', 'type', 'whereis',
  'file', 'stat', 'du', 'df', 'tree', 'diff', 'cmp', 'comm', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'shasum', 'cksum', 'true', 'false',
  'test', '[', 'basename', 'dirname', 'realpath', 'readlink', 'jq', 'yq', 'xxd', 'hexdump', 'od', 'strings', 'ps', 'pgrep', 'free', 'uptime',
  'lsof', 'netstat', 'ss', 'ping', 'dig', 'nslookup', 'host', 'man', 'help', 'history', 'seq', 'sleep', 'wait', 'jobs', 'column', 'nl', 'fold',
  'rev', 'paste', 'join', 'base64', 'base32', 'expr', 'bc', 'dc', 'tput', 'stty', 'tty', 'locale', 'getconf', 'nproc', 'lscpu', 'lsblk',
  'env-check', 'clear', 'reset-terminal', 'true', 'yes', 'look', 'zcat', 'zgrep', 'bzcat', 'xzcat', 'gunzip-check', 'unzip-list', 'cd',
  'pushd', 'popd', 'export', 'set', 'unset', 'shopt', 'read', 'exit', 'return', 'break', 'continue', 'local', 'declare', 'typeset',
  'readonly', 'ulimit', 'umask', 'times', ':', 'hash', 'dirs', 'let', 'shift', 'getopts', 'complete', 'compgen', 'fc', 'bind', 'enable-check',
  'iconv', 'envsubst', 'numfmt', 'shuf', 'split-check', 'mapfile', 'readarray', 'printf', 'w', 'who', 'last', 'vmstat', 'iostat', 'top', 'htop',
  'nvidia-smi', 'sw_vers', 'lsb_release', 'arch', 'tsc-version',
];

/** Ordinary development work: builds, tests, package managers, editors, local file creation. */
const WRITE_COMMANDS = [
  'npm', 'npx', 'pnpm', 'pnpx', 'yarn', 'bunx', 'corepack', 'make', 'cmake', 'ninja', 'cargo', 'rustc', 'rustup', 'go', 'gofmt', 'pip', 'pip3', 'pipx',
  'uv', 'poetry', 'pipenv', 'pytest', 'tox', 'nox', 'ruff', 'black', 'isort', 'mypy', 'pyright', 'flake8', 'pylint', 'mvn', 'gradle', 'gradlew',
  'dotnet', 'gcc', 'g++', 'cc', 'clang', 'clang++', 'javac', 'java', 'kotlinc', 'swift', 'swiftc', 'tsc', 'tsx', 'ts-node', 'vitest', 'jest',
  'mocha', 'eslint', 'prettier', 'biome', 'webpack', 'vite', 'esbuild', 'rollup', 'next', 'nuxt', 'astro', 'turbo', 'nx', 'lerna', 'mkdir',
  'touch', 'chmod', 'chown', 'chgrp', 'patch', 'code', 'vim', 'vi', 'nvim', 'nano', 'emacs', 'open', 'xdg-open', 'tar', 'zip', 'unzip', 'gzip',
  'gunzip', 'bzip2', 'xz', 'unxz', '7z', 'kill', 'pkill', 'killall', 'brew', 'apt', 'apt-get', 'dnf', 'yum', 'apk', 'pacman', 'gem', 'bundle',
  'composer', 'mix', 'elixir', 'erl', 'stack', 'cabal', 'ghc', 'deno-fmt', 'bazel', 'buck', 'just', 'task', 'shellcheck', 'shfmt', 'split', 'csplit',
  'mktemp', 'rmdir', 'alias', 'trap', 'systemctl', 'service', 'launchctl', 'history-clear', 'direnv', 'nvm', 'asdf', 'mise', 'pyenv', 'rbenv',
  'sdk', 'ollama', 'hugo', 'jekyll', 'storybook', 'playwright', 'cypress', 'lighthouse', 'k6', 'ab', 'hyperfine', 'convert', 'ffmpeg',
  'pandoc', 'latexmk', 'pdflatex', 'jupyter', 'ipython', 'streamlit', 'flask', 'uvicorn', 'gunicorn', 'nodemon', 'pm2', 'serve',
];

/** Every command Airlock knows how to judge, by name. Anything else is `unknown`. */
export const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ...READ_COMMANDS.map((name): [string, Handler] => [name, () => found.read(name)]),
  ...WRITE_COMMANDS.map((name): [string, Handler] => [name, () => found.write(name)]),
  ...Object.entries(FILE_HANDLERS),
  ...Object.entries(EXEC_HANDLERS),
  ...Object.entries(PLATFORM_HANDLERS),
  ['git', git],
  // Last, so that they win: bash runs its builtin before any program of the same name.
  ...Object.entries(SCRIPT_HANDLERS),
  ...Object.entries(BUILTIN_HANDLERS),
]);
