import { spawnSync } from 'node:child_process';
import { verifies } from '../../../test/requirements.js';
import { describe, expect, it } from 'vitest';
import { bashRunsIt, describeActions, isHeld, isPlain, judge } from '../../../test/bash-proof.js';
import { BASH_BUILTINS } from './catalog/builtins.js';
import { HANDLERS } from './catalog/index.js';

/** Builtins that run code from their arguments: real bash runs `{RUN}`, and the classifier holds it. */
const CODE_RUNNING: readonly {
  readonly template: string;
  readonly proof: boolean;
  readonly opaque?: true;
}[] = [
  { template: "trap '{RUN}' EXIT", proof: true },
  // After `shopt -s expand_aliases` the rest of the line is unknown as a whole.
  { template: "shopt -s expand_aliases\nalias ls='{RUN}'\nls", proof: true, opaque: true },
  { template: "alias ls='{RUN}'", proof: false },
  { template: "mapfile -C '{RUN}' -c 1 <<< line", proof: true },
  { template: "readarray -C '{RUN}' -c 1 <<< line", proof: true },
  { template: "compgen -C '{RUN}' x", proof: true },
  { template: "compgen -W '$({RUN})' x", proof: true },
  { template: "complete -C '{RUN}' x", proof: false },
  { template: 'command_not_found_handle() { {RUN}; }; no-such-command-here', proof: true },
  { template: "builtin eval '{RUN}'", proof: true },
  { template: 'coproc {RUN}; wait', proof: true },
];

describe('builtins that run code from their arguments', () => {
  it.each(CODE_RUNNING)('holds `$template`', async ({ template, proof, opaque }) => {
    verifies('shell.judged-by-what-runs');
    if (proof) expect(bashRunsIt(template), 'real bash runs the code').toBe(true);
    const actions = await judge(template);
    expect(isHeld(actions), describeActions(actions)).toBe(true);
    // The code itself was judged: the `rm` it runs is there, not only a vague unknown.
    if (opaque === undefined)
      expect(
        actions.some((action) => action.operation === 'rm'),
        describeActions(actions),
      ).toBe(true);
  });

  it('makes a later command of the name `hash -p` rebinds unknown, as real bash runs the other program', async () => {
    expect(bashRunsIt('hash -p /usr/bin/touch ls; ls {MARKER}')).toBe(true);
    const actions = await judge('hash -p /bin/rm ls; ls -rf ~');
    expect(actions.find((action) => action.operation.startsWith('hash -p'))?.effect).toBe(
      'unknown',
    );
  });

  it.each([
    'enable -f ./evil.so evil',
    'enable -n echo',
    'fc -s',
    'bind -x \'"\\C-x": {RUN}\'',
    'hash -p ./bin/tool ls',
  ])('answers unknown for `%s`', async (command) => {
    const actions = await judge(command);
    expect(
      actions.some((action) => action.effect === 'unknown'),
      describeActions(actions),
    ).toBe(true);
  });

  it('makes the rest of the line unknown after an option that changes how bash reads it', async () => {
    for (const command of [
      'shopt -s extglob; ls',
      'shopt -s expand_aliases; alias x=ls; x',
      'set -o posix; ls',
      'set -f; rm *.tmp',
    ]) {
      const actions = await judge(command);
      expect(
        actions.some(
          (action) =>
            action.effect === 'unknown' && action.operation.includes('changes how bash reads'),
        ),
        `${command}: ${describeActions(actions)}`,
      ).toBe(true);
    }
    for (const command of [
      'set -euo pipefail; ls',
      'set -x; ls',
      'shopt -s histappend; ls',
      'set -- a b; ls',
    ]) {
      const actions = await judge(command);
      expect(isPlain(actions), `${command}: ${describeActions(actions)}`).toBe(true);
    }
  });

  it('keeps builtins that only look or set shell state reads', async () => {
    const command =
      "pwd; echo hi; printf '%s\\n' x; true; false; :; type ls; help cd; jobs; times; caller; dirs; umask; ulimit -n; trap -p; trap - EXIT; fc -l; alias; alias ll='ls -la'; hash; hash -r; enable; shopt -s histappend; history";
    const actions = await judge(command);
    expect(
      actions.every((action) => action.effect === 'read'),
      describeActions(actions),
    ).toBe(true);
  });

  it('lets trap and other code runners call functions defined earlier on the line, judged where defined', async () => {
    const actions = await judge('cleanup() { rm -rf /tmp/build.x; }; trap cleanup EXIT');
    expect(isPlain(actions), describeActions(actions)).toBe(true);
    expect(isHeld(await judge('cleanup() { rm -rf ~; }; trap cleanup EXIT'))).toBe(true);
  });

  it('judges `exec` with only redirections by its redirections', async () => {
    expect(
      (await judge('exec 3>out.txt')).map((action) => [action.effect, action.operation]),
    ).toContainEqual(['write', 'redirect >']);
    expect(isPlain(await judge('exec < input.txt'))).toBe(true);
  });

  it('keeps following `cd`, `pushd` and `popd`', async () => {
    const actions = await judge('cd /tmp/work && rm -f x');
    expect(actions.flatMap((action) => action.targets.map((target) => target.id))).toContain(
      '/tmp/work/x',
    );
  });

  it('has a handler for every builtin real bash has, and for `[[`', () => {
    const result = spawnSync('bash', ['--norc', '-c', 'compgen -b'], { encoding: 'utf8' });
    const names = result.stdout.split('\n').filter(Boolean);
    expect(names.length).toBeGreaterThan(50);
    for (const name of [...names, '[[']) {
      expect(HANDLERS.has(name), name).toBe(true);
      expect(BASH_BUILTINS.has(name), name).toBe(true);
    }
  });
});
