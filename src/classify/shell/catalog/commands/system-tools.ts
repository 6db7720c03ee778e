import type { CommandSpecInput } from '../command-schema.js';

/**
 * Package managers, service managers, version managers and process signals. Installing runs
 * the packages' own scripts (setup.py, maintainer scripts, gem extensions): `execute`.
 */
const execute = (name: string, pkg: string, why: string, example: string, aliases: CommandSpecInput['aliases'] = []): CommandSpecInput => ({
  name, aliases, package: pkg, effect: 'execute', reversible: false, why, operands: { default: 'data' }, otherOptions: 'harmless',
  // Asking a program for its version or help runs nothing of the project's.
  examples: [{ command: example, effect: /^\S+ (--version|-version)$/.test(example) ? 'read' : 'execute' }],
});

export const SYSTEM_TOOL_COMMANDS: readonly CommandSpecInput[] = [
  execute('pip', 'python3-pip', 'installs Python packages, running their build scripts', 'pip --version', ['pip3']),
  execute('pipx', 'pipx', 'installs and runs Python applications', 'pipx --version'),
  execute('uv', 'pypi:uv', 'installs Python packages and runs commands in environments (`uv run`)', 'uv --version', ['uvx']),
  execute('poetry', 'python3-poetry', 'installs dependencies and runs commands (`poetry run`)', 'poetry --version'),
  execute('pipenv', 'pipenv', 'installs dependencies and runs commands (`pipenv run`)', 'pipenv --version'),
  execute('brew', 'vendor:homebrew', 'installs packages (formula code is Ruby) and runs services', 'brew --version'),
  execute('apt', 'apt', 'installs system packages, whose maintainer scripts run as root', 'apt --version', ['apt-get']),
  execute('dnf', 'dnf', 'installs system packages, whose scriptlets run as root', 'dnf --version', [{ name: 'yum', package: 'vendor:yum' }]),
  execute('apk', 'vendor:apk-tools', 'installs Alpine packages, whose scripts run as root', 'apk --version'),
  execute('pacman', 'vendor:pacman', 'installs Arch packages, whose install scripts run as root', 'pacman --version'),
  execute('gem', 'ruby', 'installs Ruby gems, building native extensions', 'gem --version'),
  execute('bundle', 'ruby-bundler', 'installs gems and runs commands (`bundle exec`)', 'bundle --version', ['bundler']),
  execute('composer', 'composer', 'installs PHP packages and runs composer.json scripts', 'composer --version'),
  execute('systemctl', 'systemd', 'starts, stops and configures services', 'systemctl --version'),
  execute('service', 'init-system-helpers', 'starts and stops services through their init scripts', 'service --version'),
  execute('launchctl', 'macos', 'macOS: loads and starts services', 'launchctl version'),
  execute('direnv', 'direnv', 'allows and loads .envrc files, which are shell code', 'direnv version'),
  execute('asdf', 'vendor:asdf', 'installs tool versions (plugins are shell scripts) and runs them', 'asdf --version'),
  execute('mise', 'vendor:mise', 'installs tool versions and runs tasks', 'mise --version'),
  execute('pyenv', 'vendor:pyenv', 'builds and selects Python versions', 'pyenv --version'),
  execute('rbenv', 'rbenv', 'selects Ruby versions and runs them', 'rbenv --version'),
  {
    name: 'pkill', package: 'procps', effect: 'write', reversible: false, why: 'signals processes chosen by name; stopping a dev server is ordinary work, and signals to Airlock are the guard’s',
    operands: { default: 'data' }, otherOptions: 'harmless',
    options: [{ names: ['-e', '-s', '-u', '-U', '-g', '-G', '-t', '-P', '--signal', '-F', '--pidfile', '--ns', '--nslist'], takesValue: true, does: 'harmless', why: 'which processes' }],
    examples: [{ command: 'pkill -0 -x no-such-process-airlock || true', effect: 'write' }],
  },
  {
    name: 'killall', package: 'psmisc', effect: 'write', reversible: false, why: 'signals processes by name',
    operands: { default: 'data' }, otherOptions: 'harmless',
    options: [{ names: ['-s', '--signal', '-u', '--user', '-o', '--older-than', '-y', '--younger-than', '-n', '--ns', '-Z', '--context'], takesValue: true, does: 'harmless', why: 'which processes' }],
    examples: [{ command: 'killall -0 no-such-process-airlock || true', effect: 'write' }],
  },
  {
    name: 'serve', package: 'npm:serve', effect: 'read', reversible: true, why: 'serves a folder’s static files over HTTP; it runs none of them',
    operands: { default: 'read' }, otherOptions: 'harmless',
    options: [{ names: ['-c', '--config'], takesValue: true, does: 'reads', why: 'serve.json' }, { names: ['-l', '--listen', '-p'], takesValue: true, does: 'harmless', why: 'where to listen' }],
    examples: [{ command: 'serve --version', effect: 'read' }],
  },
  {
    name: 'ab', package: 'apache2-utils', effect: 'read', reversible: true, why: 'sends benchmark requests to a URL; a body (`-p`, `-u`) or method (`-m`) is a request whose effect the server decides',
    operands: { default: 'data' }, otherOptions: 'harmless',
    options: [
      { names: ['-p', '-u'], takesValue: true, does: 'unknown', why: 'POSTs or PUTs this file to the server' },
      { names: ['-m'], takesValue: true, does: 'unknown', why: 'a request method of the caller’s choice' },
      { names: ['-g', '-e'], takesValue: true, does: 'overwrites', why: 'writes results to this file' },
      { names: ['-n', '-c', '-t', '-s', '-b', '-T', '-v', '-A', '-P', '-X', '-C', '-H', '-Z', '-f', '-B', '-E'], takesValue: true, does: 'harmless', why: 'load shape and headers' },
    ],
    examples: [{ command: 'ab -V', effect: 'read' }],
  },
];
