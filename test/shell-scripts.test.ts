import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifies } from './requirements.js';
import type { Action, Effect } from '../src/core/index.js';
import type { FileReader } from '../src/classify/index.js';
import { classifyShellCommand } from '../src/classify/index.js';
import { budgetedReader } from '../src/classify/shell/catalog/read-budget.js';
import { nodeFileReader } from '../src/platform/shell-file-reader.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';

// Issue 15 part 2: what will run is read from real files in a temporary project and judged.

/** A temporary project holding `files` (path → text; a `*` suffix on the path makes it executable). */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'airlock-scripts-'));
  for (const [name, text] of Object.entries(files)) {
    const path = join(root, name.replace(/\*$/, ''));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    if (name.endsWith('*')) chmodSync(path, 0o755);
  }
  return root;
}

function packageJson(scripts: Record<string, string>): string {
  return JSON.stringify({ name: 'demo', version: '1.0.0', scripts });
}

/** Classifies with the real reader, another reader, or (`null`) none. */
async function judge(
  command: string,
  cwd: string,
  files: FileReader | null = nodeFileReader(),
): Promise<Action[]> {
  return classifyShellCommand(command, cwd, 'shell', files === null ? {} : { files });
}

/** The worst effect of a command line, the way policy sees it (unknown and destructive are held). */
async function worst(command: string, cwd: string, files?: FileReader | null): Promise<Effect> {
  const order: Effect[] = ['read', 'write', 'execute', 'destructive', 'unknown'];
  const actions = await judge(command, cwd, files);
  return actions
    .map((action) => action.effect)
    .reduce((a, b) => (order.indexOf(a) >= order.indexOf(b) ? a : b), 'read');
}

function effects(actions: readonly Action[]): string[] {
  return actions.map((action) => `${action.effect} ${action.operation}`);
}

describe('package.json scripts', () => {
  const root = project({
    'package.json': packageJson({
      clean: 'rm -rf ~/data',
      test: 'vitest run',
      pretest: 'echo before',
      posttest: 'rm -rf /srv/backups',
      build: 'tsc -p . && gen-docs',
      start: 'node server.js',
      'clean:dist': 'rm -rf',
      postinstall: 'rm -rf ~/.ssh',
    }),
    'node_modules/.bin/gen-docs*': '#!/usr/bin/env node\nconsole.log(1)\n',
    'src/index.ts': 'export {};\n',
  });

  it('judges the script text: `npm run clean` whose script is `rm -rf ~/data` is destructive', async () => {
    verifies('shell.looks-inside-scripts');
    const actions = await judge('npm run clean', root);
    expect(effects(actions)).toContainEqual('destructive rm');
    expect(
      actions.find((action) => action.effect === 'destructive')?.targets.map((target) => target.id),
    ).toEqual(['~/data']);
    expect(await worst('npm run-script clean', root)).toBe('destructive');
    expect(await worst('yarn clean', root)).toBe('destructive');
    expect(await worst('yarn run clean', root)).toBe('destructive');
    expect(await worst('pnpm clean', root)).toBe('destructive');
    expect(await worst('bun run clean', root)).toBe('destructive');
  });

  it('judges pre and post scripts with the script: npm test runs pretest, test and posttest', async () => {
    const actions = await judge('npm test', root);
    expect(effects(actions)).toContainEqual('read echo');
    expect(
      actions.some(
        (action) =>
          action.effect === 'destructive' &&
          action.targets.some((target) => target.id === '/srv/backups'),
      ),
    ).toBe(true);
    expect(await worst('npm t --ignore-scripts', root)).not.toBe('destructive');
  });

  it('finds package.json in a folder above, and judges the script there', async () => {
    const actions = await judge('npm run clean', join(root, 'src'));
    expect(actions.some((action) => action.effect === 'destructive')).toBe(true);
    expect(
      actions.find((action) => action.effect === 'destructive')?.targets.map((target) => target.id),
    ).toEqual(['~/data']);
    // The script runs in the package's folder: its relative paths land there, not in src/.
    expect(
      (await judge('npm run build', join(root, 'src')))
        .find((action) => action.operation.startsWith('gen-docs'))
        ?.targets.map((target) => target.id),
    ).toEqual([`${root}/node_modules/.bin/gen-docs`]);
  });

  it('appends the arguments npm passes to the script: `npm run clean:dist -- ~` removes the home folder', async () => {
    expect(await worst('npm run clean:dist -- ~', root)).toBe('destructive');
  });

  it('a command of the package node_modules/.bin is a package program (execute), not an unknown command', async () => {
    const actions = await judge('npm run build', root);
    expect(actions.find((action) => action.operation.startsWith('gen-docs'))).toMatchObject({
      effect: 'execute',
      targets: [{ id: `${root}/node_modules/.bin/gen-docs` }],
    });
    expect(actions.some((action) => action.effect === 'unknown')).toBe(false);
  });

  it('a missing script or no package.json up to / runs nothing: a read that says why', async () => {
    expect(effects(await judge('npm run nope', root))).toEqual([
      `read npm run nope (no such script in ${root}/package.json: npm fails and runs nothing)`,
    ]);
    const empty = mkdtempSync(join(tmpdir(), 'airlock-no-package-'));
    expect(effects(await judge('npm test', empty))).toEqual([
      'read npm run test (no package.json up to /: npm fails and runs nothing)',
    ]);
  });

  it('a folder the reader cannot see is not taken to run nothing: npm test is execute, other scripts unknown', async () => {
    // The corpus' npm test runs in /repo, which does not exist here, as the agent's /tmp/project
    // does not for a server with a private /tmp: allowed as a program Airlock cannot see into.
    expect(effects(await judge('npm test', '/repo'))).toEqual([
      'execute npm run test (the folder /repo is not visible to Airlock: runs whatever its script says)',
    ]);
    expect(await worst('npm start', '/repo')).toBe('execute');
    expect(await worst('npm run clean', '/repo')).toBe('unknown');
    expect(await worst('bash /repo/x.sh', '/repo')).toBe('unknown');
    expect(await worst('./x.sh', '/repo')).toBe('unknown');
    expect(await worst('make', '/repo')).toBe('unknown');
  });

  it('installs run lifecycle scripts: execute at least, worse when the project postinstall is worse', async () => {
    expect(await worst('npm ci', root)).toBe('destructive');
    expect(await worst('npm install', root)).toBe('destructive');
    expect(await worst('yarn', root)).toBe('destructive');
    expect(await worst('pnpm install', root)).toBe('destructive');
    const plain = project({ 'package.json': packageJson({ test: 'vitest run' }) });
    expect(effects(await judge('npm ci', plain))).toEqual([
      `execute npm ci (runs the dependencies' lifecycle scripts, which Airlock cannot see)`,
    ]);
    expect(await worst('npm ci --ignore-scripts', plain)).toBe('write');
  });

  it('npx -c and npm exec -c judge their text as shell; npx X runs a package program', async () => {
    expect(await worst(`npx -c 'rm -rf /srv/data'`, root)).toBe('destructive');
    expect(await worst(`npm exec -c 'rm -rf /srv/data'`, root)).toBe('destructive');
    expect(await worst(`npm exec --call='rm -rf /srv/data'`, root)).toBe('destructive');
    expect(await worst('npx rm -rf /srv/data', root)).toBe('destructive');
    expect(effects(await judge('npx create-vite@latest app', root))).toEqual([
      "execute npx create-vite (a package's program)",
    ]);
    expect(await worst('pnpm dlx cowsay hi', root)).toBe('execute');
    expect(await worst('bunx cowsay hi', root)).toBe('execute');
  });

  it('options that move scripts elsewhere or change their shell are unknown', async () => {
    for (const command of [
      'npm --prefix /elsewhere run clean',
      'npm run test --workspace=api',
      'npm -w api test',
      'npm test --script-shell=/tmp/x',
      'pnpm -r test',
      'yarn workspace api test',
    ]) {
      expect(await worst(command, root), command).toBe('unknown');
    }
    const npmrc = project({
      'package.json': packageJson({ test: 'vitest run' }),
      '.npmrc': 'script-shell=./evil\n',
    });
    expect(await worst('npm test', npmrc)).toBe('unknown');
  });

  it('a package.json written earlier in the same line is not judged by its text on disk', async () => {
    expect(
      await worst(`echo '{"scripts":{"test":"rm -rf ~"}}' > package.json && npm test`, root),
    ).toBe('unknown');
  });

  it('without a file reader nothing is looked into: npm run is unknown', async () => {
    expect(await worst('npm run clean', root, null)).toBe('unknown');
    expect(await worst('npm test', root, null)).toBe('unknown');
    expect(await worst('bash danger.sh', root, null)).toBe('unknown');
    expect(await worst('make', root, null)).toBe('unknown');
  });
});

describe('script runners in package scripts', () => {
  const root = project({
    'package.json': packageJson({
      clean: 'rm -rf ~/data',
      build: 'tsc -p .',
      all: 'run-s build clean',
      par: 'run-p build',
      both: 'concurrently "npm:build" "tsc -w"',
      wild: 'run-s build:*',
      sneaky: 'concurrently "rm -rf /srv/data"',
    }),
  });

  it('run-s, run-p and concurrently run the scripts and commands they name: judged, not hidden as a package program', async () => {
    expect(await worst('npm run all', root)).toBe('destructive');
    expect(await worst('npm run par', root)).toBe('write');
    expect(await worst('npm run both', root)).toBe('write');
    expect(await worst('npm run sneaky', root)).toBe('destructive');
    expect(await worst('npm run wild', root)).toBe('unknown');
  });
});

describe('script files', () => {
  const root = project({
    'danger.sh*': '#!/bin/bash\nrm -rf /srv/data\n',
    'plain*': 'ls -la\n',
    'envbash*': '#!/usr/bin/env bash\necho hi > out.txt\n',
    'tool.py*': '#!/usr/bin/env python3\nimport shutil\n',
    'weird*': '#!/usr/bin/awk -f\n{ print }\n',
  });
  writeFileSync(join(root, 'a.out'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]));
  chmodSync(join(root, 'a.out'), 0o755);

  it('bash FILE, sh FILE, source FILE and . FILE judge the file text', async () => {
    for (const command of [
      'bash danger.sh',
      'sh ./danger.sh',
      'source danger.sh',
      '. ./danger.sh',
      'bash -e danger.sh',
    ]) {
      expect(await worst(command, root), command).toBe('destructive');
    }
    expect(effects(await judge('bash plain', root))).toEqual(['read ls']);
  });

  it('./file follows its #! line: shells are judged, no #! is run by bash, other languages and compiled programs are execute', async () => {
    expect(await worst('./danger.sh', root)).toBe('destructive');
    expect(effects(await judge('./plain', root))).toEqual(['read ls']);
    expect(await worst('./envbash', root)).toBe('write');
    expect(effects(await judge('./tool.py', root))).toEqual([
      'execute project executable (a python3 program)',
    ]);
    expect(effects(await judge('./a.out', root))).toEqual([
      'execute project executable (compiled program (ELF))',
    ]);
    expect(await worst('./weird', root)).toBe('unknown');
  });

  it('a script written earlier in the same line is unknown; written in one call and run in the next, it is judged', async () => {
    verifies('shell.looks-inside-scripts');
    expect(await worst(`printf 'rm -rf ~' > x.sh && bash x.sh`, root)).toBe('unknown');
    expect(await worst(`echo 'rm -rf ~' > run.sh; ./run.sh`, root)).toBe('unknown');
    // Two calls: the first writes (allowed as a write), the second is judged by what is now on disk.
    expect(await worst('cat > two.sh <<EOF\nrm -rf /\nEOF', root)).toBe('write');
    writeFileSync(join(root, 'two.sh'), 'rm -rf /\n');
    expect(await worst('bash two.sh', root)).toBe('destructive');
  });

  it('a missing file runs nothing when named with a slash; without one bash would search PATH: unknown', async () => {
    expect(effects(await judge('bash ./missing.sh', root))).toEqual([
      `read bash script (no such file: runs nothing)`,
    ]);
    expect(await worst('bash missing.sh', root)).toBe('unknown');
    expect(effects(await judge('./missing', root))).toEqual([
      'read project executable (no such file: runs nothing)',
    ]);
  });

  it('interpreters running script files are execute; inline code stays unknown; manage.py flush stays destructive', async () => {
    expect(effects(await judge('node app.js', root))).toEqual([
      `execute node script (a program Airlock does not look into)`,
    ]);
    expect(await worst('python manage.py runserver', root)).toBe('execute');
    expect(await worst('python3 script.py --fast', root)).toBe('execute');
    expect(await worst('ruby x.rb', root)).toBe('execute');
    expect(await worst('python -m http.server', root)).toBe('execute');
    expect(await worst(`python -c 'import os'`, root)).toBe('unknown');
    expect(await worst(`node -e 'process.exit(0)'`, root)).toBe('unknown');
    expect(await worst('python manage.py flush', root)).toBe('destructive');
    expect(await worst('deno task build', root)).toBe('unknown');
    expect(await worst('deno run main.ts', root)).toBe('execute');
  });
});

describe('Makefiles', () => {
  const makefile = [
    'OUT := dist',
    'RM = rm -rf',
    'DATA = $(HOME)/data',
    '.PHONY: build clean test gen wipe',
    '',
    'build: gen',
    '\t@echo building $(OUT)',
    '\t-mkdir -p $(OUT)',
    'gen:',
    '\ttouch generated.txt',
    'clean:',
    '\t$(RM) $(OUT)',
    'wipe: clean',
    '\t$(RM) $(DATA)',
    'test:',
    '\tnpm test',
    'dynamic:',
    '\tcp $(wildcard *.txt) out/',
  ].join('\n');
  const root = project({
    Makefile: makefile,
    'package.json': packageJson({ test: 'rm -rf /srv/data' }),
    'sub/GNUmakefile': 'all:\n\trm -rf /etc\n',
  });

  it('judges the recipe lines of the goal and its prerequisites, with variables expanded', async () => {
    expect(await worst('make', root)).toBe('write');
    expect(effects(await judge('make build', root))).toEqual([
      'write touch',
      'read echo',
      'write mkdir',
    ]);
    const wipe = await judge('make wipe', root);
    expect(
      wipe.find((action) => action.targets.some((target) => target.id === '~/data'))?.effect,
    ).toBe('destructive');
  });

  it('follows recipes into package scripts: make test runs npm test', async () => {
    expect(await worst('make test', root)).toBe('destructive');
  });

  it('-C DIR and -f FILE pick the Makefile make would read', async () => {
    expect(await worst('make -C sub', root)).toBe('destructive');
    expect(await worst('make -f sub/GNUmakefile all', root)).toBe('destructive');
    expect(effects(await judge('make -f nope.mk', root))).toEqual([
      `read make -f ${root}/nope.mk (no such file: make fails and runs nothing)`,
    ]);
  });

  it('a dry run is a read; functions, includes, --eval and -e are unknown', async () => {
    expect(await worst('make -n wipe', root)).toBe('read');
    expect(await worst('make --dry-run', root)).toBe('read');
    expect(await worst('make dynamic', root)).toBe('unknown');
    expect(await worst(`make --eval='x: ; rm -rf ~' x`, root)).toBe('unknown');
    expect(await worst('make -e clean', root)).toBe('unknown');
    const shell = project({ Makefile: 'X := $(shell rm -rf ~)\nall:\n\techo hi\n' });
    expect(await worst('make', shell)).toBe('unknown');
    expect(await worst('make -n', shell)).toBe('unknown');
    const included = project({ Makefile: 'include rules.mk\nall:\n\techo hi\n' });
    expect(await worst('make', included)).toBe('unknown');
    const pattern = project({ Makefile: '%.o: %.c\n\tcc -c $< -o $@\nall: main.o\n' });
    expect(await worst('make all', pattern)).toBe('unknown');
  });

  it('command-line variables override the file', async () => {
    expect(await worst('make clean OUT=/srv', root)).toBe('destructive');
    expect(await worst('make clean OUT=build', root)).toBe('write');
  });

  it('a Makefile written earlier in the line is unknown; no Makefile with no goal runs nothing', async () => {
    expect(await worst(`printf 'all:\\n\\trm -rf ~\\n' > Makefile && make`, root)).toBe('unknown');
    const empty = mkdtempSync(join(tmpdir(), 'airlock-no-makefile-'));
    expect(effects(await judge('make', empty))).toEqual([
      'read make (no Makefile: make fails and runs nothing)',
    ]);
  });
});

describe('bounds', () => {
  // The classifier applies the budget itself (classify.ts): the reader handed over here has none.
  // Without it, fan-out 3 walked for minutes; the test's own timeout is the bound, not a timing assertion.
  it('a project whose scripts call each other in a fan-out is cut off by the read budget', async () => {
    const scripts: Record<string, string> = {};
    for (let level = 0; level < 20; level++)
      scripts[`s${level}`] =
        `npm run s${level + 1} && npm run s${level + 1} && npm run s${level + 1}`;
    scripts.s20 = 'echo done';
    const root = project({ 'package.json': packageJson(scripts) });
    const actions = await judge('npm run s0', root, nodeFileReader());
    expect(
      actions.some(
        (action) => action.effect === 'unknown' && action.operation.includes('read budget spent'),
      ),
    ).toBe(true);
  }, 60_000);

  it('counts bytes too: past the budget nothing more is looked into', async () => {
    const root = project({
      'package.json': packageJson({ test: 'vitest run', pad: 'x'.repeat(200_000) }),
    });
    const reader = budgetedReader(nodeFileReader(), 64, 300_000);
    expect(await worst('npm test', root, reader)).not.toBe('unknown');
    expect(await worst('npm test', root, reader)).toBe('unknown');
  });

  it('a script larger than the reader bound is unknown', async () => {
    const root = project({ 'big.sh': `# ${'x'.repeat(300 * 1024)}\nls\n` });
    expect(effects(await judge('bash big.sh', root))[0]).toMatch(
      /^unknown bash script \(cannot read the file: larger than 262144 bytes\)/,
    );
  });
});

describe('airlock check with the shipped policy', () => {
  it('holds npm run clean whose script deletes data, allows npm test whose script runs vitest', () => {
    const root = project({
      'package.json': packageJson({ clean: 'rm -rf ~/data', test: 'vitest run' }),
      Makefile: 'build:\n\tmkdir -p dist\n',
    });
    const input = ['npm run clean', 'npm test', 'make build', 'git status']
      .map((command, index) =>
        JSON.stringify({ id: `c${index}`, surface: 'shell', input: { command, cwd: root } }),
      )
      .join('\n');
    const run = runCli(['check'], { home: freshHome(), input });
    const verdicts = (jsonLines(run.stdout) as { id: string; verdict: string }[]).map((verdict) => [
      verdict.id,
      verdict.verdict,
    ]);
    expect(verdicts).toEqual([
      ['c0', 'hold'],
      ['c1', 'allow'],
      ['c2', 'allow'],
      ['c3', 'allow'],
    ]);
  });
});
