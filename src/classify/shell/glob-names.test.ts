import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { classifyShellCommand } from './index.js';
import { expandBraces, globsIntersect, globTokens, targetTokens } from './glob-names.js';

/** Precious paths of a project, and the command that loses each. */
const PROTECTED = [
  '.env',
  '.env.local',
  'data/app.db',
  'data/app.sqlite',
  'certs/server.pem',
  'certs/server.key',
  'id_rsa',
  'terraform.tfstate',
  '.git',
];

/** Glob spellings of one name (its last segment), each of which bash expands to include it. */
function spellings(path: string): string[] {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  const at = name.length - 2; // a letter near the end: never the leading dot
  const ch = name[at] as string;
  const swap = (replacement: string): string =>
    `${dir}${name.slice(0, at)}${replacement}${name.slice(at + 1)}`;
  const dot = name.lastIndexOf('.');
  const spelled = [
    `${dir}${name.slice(0, 2)}*`,
    `${dir}${name.slice(0, name.length - 1)}*`,
    swap('?'),
    swap(`[${ch}]`),
    swap(`[${ch}${ch.toUpperCase()}]`),
    swap('[!_]'),
    swap('[[:alnum:]]'),
    swap(`[a-${ch === 'z' ? 'z' : 'z'}]`),
    `${dir}{${name},unrelated}`,
    `${dir}{unrelated,${name.slice(0, 2)}}${name.slice(2)}`,
    `${dir}${name.slice(0, 1)}*${name.slice(-1)}`,
    `${dir}${name.slice(0, -1)}[${name.slice(-1)}]`,
  ];
  // bash: `*` never matches a leading dot, so a dotfile's spellings start with a literal `.`.
  const any = name.startsWith('.') ? '.*' : '*';
  if (dot > 0)
    spelled.push(
      `${dir}${any}${name.slice(dot)}`,
      `${dir}${any}${name.slice(dot, -1)}?`,
      `${dir}${any}.[${name[dot + 1] as string}${(name[dot + 1] as string).toUpperCase()}]*`,
    );
  if (name.startsWith('.'))
    spelled.push(`${dir}.[${name[1] as string}]${name.slice(2)}`, `${dir}.?${name.slice(2)}`);
  return [...new Set(spelled)];
}

const project = mkdtempSync(join(tmpdir(), 'airlock-globs-'));
for (const path of PROTECTED) {
  if (path === '.git') mkdirSync(join(project, '.git'));
  else {
    mkdirSync(join(project, dirname(path)), { recursive: true });
    writeFileSync(join(project, path), 'x');
  }
}
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** What bash expands `word` to in the seeded project. */
function bashExpands(word: string): string[] {
  const out = execFileSync(
    'bash',
    [
      '-O',
      'nullglob',
      '-c',
      `cd "$1" && for w in ${word}; do printf '%s\\n' "$w"; done`,
      'bash',
      project,
    ],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter((line) => line !== '');
}

const CASES = PROTECTED.flatMap((path) => spellings(path).map((word) => ({ path, word })));
const held = async (command: string): Promise<{ held: boolean; detail: string }> => {
  const actions = await classifyShellCommand(command, '/repo', 'shell');
  return {
    held: actions.some((action) => action.effect === 'destructive' || action.effect === 'unknown'),
    detail: JSON.stringify(actions.map((action) => [action.operation, action.effect])),
  };
};
const removal = (path: string, word: string): string =>
  path === '.git' ? `rm -rf ${word}` : `rm -f ${word}`;

describe('globs judged against every name they could match', () => {
  it('generates at least 48 glob spellings of protected paths, each of which bash really expands to the protected path', () => {
    verifies('shell.globs-judged-by-matches');
    expect(CASES.length).toBeGreaterThanOrEqual(48);
    for (const { path, word } of CASES) expect(bashExpands(word), word).toContain(path);
  });

  it('holds every plain spelling of a protected path', async () => {
    for (const path of PROTECTED) {
      for (const word of [path, `./${path}`, `'${path}'`, `/repo/${path}`]) {
        const result = await held(removal(path, word));
        expect(result.held, `${removal(path, word)} → ${result.detail}`).toBe(true);
      }
    }
  });

  it.each(CASES.map(({ path, word }) => [removal(path, word), path] as const))(
    'holds %s (it matches %s)',
    async (command) => {
      const result = await held(command);
      expect(result.held, `${command} → ${result.detail}`).toBe(true);
    },
  );

  it.each([
    'rm -f .env*',
    'rm data/app.d[b]',
    'rm data/*.d?',
    'rm -f .e?v',
    'rm {.env,x}',
    'rm .[e]nv',
    'rm ./*',
    'rm *.[dD][bB]',
    'rm -f data/app.[[:alpha:]]b',
    'rm -f .env{,.local}',
    'rm -f data/{a..c}.db',
    'rm -f src/**/*.db',
    'rm -f [.]env',
    'rm -rf .g*',
  ])('holds the issue’s spelling %s', async (command) => {
    const result = await held(command);
    expect(result.held, `${command} → ${result.detail}`).toBe(true);
  });

  it.each([
    'rm -f *.log',
    'rm dist/*.js',
    'rm -rf node_modules/*',
    'rm -f build/*.o',
    'rm -rf dist/*',
    'rm -f src/*.test.ts',
    'rm -f *.env',
    'rm -f coverage/*.{json,html}',
  ])('still allows the benign glob %s', async (command) => {
    const result = await held(command);
    expect(result.held, `${command} → ${result.detail}`).toBe(false);
  });
});

describe('glob language intersection', () => {
  const could = (glob: string, target: string): boolean =>
    globsIntersect(globTokens(glob) ?? [], targetTokens(target));
  it('follows bash: `*` and `?` never match a leading dot, a literal dot or a bracket may', () => {
    expect(could('*.env', '.env')).toBe(false);
    expect(could('?env', '.env')).toBe(false);
    expect(could('.*', '.env')).toBe(true);
    expect(could('[.]env', '.env')).toBe(true);
    expect(could('*.log', '.env.*')).toBe(false);
    expect(could('*.js', '*.db')).toBe(false);
    expect(could('*.d?', '*.db')).toBe(true);
    expect(could('app.[!a-c]b', '*.db')).toBe(true);
    expect(could('app.[!d]b', '*.db')).toBe(false);
  });

  it('expands braces like bash and gives up (everything) beyond its cap', () => {
    expect(expandBraces('a{b,c{d,e}}f')).toEqual(['abf', 'acdf', 'acef']);
    expect(expandBraces('x{1..3}')).toEqual(['x1', 'x2', 'x3']);
    expect(expandBraces('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}')).toBeUndefined();
  });
});
