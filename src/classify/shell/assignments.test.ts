import { verifies } from '../../../test/requirements.js';
import { describe, expect, it } from 'vitest';
import { bashRunsIt, describeActions, isPlain, judge } from '../../../test/bash-proof.js';
import { executionVariable } from './assignments.js';

const SCRIPT = "printf '#!/bin/sh\\n{RUN}\\n'";
const GIT_REPO =
  'git init -q . && git -c user.email=a@b -c user.name=n commit -q --allow-empty -m first';

/** Variables that change what runs: real bash (and the tools) run `{RUN}` through each. */
const PROVEN: readonly { readonly setup: string; readonly template: string }[] = [
  { setup: `mkdir bin && ${SCRIPT} > bin/ls && chmod +x bin/ls`, template: 'PATH=./bin:$PATH ls' },
  { setup: `mkdir bin && ${SCRIPT} > bin/ls && chmod +x bin/ls`, template: 'PATH=./bin:$PATH; ls' },
  {
    setup: `mkdir bin && ${SCRIPT} > bin/ls && chmod +x bin/ls`,
    template: 'export PATH=./bin:$PATH; ls',
  },
  {
    setup: `mkdir bin && ${SCRIPT} > bin/ls && chmod +x bin/ls`,
    template: 'declare -x PATH=./bin:$PATH; ls',
  },
  {
    setup: `mkdir bin && ${SCRIPT} > bin/ls && chmod +x bin/ls`,
    template: 'env PATH=./bin:$PATH ls',
  },
  { setup: `echo '{RUN}' > env.sh`, template: 'BASH_ENV=./env.sh bash -c :' },
  {
    setup: `${GIT_REPO} && echo a > f && git add f && git -c user.email=a@b -c user.name=n commit -q -m f && echo b > f && ${SCRIPT} > diff.sh && chmod +x diff.sh`,
    template: 'GIT_EXTERNAL_DIFF=./diff.sh git diff',
  },
  {
    setup: `echo 'require("child_process").execSync("{RUN}")' > r.js`,
    template: "NODE_OPTIONS='--require ./r.js' node -e 0",
  },
  { setup: '', template: "PS4='$({RUN})'; set -x; :" },
];

describe('assignments to variables that change what runs', () => {
  it.each(PROVEN)(
    'holds `$template`, which really runs the chosen code',
    async ({ setup, template }) => {
      verifies('shell.judged-by-what-runs');
      expect(bashRunsIt(template, setup), 'the code runs').toBe(true);
      const actions = await judge(template);
      expect(
        actions.some(
          (action) =>
            action.effect === 'unknown' && /^set [A-Z0-9_]+ \(sets /.test(action.operation),
        ),
        describeActions(actions),
      ).toBe(true);
    },
  );

  it.each([
    'LD_PRELOAD=./evil.so ls',
    'DYLD_INSERT_LIBRARIES=./x.dylib ls',
    'ENV=./x sh -c ls',
    'LD_LIBRARY_PATH=. ls',
    "GIT_SSH_COMMAND='sh -c x' git fetch",
    'GIT_ASKPASS=./x git fetch',
    "GIT_PAGER='sh -c x' git -p log",
    'GIT_EDITOR=vim git commit',
    'GIT_CONFIG_COUNT=1 git status',
    'GIT_DIR=/tmp/x git status',
    'GIT_WORK_TREE=/ git status',
    'PAGER=./evil man ls',
    'MANPAGER=./evil man ls',
    'LESSOPEN="|./x %s" less f',
    'EDITOR=./x crontab -e',
    'VISUAL=./x git commit',
    'PYTHONSTARTUP=x python3',
    'PYTHONPATH=. python3 -m pytest',
    'PERL5OPT=-Mx perl f.pl',
    'PERL5LIB=. perl f.pl',
    'RUBYOPT=-rx ruby f.rb',
    "PROMPT_COMMAND='rm -rf ~'",
    'SHELLOPTS=xtrace bash -c ls',
    'BASHOPTS=extglob bash -c ls',
    'IFS=r ls',
    'HOME=/tmp/x ls',
    'CDPATH=/tmp cd x',
    'npm_config_script_shell=./x npm test',
    'CC=./evil make',
    'MAKEFLAGS=--eval=x make',
    'RUSTC_WRAPPER=./x cargo build',
    'GOFLAGS=-toolexec=./x go build',
    'JAVA_TOOL_OPTIONS=-javaagent:x.jar java -version',
    'export LD_PRELOAD=./x.so',
    'readonly PATH=.',
    'read PATH',
    'printf -v PATH %s .',
    'env LD_PRELOAD=./x.so ls',
    'env -C /tmp rm x',
    'for PATH in ./bin; do ls; done',
    'JAVA_HOME=./evil mvn -v',
    'GLOBIGNORE=x; rm *',
    'PATH+=:./bin; ls',
  ])('answers unknown for `%s`', async (command) => {
    const actions = await judge(command);
    expect(
      actions.some((action) => action.effect === 'unknown'),
      describeActions(actions),
    ).toBe(true);
  });

  it('keeps ordinary variables and harmless values plain', async () => {
    const ordinary = [
      'FOO=1 ls',
      'NODE_ENV=production CI=true DEBUG=* ls',
      'export NODE_ENV=production; ls',
      'PAGER=cat man ls',
      'GIT_PAGER=cat git log',
      'LESS=-R git log',
      'PATH=/usr/local/bin:$PATH ls',
      'export PATH="$HOME/.cargo/bin:$PATH"; ls',
      'export PATH',
      'IFS= read -r line < f',
      "IFS=$'\\n' read -r line < f",
      'IFS=, read -r a b < f',
      'GIT_AUTHOR_NAME=bot git commit -m x',
      'GIT_TERMINAL_PROMPT=0 git status',
      'GIT_EDITOR=true git commit',
      'PYTHONUNBUFFERED=1 python3 -m pytest',
      'NODE_OPTIONS=--max-old-space-size=4096 node app.js',
      'CFLAGS="-O2 -Wall" ls',
      'MAKEFLAGS=-j4 ls',
      'env FOO=1 ls',
      'env -i ls',
      'TZ=UTC date',
      'LANG=C sort f',
      'export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64; ls',
      'export GOPATH=$HOME/go; ls',
      'export PATH=$PATH:/usr/local/go/bin; ls',
      'PATH+=:/usr/local/bin; ls',
    ];
    for (const command of ordinary) {
      const actions = await judge(command);
      expect(isPlain(actions), `${command}: ${describeActions(actions)}`).toBe(true);
    }
  });

  it('has a rule for every variable the issue names', () => {
    const named = [
      'PATH',
      'BASH_ENV',
      'ENV',
      'LD_PRELOAD',
      'LD_LIBRARY_PATH',
      'DYLD_INSERT_LIBRARIES',
      'GIT_EXTERNAL_DIFF',
      'GIT_SSH',
      'GIT_SSH_COMMAND',
      'GIT_ASKPASS',
      'GIT_PAGER',
      'GIT_EDITOR',
      'GIT_CONFIG_GLOBAL',
      'GIT_CONFIG_KEY_0',
      'GIT_DIR',
      'GIT_WORK_TREE',
      'PAGER',
      'MANPAGER',
      'LESSOPEN',
      'EDITOR',
      'VISUAL',
      'NODE_OPTIONS',
      'PYTHONSTARTUP',
      'PYTHONPATH',
      'PERL5OPT',
      'PERL5LIB',
      'RUBYOPT',
      'PROMPT_COMMAND',
      'SHELLOPTS',
      'BASHOPTS',
      'IFS',
      'HOME',
      'CDPATH',
      'npm_config_script_shell',
      'BASH_FUNC_ls%%',
      'CC',
      'MAKEFLAGS',
      'RUSTC_WRAPPER',
    ];
    for (const name of named) expect(executionVariable(name)?.why, name).toBeTruthy();
    for (const name of ['FOO', 'NODE_ENV', 'CI', 'DEBUG', 'TZ', 'LANG'])
      expect(executionVariable(name), name).toBeUndefined();
  });
});
