import type { CommandSpecInput } from '../command-schema.js';

/**
 * Build tools, test runners, dev servers and project CLIs. They run the project's own code
 * (build scripts, config files that are code, tests, plugins), which Airlock cannot see into:
 * `execute`, which policy decides (the shipped policy allows it). Options that would run code
 * given on the command line are not special here: the whole command already runs code.
 */
const execute = (name: string, pkg: string, why: string, example: string, aliases: CommandSpecInput['aliases'] = []): CommandSpecInput => ({
  name, aliases, package: pkg, effect: 'execute', reversible: false, why, operands: { default: 'data' }, otherOptions: 'harmless',
  // Asking a program for its version or help runs nothing of the project's.
  examples: [{ command: example, effect: /^\S+ (--version|-version)$/.test(example) ? 'read' : 'execute' }],
});

export const BUILD_COMMANDS: readonly CommandSpecInput[] = [
  execute('cargo', 'cargo', 'builds and tests Rust crates: build.rs scripts, procedural macros and tests are code', 'cargo --version'),
  execute('rustup', 'vendor:rustup', 'installs Rust toolchains under ~/.rustup and runs them (`rustup run`)', 'rustup --version'),
  execute('go', 'golang-go', 'builds, tests and runs Go (`go run`, `go test`, `go generate` run code)', 'go version'),
  execute('cmake', 'cmake', 'configures builds from CMakeLists.txt, which is code (execute_process) ', 'cmake --version'),
  execute('ninja', 'ninja-build', 'runs the build commands of build.ninja', 'ninja --version'),
  execute('bazel', 'vendor:bazel', 'builds and tests with rules that run arbitrary actions', 'bazel --version', ['bazelisk']),
  execute('buck2', 'vendor:buck2', 'builds with Starlark rules that run arbitrary actions', 'buck2 --version', [{ name: 'buck', package: 'vendor:buck' }]),
  execute('task', 'go:github.com/go-task/task/v3/cmd/task', 'runs the shell commands of Taskfile.yml', 'task --version'),
  execute('mvn', 'maven', 'builds Java projects; plugins and tests are code', 'mvn --version'),
  execute('gradle', 'gradle', 'builds with build.gradle, which is Groovy or Kotlin code', 'gradle --version'),
  execute('dotnet', 'vendor:dotnet-sdk', 'builds, tests and runs .NET projects (MSBuild targets are code)', 'dotnet --version'),
  execute('java', 'default-jre-headless', 'runs Java programs', 'java -version'),
  execute('swift', 'vendor:swift', 'builds and runs Swift packages and scripts', 'swift --version'),
  execute('stack', 'haskell-stack', 'builds Haskell projects (Setup.hs and Template Haskell are code)', 'stack --version'),
  execute('cabal', 'cabal-install', 'builds Haskell projects (Setup.hs and Template Haskell are code)', 'cabal --version'),
  execute('mix', 'elixir', 'builds, tests and runs Elixir projects (mix.exs is code)', 'mix --version'),
  execute('elixir', 'elixir', 'runs Elixir scripts and `-e` code', 'elixir --version', ['iex']),
  execute('erl', 'erlang-base', 'runs the Erlang VM (`-eval`, `-s` run code)', 'erl -noshell -eval "halt()."'),
  execute('tsx', 'npm:tsx', 'runs TypeScript files', 'tsx --version'),
  execute('ts-node', 'npm:ts-node', 'runs TypeScript files', 'ts-node --version'),
  execute('vitest', 'npm:vitest', 'runs the project’s tests and its vite config, which are code', 'vitest --version'),
  execute('jest', 'npm:jest', 'runs the project’s tests and config', 'jest --version'),
  execute('mocha', 'npm:mocha', 'runs the project’s tests', 'mocha --version'),
  execute('eslint', 'npm:eslint', 'lints with eslint.config.js, which is code, and plugins; `--fix` rewrites files', 'eslint --version'),
  execute('prettier', 'npm:prettier', 'formats with a config and plugins that may be code (prettier.config.js); `--write` rewrites files', 'prettier --version'),
  execute('biome', 'npm:@biomejs/biome', 'lints and formats; `--write` rewrites files, plugins are code', 'biome --version'),
  execute('webpack', 'npm:webpack', 'bundles with webpack.config.js, which is code', 'webpack --version'),
  execute('vite', 'npm:vite', 'builds or serves with vite.config.*, which is code', 'vite --version'),
  execute('rollup', 'npm:rollup', 'bundles with rollup.config.*, which is code', 'rollup --version'),
  execute('next', 'npm:next', 'builds or serves a Next.js app (project code)', 'next --version'),
  execute('nuxt', 'npm:nuxt', 'builds or serves a Nuxt app (project code)', 'nuxt --version', ['nuxi']),
  execute('astro', 'npm:astro', 'builds or serves an Astro site (project code)', 'astro --version'),
  execute('turbo', 'npm:turbo', 'runs package scripts across a monorepo', 'turbo --version'),
  execute('nx', 'npm:nx', 'runs project targets across a monorepo', 'nx --version'),
  execute('lerna', 'npm:lerna', 'runs package scripts across a monorepo', 'lerna --version'),
  execute('storybook', 'npm:storybook', 'builds or serves stories (project code)', 'storybook --version'),
  execute('playwright', 'npm:playwright', 'runs browser tests (project code); `install` downloads browsers', 'playwright --version'),
  execute('cypress', 'npm:cypress', 'runs browser tests (project code)', 'cypress --version'),
  execute('lighthouse', 'npm:lighthouse', 'drives a browser against a URL', 'lighthouse --version'),
  execute('nodemon', 'npm:nodemon', 'runs a program and restarts it on change', 'nodemon --version'),
  execute('pm2', 'npm:pm2', 'starts and manages long-running processes', 'pm2 --version'),
  execute('hugo', 'hugo', 'builds or serves a site; it runs external helpers (asciidoctor, pandoc, postcss) named by content', 'hugo version'),
  execute('jekyll', 'jekyll', 'builds or serves a site; _plugins are Ruby code', 'jekyll --version'),
  execute('k6', 'vendor:k6', 'runs a JavaScript load test against servers', 'k6 version'),
  execute('latexmk', 'latexmk', 'runs LaTeX repeatedly; latexmkrc files and `-e` are Perl code', 'latexmk --version'),
  execute('jupyter', 'jupyter-core', 'runs notebook servers and kernels; `nbconvert --execute` runs notebooks', 'jupyter --version'),
  execute('ipython', 'pypi:ipython', 'runs Python (scripts, `-c` code, startup files)', 'ipython --version', [{ name: 'ipython3', package: 'ipython3' }]),
  execute('streamlit', 'pypi:streamlit', 'runs a Python app', 'streamlit --version'),
  execute('flask', 'python3-flask', 'runs the project’s Flask app and its CLI commands', 'flask --version'),
  execute('uvicorn', 'uvicorn', 'serves the project’s ASGI app', 'uvicorn --version'),
  execute('gunicorn', 'gunicorn', 'serves the project’s WSGI app (config files are Python)', 'gunicorn --version'),
  execute('pytest', 'python3-pytest', 'runs the project’s tests and conftest.py', 'pytest --version', ['pytest-3']),
  execute('tox', 'tox', 'creates environments and runs the commands of tox.ini', 'tox --version'),
  execute('nox', 'pypi:nox', 'runs noxfile.py sessions (Python code)', 'nox --version'),
  execute('mypy', 'mypy', 'type-checks Python; plugins named in its config are Python code', 'mypy --version'),
  execute('pylint', 'pylint', 'lints Python; `--init-hook`, `--load-plugins` and pylintrc hooks run code', 'pylint --version'),
  execute('ollama', 'vendor:ollama', 'runs, pulls and removes local models; `rm` deletes a model that can be pulled again', 'ollama --version'),
  {
    name: 'hyperfine', package: 'hyperfine', effect: 'read', reversible: true, why: 'times commands: each operand and each setup option is shell code, judged as such',
    operands: { default: 'shell' }, otherOptions: 'harmless',
    options: [
      { names: ['-p', '--prepare', '-s', '--setup', '-c', '--cleanup', '--conclude'], takesValue: true, does: 'runs-shell', why: 'shell code run around the benchmark' },
      { names: ['-S', '--shell'], takesValue: true, does: 'runs', why: 'runs the commands with this shell program' },
      { names: ['--export-json', '--export-csv', '--export-markdown', '--export-asciidoc', '--export-orgmode'], takesValue: true, does: 'overwrites', why: 'writes results to this file' },
      { names: ['-r', '--runs', '-w', '--warmup', '-m', '--min-runs', '-M', '--max-runs', '-n', '--command-name', '-P', '--parameter-scan', '-L', '--parameter-list', '-D', '--parameter-step-size', '-u', '--time-unit', '--style', '--sort', '--output', '--input'], takesValue: true, does: 'harmless', why: 'settings' },
    ],
    examples: [{ command: "hyperfine -r 2 'sleep 0.01'", effect: 'read' }],
  },
];
