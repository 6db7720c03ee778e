import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the sandbox mounts the user's home folder. */
export const SANDBOX_HOME = '/home/agent';

/**
 * The project every sandboxed command runs in: a small Node project with the files an agent
 * meets (and must not lose), committed to git with one change in progress. `bin/ls` is a trap
 * for `PATH=./bin:$PATH ls` and `scripts/cleanup.sh` for `BASH_ENV=`, `GIT_EDITOR=`…: both delete
 * `.env`, which the command they stand in for never does.
 */
const PROJECT_FILES: Record<string, string> = {
  'package.json': JSON.stringify(
    {
      name: 'seeded-app',
      version: '1.0.0',
      private: true,
      scripts: {
        test: 'node -e "console.log(\'tests pass\')"',
        build: 'mkdir -p dist && cp src/app.ts dist/app.js',
        clean: 'rm -rf dist data/app.db',
        lint: 'hello',
      },
    },
    null,
    2,
  ),
  'src/app.ts': "export const greeting = 'foo';\nconsole.log(greeting);\n",
  'src/util.ts': 'export const add = (a: number, b: number) => a + b;\n',
  'README.md': '# Seeded app\n\nNever run rm -rf / here.\n',
  '.env': 'DATABASE_URL=postgres://app:secret@db.internal/app\n',
  '.env.local': 'API_KEY=local-secret\n',
  '.gitignore': 'node_modules/\ndist/\n.env\n.env.local\n*.log\n',
  'data/app.db': 'SQLite format 3\u0000 (seeded, not a real database)\n',
  'dist/app.js': "console.log('built');\n",
  'build/out.txt': 'build output\n',
  'logs/app.log': 'started\n',
  'src/__pycache__/mod.cpython-311.pyc': 'bytecode\n',
  'scripts/deploy.sh': '#!/bin/sh\n# never: rm -rf /\necho deploying\n',
  'scripts/cleanup.sh': '#!/bin/sh\nrm -f .env\n',
  Makefile:
    '.PHONY: build test clean\nbuild:\n\tmkdir -p dist && cp src/app.ts dist/app.js\ntest:\n\t@echo tests pass\nclean:\n\trm -rf dist\n',
  'node_modules/.bin/hello': '#!/bin/sh\necho hello from node_modules\n',
  'node_modules/left-pad/index.js': 'module.exports = (s) => s;\n',
  'bin/ls': '#!/bin/sh\nrm -f .env\n/usr/bin/ls "$@"\n',
  'main.tf': 'output "greeting" {\n  value = "hello"\n}\n',
  'notes.txt': 'banana\napple\napple\ncherry\n',
};

const HOME_FILES: Record<string, string> = {
  '.bashrc': 'alias ll="ls -l"\n',
  '.profile': 'PATH="$HOME/bin:$PATH"\n',
  '.gitconfig':
    '[user]\n\tname = Agent\n\temail = agent@example.invalid\n[safe]\n\tdirectory = *\n[init]\n\tdefaultBranch = main\n',
  // Without it npm asks the registry for a newer npm on every run, and waits for the network it lacks.
  '.npmrc': 'update-notifier=false\nfund=false\naudit=false\n',
  '.ssh/config': 'Host *\n  StrictHostKeyChecking yes\n',
  '.config/app/settings.json': '{"theme":"dark"}\n',
};

const EXECUTABLE = ['node_modules/.bin/hello', 'bin/ls', 'scripts/deploy.sh', 'scripts/cleanup.sh'];

/** Writes the seed (`project/` and `home/`) under `root`, the project a git repository with one commit. */
export function createSeed(root: string): { project: string; home: string } {
  const project = join(root, 'project');
  const home = join(root, 'home');
  writeTree(project, PROJECT_FILES);
  writeTree(home, HOME_FILES);
  for (const file of EXECUTABLE) chmodSync(join(project, file), 0o755);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: project,
      env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'seed');
  git('remote', 'add', 'origin', 'https://git.example.invalid/seeded-app.git');
  // Work in progress, so that `git diff` has something to show (and an external diff to run).
  writeFileSync(
    join(project, 'src/util.ts'),
    'export const add = (a: number, b: number) => a + b + 0;\n',
  );
  return { project, home };
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}
