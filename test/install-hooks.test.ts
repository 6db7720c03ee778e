import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHookBundle } from '../src/cli/hook/hook-build.js';
import { verifies } from './requirements.js';
import { freshHome, runCli } from './run-cli.js';

const temp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));
const readJson = (path: string): Record<string, any> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

interface Report {
  scope: string;
  hooks: {
    client: string;
    scope: string;
    file: string;
    changed: boolean;
    command: string;
    failure: { mode: string };
    notes: string[];
  }[];
  removedFromProject: { client: string; file: string; events: string[] }[];
}

beforeAll(async () => {
  await buildHookBundle();
}, 120_000);

describe('airlock install-hooks', () => {
  it("writes each client's user settings (never the project's), merged with what is there, fail closed where the client can, and a second run adds nothing", () => {
    verifies('hook.installs-out-of-reach');
    verifies('hook.install-merges');
    const home = freshHome();
    const user = temp('airlock-user-');
    const dir = temp('airlock-project-');
    const env = { HOME: user, CODEX_HOME: '', CLAUDE_CONFIG_DIR: '', GEMINI_CLI_HOME: '' };
    mkdirSync(join(user, '.claude'));
    const claudeBefore = {
      permissions: { allow: ['Bash(ls)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'echo mine' }] }],
        PostToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'log' }] }],
      },
    };
    writeFileSync(join(user, '.claude', 'settings.json'), JSON.stringify(claudeBefore));
    mkdirSync(join(user, '.cursor'));
    writeFileSync(
      join(user, '.cursor', 'hooks.json'),
      JSON.stringify({
        version: 1,
        hooks: {
          beforeShellExecution: [{ command: './audit.sh' }],
          afterFileEdit: [{ command: './fmt.sh' }],
        },
      }),
    );

    const first = runCli(['install-hooks', '--dir', dir, '--json'], { home, env });
    expect(first.status, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as Report;
    expect(
      report.hooks.map((hook) => [hook.client, hook.scope, hook.changed, hook.failure.mode]),
    ).toEqual([
      ['claude-code', 'user', true, 'closed'],
      ['cursor', 'user', true, 'closed'],
      ['codex', 'user', true, 'open'],
      ['gemini', 'user', true, 'open'],
    ]);
    expect(report.hooks.map((hook) => hook.file)).toEqual([
      join(user, '.claude', 'settings.json'),
      join(user, '.cursor', 'hooks.json'),
      join(user, '.codex', 'hooks.json'),
      join(user, '.gemini', 'settings.json'),
    ]);
    for (const hook of report.hooks) {
      // Absolute node, absolute hook entry, the Airlock home: this machine's paths, in this user's files only.
      expect(hook.command).toBe(
        `${process.execPath} ${join(import.meta.dirname, '..', 'bin', 'airlock-hook.cjs')} --home ${home} ${hook.client}`,
      );
    }
    expect(report.hooks[2]?.notes.join(' ')).toMatch(/trust the Airlock hook/);
    // SECURITY: nothing is written into the project, whose files are shared and editable by it.
    expect(
      ['.claude', '.cursor', '.codex', '.gemini'].map((folder) => existsSync(join(dir, folder))),
    ).toEqual([false, false, false, false]);

    const claude = readJson(join(user, '.claude', 'settings.json'));
    expect(claude.permissions).toEqual(claudeBefore.permissions);
    expect(claude.hooks.PostToolUse).toEqual(claudeBefore.hooks.PostToolUse);
    expect(claude.hooks.PreToolUse).toEqual([
      claudeBefore.hooks.PreToolUse[0],
      {
        matcher: 'Bash|PowerShell|Monitor|Edit|Write|MultiEdit|NotebookEdit|mcp__.*|Read|Grep',
        hooks: [
          { type: 'command', command: report.hooks[0]?.command, timeout: 30, onFailure: 'block' },
        ],
      },
    ]);
    expect(claude.allowManagedHooksOnly).toBeUndefined();
    const cursor = readJson(join(user, '.cursor', 'hooks.json'));
    const cursorEntry = {
      type: 'command',
      command: report.hooks[1]?.command,
      timeout: 30,
      failClosed: true,
    };
    expect(cursor.version).toBe(1);
    expect(cursor.hooks.afterFileEdit).toEqual([{ command: './fmt.sh' }]);
    expect(cursor.hooks.beforeShellExecution).toEqual([{ command: './audit.sh' }, cursorEntry]);
    expect(cursor.hooks.beforeMCPExecution).toEqual([cursorEntry]);
    expect(cursor.hooks.preToolUse).toEqual([
      { ...cursorEntry, matcher: 'Write|StrReplace|Delete|EditNotebook|ApplyPatch|Edit|MultiEdit' },
    ]);
    expect(readJson(join(user, '.codex', 'hooks.json'))).toEqual({
      hooks: {
        PreToolUse: [
          {
            matcher:
              'Bash|shell|local_shell|exec_command|unified_exec|apply_patch|Edit|Write|mcp__.*',
            hooks: [{ type: 'command', command: report.hooks[2]?.command, timeout: 30 }],
          },
        ],
      },
    });
    expect(readJson(join(user, '.gemini', 'settings.json')).hooks.BeforeTool).toEqual([
      {
        matcher:
          'run_shell_command|write_file|replace|mcp_.*|read_file|read_many_files|search_file_content|grep_search',
        hooks: [
          { name: 'airlock', type: 'command', command: report.hooks[3]?.command, timeout: 30_000 },
        ],
      },
    ]);

    const files = [
      '.claude/settings.json',
      '.cursor/hooks.json',
      '.codex/hooks.json',
      '.gemini/settings.json',
    ].map((file) => join(user, file));
    const before = files.map((file) => readFileSync(file, 'utf8'));
    const second = runCli(['install-hooks', '--dir', dir, '--json'], { home, env });
    expect(second.status).toBe(0);
    expect((JSON.parse(second.stdout) as Report).hooks.every((hook) => !hook.changed)).toBe(true);
    expect(files.map((file) => readFileSync(file, 'utf8'))).toEqual(before);

    // Another home replaces Airlock's entry in place instead of adding a second one.
    const other = freshHome();
    expect(
      runCli(['install-hooks', '--dir', dir, '--client', 'claude-code'], { home: other, env })
        .status,
    ).toBe(0);
    const moved = readJson(join(user, '.claude', 'settings.json')).hooks.PreToolUse as {
      hooks: { command: string }[];
    }[];
    expect(moved).toHaveLength(2);
    expect(moved[1]?.hooks[0]?.command).toContain(`--home ${other} claude-code`);
  }, 300_000);

  it('removes the entries earlier versions wrote into the project, saying so, and leaves the rest of those files alone', () => {
    verifies('hook.install-merges');
    const home = freshHome();
    const user = temp('airlock-user-');
    const dir = temp('airlock-project-');
    const old = `/usr/bin/node /opt/airlock/bin/airlock-hook.cjs --home /srv/airlock claude-code`;
    mkdirSync(join(dir, '.claude'));
    writeFileSync(
      join(dir, '.claude', 'settings.json'),
      JSON.stringify({
        permissions: { deny: ['Bash(curl:*)'] },
        hooks: {
          PreToolUse: [
            { matcher: 'Bash|mcp__.*', hooks: [{ type: 'command', command: old, timeout: 30 }] },
            { matcher: 'Write', hooks: [{ type: 'command', command: 'echo mine' }] },
          ],
        },
      }),
    );
    mkdirSync(join(dir, '.cursor'));
    writeFileSync(
      join(dir, '.cursor', 'hooks.json'),
      JSON.stringify({
        version: 1,
        hooks: {
          beforeShellExecution: [
            { command: './audit.sh' },
            { command: old.replace('claude-code', 'cursor'), failClosed: true },
          ],
        },
      }),
    );
    const run = runCli(['install-hooks', '--dir', dir, '--json'], { home, env: { HOME: user } });
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as Report).removedFromProject).toEqual([
      {
        client: 'claude-code',
        file: join(dir, '.claude', 'settings.json'),
        events: ['PreToolUse'],
      },
      {
        client: 'cursor',
        file: join(dir, '.cursor', 'hooks.json'),
        events: ['beforeShellExecution'],
      },
    ]);
    expect(readJson(join(dir, '.claude', 'settings.json'))).toEqual({
      permissions: { deny: ['Bash(curl:*)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'echo mine' }] }],
      },
    });
    expect(readJson(join(dir, '.cursor', 'hooks.json'))).toEqual({
      version: 1,
      hooks: { beforeShellExecution: [{ command: './audit.sh' }] },
    });
    const text = runCli(['install-hooks', '--dir', dir], { home, env: { HOME: user } });
    expect(text.stdout).not.toMatch(/removed/);
  }, 120_000);

  it('writes managed settings where each client reads them: Claude Code managed-only hooks, Codex hooks pinned on', () => {
    verifies('hook.install-merges');
    const home = freshHome();
    const root = temp('airlock-root-');
    const dir = temp('airlock-project-');
    mkdirSync(join(root, 'etc', 'codex'), { recursive: true });
    writeFileSync(
      join(root, 'etc', 'codex', 'requirements.toml'),
      'allowed_sandbox_modes = ["read-only"]\n',
    );
    const run = runCli(['install-hooks', '--scope', 'managed', '--dir', dir, '--json'], {
      home,
      env: { HOME: temp('airlock-user-'), AIRLOCK_MANAGED_ROOT: root },
    });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.hooks.map((hook) => hook.file)).toEqual(
      [
        'etc/claude-code/managed-settings.json',
        'etc/cursor/hooks.json',
        'etc/codex/hooks.json',
        'etc/gemini-cli/settings.json',
      ].map((file) => join(root, file)),
    );
    const managed = readJson(join(root, 'etc', 'claude-code', 'managed-settings.json'));
    expect(managed.allowManagedHooksOnly).toBe(true);
    expect(managed.hooks.PreToolUse[0].hooks[0].onFailure).toBe('block');
    expect(
      readJson(join(root, 'etc', 'cursor', 'hooks.json')).hooks.beforeShellExecution[0].failClosed,
    ).toBe(true);
    expect(readFileSync(join(root, 'etc', 'codex', 'requirements.toml'), 'utf8')).toBe(
      'allowed_sandbox_modes = ["read-only"]\n\n[features]\nhooks = true\n',
    );
    // Idempotent, requirements included.
    const again = runCli(['install-hooks', '--scope', 'managed', '--dir', dir, '--json'], {
      home,
      env: { HOME: temp('airlock-user-'), AIRLOCK_MANAGED_ROOT: root },
    });
    expect((JSON.parse(again.stdout) as Report).hooks.every((hook) => !hook.changed)).toBe(true);
    expect(readFileSync(join(root, 'etc', 'codex', 'requirements.toml'), 'utf8')).toBe(
      'allowed_sandbox_modes = ["read-only"]\n\n[features]\nhooks = true\n',
    );
  }, 120_000);

  it('refuses a project scope, invalid or unreadable config files, and changes nothing', () => {
    verifies('hook.install-refuses-invalid');
    const home = freshHome();
    const user = temp('airlock-user-');
    const dir = temp('airlock-project-');
    const project = runCli(['install-hooks', '--scope', 'project', '--dir', dir], {
      home,
      env: { HOME: user },
    });
    expect([project.status, project.stderr]).toEqual([
      2,
      expect.stringMatching(/does not write hooks into a project/),
    ]);
    expect(project.stderr).toMatch(/--scope managed/);

    mkdirSync(join(user, '.gemini'));
    writeFileSync(join(user, '.gemini', 'settings.json'), '{"theme": "dark",');
    const broken = runCli(['install-hooks', '--dir', dir], { home, env: { HOME: user } });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/cannot install the hooks; nothing was changed/);
    expect(broken.stderr).toMatch(/\.gemini\/settings\.json: not valid JSON/);
    expect(
      ['.claude', '.cursor', '.codex'].map((folder) => existsSync(join(user, folder))),
    ).toEqual([false, false, false]);
    expect(readFileSync(join(user, '.gemini', 'settings.json'), 'utf8')).toBe('{"theme": "dark",');

    writeFileSync(
      join(user, '.gemini', 'settings.json'),
      JSON.stringify({ hooks: { BeforeTool: 'not a list' } }),
    );
    const shape = runCli(['install-hooks', '--dir', dir, '--client', 'gemini', '--json'], {
      home,
      env: { HOME: user },
    });
    expect(shape.status).toBe(2);
    expect(JSON.parse(shape.stderr).error.details[0]).toMatch(
      /hooks\.BeforeTool is not a JSON array/,
    );

    const root = temp('airlock-root-');
    mkdirSync(join(root, 'etc', 'codex'), { recursive: true });
    writeFileSync(join(root, 'etc', 'codex', 'requirements.toml'), '[features]\nhooks = false\n');
    const off = runCli(['install-hooks', '--scope', 'managed', '--client', 'codex', '--dir', dir], {
      home,
      env: { HOME: user, AIRLOCK_MANAGED_ROOT: root },
    });
    expect([off.status, off.stderr]).toEqual([
      2,
      expect.stringMatching(/requirements\.toml: it turns hooks off/),
    ]);
    expect(existsSync(join(root, 'etc', 'codex', 'hooks.json'))).toBe(false);

    if (process.getuid?.() !== 0) {
      // root reads everything, so unreadable files can only be tested as another user.
      mkdirSync(join(user, '.claude'));
      writeFileSync(join(user, '.claude', 'settings.json'), '{}');
      chmodSync(join(user, '.claude', 'settings.json'), 0);
      const unreadable = runCli(['install-hooks', '--dir', dir, '--client', 'claude-code'], {
        home,
        env: { HOME: user },
      });
      expect(unreadable.status).toBe(2);
      expect(unreadable.stderr).toMatch(/cannot be read/);
    }
    const unknown = runCli(['install-hooks', '--dir', dir, '--client', 'vscode'], {
      home,
      env: { HOME: user },
    });
    expect([unknown.status, unknown.stderr]).toEqual([
      2,
      expect.stringMatching(/unknown client `vscode`/),
    ]);
  }, 120_000);
});
