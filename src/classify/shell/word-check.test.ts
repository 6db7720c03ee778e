import { describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import type { Script, Word } from './ast.js';
import { classifyShellCommand } from './index.js';
import { parseShell } from './parser.js';
import { wordDisagreement } from './word-check.js';

/** Spellings both parsers must read word for word alike (quoting, escapes, expansions, nesting). */
const AGREED = [
  'ls -la',
  'echo {a,b} *.txt ~/x',
  `git commit -m 'fix: a "b"'`,
  'cat <<EOF\n$(rm -rf /)\nEOF',
  "cat <<'EOF'\n$(x)\nEOF",
  'a=1 b=$(date) env FOO=bar rm -rf "$X"',
  'export PATH=$(pwd):$PATH',
  'for f in *; do rm "$f"; done',
  'f() { rm -rf /; }; f',
  '[[ -f x ]] && echo "a\\$b"',
  "echo $'a\\nb'",
  'x=$((1+$(id -u)))',
  'diff <(ls a) <(ls b)',
  'echo a\\ b \\\n c',
  'case $x in a) rm y;; esac',
  'time -p ls',
  'echo "${HOME}/x" ${#x} ${x:-$(rm z)}',
  'echo `ls`',
  'r""m -r\'f\' /',
];

/** Our tree with one word of one command replaced: what a parser bug would look like. */
function withWord(script: Script, replacement: Word): Script {
  const [pipeline] = script.pipelines;
  const [command] = pipeline?.commands ?? [];
  if (command?.kind !== 'simple') throw new Error('expected a simple command');
  return {
    ...script,
    pipelines: [
      { ...pipeline!, commands: [{ ...command, words: [replacement, ...command.words.slice(1)] }] },
    ],
  };
}

describe('mvdan/sh word-by-word cross-check', () => {
  it('agrees on every simple command of varied spellings, and flags a tree whose words differ', async () => {
    verifies('shell.parsers-agree-word-by-word');
    for (const source of AGREED)
      expect(wordDisagreement(source, parseShell(source)), source).toBeUndefined();

    const script = parseShell('rm -rf /srv');
    // A command name read as another literal, or as a literal where bash expands: both refused.
    expect(
      wordDisagreement(
        'rm -rf /srv',
        withWord(script, { raw: 'echo', parts: [{ kind: 'lit', value: 'echo', quoted: false }] }),
      ),
    ).toMatch(/disagree on the words/);
    const dynamic = parseShell('$X -rf /srv').pipelines[0]?.commands[0];
    expect(
      wordDisagreement(
        '$X -rf /srv',
        withWord(
          parseShell('rm -rf /srv'),
          (dynamic as unknown as { words: Word[] }).words[0] as Word,
        ),
      ),
    ).toBeUndefined();
    expect(wordDisagreement('$X -rf /srv', script)).toMatch(/disagree on the words/);
    // One command more or less than bash would run.
    expect(wordDisagreement('rm -rf /srv; ls', script)).toMatch(/how many commands/);
  });

  it('makes the classifier answer unknown where the parsers disagree (our parser reads legacy `$[…]` arithmetic as text)', async () => {
    const [action] = await classifyShellCommand('echo $[1+2]', '/repo', 'shell');
    expect(action?.effect).toBe('unknown');
    expect(action?.operation).toMatch(/disagree/);
  });

  it('agrees on `declare NAME=(…)` arrays, whose elements may run substitutions', async () => {
    for (const source of [
      'declare -a y=(1 2)',
      'local -a files=($(ls) "$@")',
      'declare -A m=([a]=1 [b]=$(date))',
    ]) {
      expect(wordDisagreement(source, parseShell(source)), source).toBeUndefined();
    }
    const actions = await classifyShellCommand('declare -a y=(1 $(rm -rf ~))', '/repo', 'shell');
    expect(actions.map((action) => action.effect)).toContain('destructive');
  });
});
