import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { classifyShellCommand } from './index.js';

/** Known-destructive commands, as argument vectors. */
const DESTRUCTIVE: readonly (readonly string[])[] = [
  ['rm', '-rf', '/srv/data'],
  ['rm', '-r', '-f', '/repo'],
  ['git', 'push', '--force', 'origin', 'main'],
  ['git', 'push', 'origin', '+main'],
  ['git', 'reset', '--hard', 'HEAD~3'],
  ['git', 'clean', '-fdx'],
  ['terraform', 'destroy', '-auto-approve'],
  ['kubectl', 'delete', 'namespace', 'production'],
  ['dd', 'if=/dev/zero', 'of=/dev/sda'],
  ['redis-cli', 'FLUSHALL'],
  ['railway', 'volume', 'delete', '--volume', 'pgdata'],
  ['shred', '-u', '/srv/data/prod.db'],
  ['find', '/srv/data', '-delete'],
  ['docker', 'volume', 'prune', '-f'],
  // Read tools whose options or operands write, and globs that name precious files (issue 15).
  ['sort', '-o', '/etc/passwd', 'src/app.ts'],
  ['sort', '--output=/srv/data/prod.db', 'x'],
  ['uniq', 'src/app.ts', '/etc/hosts'],
  ['tar', '-xf', '/tmp/a.tar', '-C', '/etc'],
  ['rm', '-f', '.env*'],
  ['rm', 'data/app.d[b]'],
];

const hex = (text: string): string =>
  `$'${[...text].map((ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}'`;
const single = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** Ways to spell one word that bash reads as the same word. */
const spell = (word: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    word,
    single(word),
    `"${word}"`,
    [...word].map((ch) => `\\${ch}`).join(''),
    hex(word),
    word.length > 1 ? `${word[0]}''${word.slice(1)}` : word,
    word.length > 1 ? `${word.slice(0, 1)}""${word.slice(1)}` : word,
  );

const prefix = fc.constantFrom(
  '',
  'sudo ',
  'env ',
  'command ',
  'nice -n 5 ',
  'timeout 10 ',
  'nohup ',
  'FOO=1 ',
  'env A=b ',
  'sudo -u root ',
  'time ',
  'exec ',
);
const folder = fc.constantFrom('', '/bin/', '/usr/bin/', '/usr/local/bin/');
const wrap = fc.constantFrom<(code: string) => string>(
  (code) => code,
  (code) => `bash -c ${single(code)}`,
  (code) => `sh -c ${single(code)}`,
  (code) => `eval ${single(code)}`,
  (code) => `echo ok && ${code}`,
  (code) => `true; ${code}`,
  (code) => `(${code})`,
  (code) => `{ ${code}; }`,
  (code) => `echo $(${code})`,
  (code) => `f() { ${code}; }; f`,
  (code) => `bash <<'EOF'\n${code}\nEOF`,
  (code) => `if true; then ${code}; fi`,
);

const spelled = fc
  .tuple(fc.constantFrom(...DESTRUCTIVE), prefix, folder, wrap)
  .chain(([argv, before, dir, around]) =>
    fc
      .tuple(...argv.map(spell))
      .map((words) => around(`${before}${words[0] === argv[0] ? dir : ''}${words.join(' ')}`)),
  );

describe('random spellings of destructive commands', () => {
  it('are never allowed', async () => {
    verifies('shell.random-spellings-never-allowed');
    await fc.assert(
      fc.asyncProperty(spelled, async (command) => {
        const actions = await classifyShellCommand(command, '/repo', 'shell');
        const blocked = actions.some(
          (action) => action.effect === 'destructive' || action.effect === 'unknown',
        );
        expect(
          blocked,
          `${command} → ${JSON.stringify(actions.map((action) => [action.operation, action.effect]))}`,
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
