import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHookBundle } from '../src/cli/hook-build.js';
import { verifies } from './requirements.js';
import { freshHome, runCli } from './run-cli.js';

const project = (): string => mkdtempSync(join(tmpdir(), 'airlock-project-'));
const readJson = (path: string): Record<string, any> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

beforeAll(async () => {
  await buildHookBundle();
}, 120_000);

describe('airlock install-hooks', () => {
  it('writes every client\'s config, merged with what is there, and a second run adds nothing', () => {
    verifies('hook.install-merges');
    const home = freshHome();
    const dir = project();
    mkdirSync(join(dir, '.claude'));
    const claudeBefore = {
      permissions: { allow: ['Bash(ls)'] },
      hooks: { PreToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'echo mine' }] }], PostToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'log' }] }] },
    };
    writeFileSync(join(dir, '.claude', 'settings.json'), JSON.stringify(claudeBefore));
    mkdirSync(join(dir, '.cursor'));
    writeFileSync(join(dir, '.cursor', 'hooks.json'), JSON.stringify({ version: 1, hooks: { beforeShellExecution: [{ command: './audit.sh' }], afterFileEdit: [{ command: './fmt.sh' }] } }));

    const first = runCli(['install-hooks', '--dir', dir, '--json'], { home });
    expect(first.status, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as { home: string; hooks: { client: string; changed: boolean; command: string; failClosed: boolean }[] };
    expect(report.hooks.map((hook) => [hook.client, hook.changed])).toEqual([['claude-code', true], ['cursor', true], ['codex', true], ['gemini', true]]);
    expect(report.hooks.find((hook) => hook.client === 'cursor')?.failClosed).toBe(true);
    for (const hook of report.hooks) {
      // Absolute node, absolute hook entry, the Airlock home: it works from the project folder.
      expect(hook.command).toBe(`${process.execPath} ${join(import.meta.dirname, '..', 'bin', 'airlock-hook.cjs')} --home ${home} ${hook.client}`);
    }

    const claude = readJson(join(dir, '.claude', 'settings.json'));
    expect(claude.permissions).toEqual(claudeBefore.permissions);
    expect(claude.hooks.PostToolUse).toEqual(claudeBefore.hooks.PostToolUse);
    expect(claude.hooks.PreToolUse).toEqual([
      claudeBefore.hooks.PreToolUse[0],
      { matcher: 'Bash|mcp__.*', hooks: [{ type: 'command', command: report.hooks[0]?.command, timeout: 30 }] },
    ]);
    const cursor = readJson(join(dir, '.cursor', 'hooks.json'));
    expect(cursor.version).toBe(1);
    expect(cursor.hooks.afterFileEdit).toEqual([{ command: './fmt.sh' }]);
    expect(cursor.hooks.beforeShellExecution).toEqual([{ command: './audit.sh' }, { command: report.hooks[1]?.command, timeout: 30, failClosed: true }]);
    expect(cursor.hooks.beforeMCPExecution).toEqual([{ command: report.hooks[1]?.command, timeout: 30, failClosed: true }]);
    expect(readJson(join(dir, '.codex', 'hooks.json')).hooks.PreToolUse[0].matcher).toMatch(/mcp__/);
    expect(readJson(join(dir, '.gemini', 'settings.json')).hooks.BeforeTool).toEqual([
      { matcher: 'run_shell_command|mcp_.*', hooks: [{ name: 'airlock', type: 'command', command: report.hooks[3]?.command, timeout: 30_000 }] },
    ]);

    const files = ['.claude/settings.json', '.cursor/hooks.json', '.codex/hooks.json', '.gemini/settings.json'].map((file) => join(dir, file));
    const before = files.map((file) => readFileSync(file, 'utf8'));
    const second = runCli(['install-hooks', '--dir', dir, '--json'], { home });
    expect(second.status).toBe(0);
    expect((JSON.parse(second.stdout) as { hooks: { changed: boolean }[] }).hooks.every((hook) => !hook.changed)).toBe(true);
    expect(files.map((file) => readFileSync(file, 'utf8'))).toEqual(before);

    // Another home replaces Airlock's entry in place instead of adding a second one.
    const other = freshHome();
    expect(runCli(['install-hooks', '--dir', dir, '--client', 'claude-code'], { home: other }).status).toBe(0);
    const moved = readJson(join(dir, '.claude', 'settings.json')).hooks.PreToolUse as { hooks: { command: string }[] }[];
    expect(moved).toHaveLength(2);
    expect(moved[1]?.hooks[0]?.command).toContain(`--home ${other} claude-code`);
  }, 300_000);

  it('refuses invalid or unreadable config files and changes nothing', () => {
    verifies('hook.install-refuses-invalid');
    const home = freshHome();
    const dir = project();
    mkdirSync(join(dir, '.gemini'));
    writeFileSync(join(dir, '.gemini', 'settings.json'), '{"theme": "dark",');
    const broken = runCli(['install-hooks', '--dir', dir], { home });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/cannot install the hooks; nothing was changed/);
    expect(broken.stderr).toMatch(/\.gemini\/settings\.json: not valid JSON/);
    // Nothing was written for the other clients either.
    expect(['.claude', '.cursor', '.codex'].map((folder) => existsSync(join(dir, folder)))).toEqual([false, false, false]);
    expect(readFileSync(join(dir, '.gemini', 'settings.json'), 'utf8')).toBe('{"theme": "dark",');

    writeFileSync(join(dir, '.gemini', 'settings.json'), JSON.stringify({ hooks: { BeforeTool: 'not a list' } }));
    const shape = runCli(['install-hooks', '--dir', dir, '--client', 'gemini', '--json'], { home });
    expect(shape.status).toBe(2);
    expect(JSON.parse(shape.stderr).error.details[0]).toMatch(/hooks\.BeforeTool is not a JSON array/);

    if (process.getuid?.() !== 0) {
      // root reads everything, so unreadable files can only be tested as another user.
      mkdirSync(join(dir, '.claude'));
      writeFileSync(join(dir, '.claude', 'settings.json'), '{}');
      chmodSync(join(dir, '.claude', 'settings.json'), 0);
      const unreadable = runCli(['install-hooks', '--dir', dir, '--client', 'claude-code'], { home });
      expect(unreadable.status).toBe(2);
      expect(unreadable.stderr).toMatch(/cannot be read/);
    }
    const unknown = runCli(['install-hooks', '--dir', dir, '--client', 'vscode'], { home });
    expect([unknown.status, unknown.stderr]).toEqual([2, expect.stringMatching(/unknown client `vscode`/)]);
  }, 120_000);
});
