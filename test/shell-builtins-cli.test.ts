import { describe, expect, it } from 'vitest';
import { freshHome, jsonLines, runCli } from './run-cli.js';

/** One spelling of each class issue 15 part 1 closes, through the real `airlock check`. */
const HELD = [
  ['trap', "trap 'rm -rf ~/work' EXIT"],
  ['alias', "alias ls='rm -rf ~/work'"],
  ['hash -p', 'hash -p /bin/rm ls; ls -rf ~/work'],
  ['mapfile -C', "mapfile -C 'rm -rf ~/work' -c 1 < list.txt"],
  ['compgen -C', "compgen -C 'rm -rf ~/work' x"],
  ['shopt', 'shopt -s extglob; ls'],
  ['test -v subscript', "test -v 'a[$(rm -rf ~/work)]'"],
  ['[[ -eq ]] subscript', "[[ 'a[$(rm -rf ~/work)]' -eq 1 ]]"],
  ['tainted arithmetic', "x='a[$(rm -rf ~/work)]'; (( x ))"],
  ['read subscript', "read 'a[$(rm -rf ~/work)]' < list.txt"],
  ['PATH prefix', 'PATH=./bin:$PATH ls'],
  ['BASH_ENV', 'BASH_ENV=./env.sh bash -c ls'],
  ['GIT_EXTERNAL_DIFF', 'GIT_EXTERNAL_DIFF=./diff.sh git diff'],
  ['env LD_PRELOAD', 'env LD_PRELOAD=./x.so ls'],
  ['export NODE_OPTIONS', "export NODE_OPTIONS='--require ./x.js'; node app.js"],
] as const;

const ALLOWED = [
  'set -euo pipefail; ls',
  'for i in 1 2 3; do echo $((i * 2)); done',
  'NODE_ENV=production CI=true ls',
  'GIT_PAGER=cat git log',
  'cat < README.md',
];

describe('airlock check on builtins, arithmetic and assignments', () => {
  it('never allows a spelling of the closed classes, and still allows their ordinary look-alikes', () => {
    const lines = [
      ...HELD.map(([id, command]) => ({ id, command })),
      ...ALLOWED.map((command) => ({ id: `allow: ${command}`, command })),
    ];
    const input = lines
      .map(({ id, command }) =>
        JSON.stringify({ id, surface: 'shell', input: { command, cwd: '/tmp/airlock-project' } }),
      )
      .join('\n');
    const run = runCli(['check'], { home: freshHome(), input: `${input}\n` });
    expect(run.status, run.stderr).toBe(0);
    const verdicts = jsonLines(run.stdout) as { id: string; verdict: string }[];
    expect(verdicts.map((verdict) => verdict.id)).toEqual(lines.map((line) => line.id));
    for (const verdict of verdicts) {
      if (verdict.id.startsWith('allow: ')) expect(verdict.verdict, verdict.id).toBe('allow');
      else expect(verdict.verdict, verdict.id).not.toBe('allow');
    }
  });
});
