import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { credentialFixtures } from '../../test/credential-fixtures.js';
import type { Action } from '../core/index.js';
import { classifyFileTool, shellClassifier } from '../classify/index.js';
import { nodeFileReader } from '../platform/index.js';
import { withCredentialChecks } from './hook-credential-check.js';

// The hooks' credential check (issue 24 part 3) on the real shell classifier and real files: every
// way we know of to read a credential file, and ordinary commands that must pass untouched.

const { plants, nearMisses } = credentialFixtures();
const stripe = plants.find((plant) => plant.rule === 'stripe-secret-live');
const aws = plants.find((plant) => plant.rule === 'aws-temporary-key-id');
let project = '';
let home = '';
let check: ReturnType<typeof checked>;

function checked(userHome: string) {
  const context = { files: nodeFileReader() };
  const shell = shellClassifier(context);
  return withCredentialChecks(
    {
      classifyShell: async (command: string, cwd: string) => shell({ command, cwd }),
      classifyFile: async (call: Parameters<typeof classifyFileTool>[0]) =>
        classifyFileTool(call, 'shell', context),
    },
    userHome,
  );
}

/** The held actions the check added, as `operation-prefix path:line rule`. */
function held(actions: readonly Action[]): string[] {
  return actions
    .filter((action) => action.targets.some((target) => target.attrs?.['credential'] !== undefined))
    .map((action) => {
      const target = action.targets[0];
      return `${target?.id.replace(project, '.').replace(home, '~')}:${String(target?.attrs?.['line'])} ${String(target?.attrs?.['credential'])} ${action.effect}`;
    });
}

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'h6-hook-'));
  project = join(root, 'project');
  home = join(root, 'home');
  mkdirSync(join(project, 'src'), { recursive: true });
  mkdirSync(join(home, '.aws'), { recursive: true });
  writeFileSync(join(project, '.env'), `# local\n${stripe?.text ?? ''}\n`);
  writeFileSync(join(project, '.env.example'), `${nearMisses[0]?.text ?? ''}\n`);
  writeFileSync(join(project, 'notes.txt'), 'nothing here\n');
  writeFileSync(join(project, 'src', 'app.ts'), 'export const x = 1;\n');
  writeFileSync(join(home, '.aws', 'credentials'), `[default]\n${aws?.text ?? ''}\n`);
  symlinkSync(join(project, '.env'), join(project, 'settings.txt'));
  copyFileSync(join(project, '.env'), join(project, 'backup.txt'));
  check = checked(home);
});

describe('the hooks hold a call that would read a provider credential', () => {
  const ENV = './.env:2 stripe-secret-live destructive';
  it.each([
    'cat .env',
    'cat ./.env',
    'cat src/../.env',
    'cat $PWD/.env',
    'cat "$PWD"/.env',
    'cat .e*',
    'cat .en[v]',
    'cat .{env,nothing}',
    'grep KEY .env',
    'less .env',
    'head -n 5 .env',
    'tail .env',
    'xxd .env',
    'base64 .env',
    'od -c .env',
    'strings .env',
    'cat < .env',
    'source .env',
    '. .env',
    'awk 1 .env',
    'sed -n p .env',
    'dd if=.env',
    'git show HEAD:.env',
    'cp .env /tmp/elsewhere',
    'ln -s .env innocent.txt',
    'cat "$(echo .env)"',
    'python3 -c "print(open(\'.env\').read())"',
    'grep -r sk_ .',
    'rg sk_',
    'tar cf - .',
    'find . -name .env -exec cat {} \\;',
    'echo ok && cat .env | head -1',
  ])('`%s`', async (command) => {
    expect(held(await check.classifyShell(command, project))).toContain(ENV);
  });

  it('reads contents, not names: a link and a copy of the file are held too, also through a glob', async () => {
    expect(held(await check.classifyShell('cat *', project))).toEqual([
      './backup.txt:2 stripe-secret-live destructive',
      './settings.txt:2 stripe-secret-live destructive',
    ]);
    expect(held(await check.classifyShell('cat settings.txt', project))).toEqual([
      './settings.txt:2 stripe-secret-live destructive',
    ]);
    expect(held(await check.classifyShell('cat backup.txt', project))).toEqual([
      './backup.txt:2 stripe-secret-live destructive',
    ]);
  });

  it('holds reads of the CLI logins in the home, in every spelling of it', async () => {
    for (const command of [
      'cat ~/.aws/credentials',
      'cat $HOME/.aws/credentials',
      `cat ${home}/.aws/credentials`,
    ]) {
      expect(held(await check.classifyShell(command, project))).toEqual([
        '~/.aws/credentials:2 aws-temporary-key-id destructive',
      ]);
    }
  });

  it('holds a file tool reading the file, and a search tool reading its folder', async () => {
    expect(
      held(
        await check.classifyFile({
          tool: 'Read',
          writes: [],
          reads: [join(project, '.env')],
          cwd: project,
        }),
      ),
    ).toEqual([ENV]);
    for (const tool of ['Grep', 'search_file_content', 'grep_search'])
      expect(
        held(await check.classifyFile({ tool, writes: [], reads: [project], cwd: project })),
      ).toContain(ENV);
    expect(
      held(await check.classifyFile({ tool: 'Read', writes: [], reads: [project], cwd: project })),
    ).toEqual([]);
  });

  it('never puts the secret in what it adds', async () => {
    const actions = await check.classifyShell('cat .env ~/.aws/credentials', project);
    expect(JSON.stringify(actions)).not.toContain(stripe?.secret);
    expect(JSON.stringify(actions)).not.toContain(aws?.secret);
    expect(actions.map((action) => action.operation)).toContainEqual(
      expect.stringMatching(
        /^cat would reveal a stripe secret key, live mode \(.*\.env:2, fingerprint [0-9a-f]{8}\): held/,
      ),
    );
  });

  it.each([
    'cat notes.txt',
    'ls -la',
    'ls',
    'git status',
    'echo hello',
    'cat .env.example',
    'grep -r export src',
    'cat src/*',
    'wc -l notes.txt src/app.ts',
    'echo x > .env',
    'cat *.txt.none',
  ])('leaves `%s` as it was', async (command) => {
    expect(held(await check.classifyShell(command, project))).toEqual([]);
  });
});
