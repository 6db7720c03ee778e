import { describe, expect, it } from 'vitest';
import type { GuardSettings } from '../shell/index.js';
import { classifyFileTool } from './index.js';

const GUARD: GuardSettings = {
  paths: ['/var/lib/airlock', '/opt/airlock', '~/.claude/settings.json', '/etc/claude-code'],
  names: [
    '.claude/settings.json',
    '.cursor/hooks.json',
    '.codex/config.toml',
    '.gemini/settings.json',
  ],
  unreadable: ['/var/lib/airlock'],
  userHome: '/home/dev',
};
const CWD = '/home/dev/proj';

/** Each action as `effect path`, with `guarded` when the firewall will deny it. */
function judge(writes: string[], reads: string[] = [], tool = 'Write'): string[] {
  return classifyFileTool({ tool, writes, reads, cwd: CWD }, 'shell', { guard: GUARD }).map(
    (action) => {
      const guarded = action.targets.some((target) => target.type === 'airlock-guarded');
      return `${action.effect} ${action.targets[0]?.id ?? ''}${guarded ? ' guarded' : ''}`;
    },
  );
}

describe('classifyFileTool', () => {
  it('writes an ordinary project file: a write (git has it)', () => {
    expect(judge(['src/app.ts'])).toEqual(['write /home/dev/proj/src/app.ts']);
    expect(judge(['/home/dev/proj/README.md'], [], 'Edit')).toEqual([
      'write /home/dev/proj/README.md',
    ]);
  });

  it("judges precious files and anything outside the project by the shell's loss rules", () => {
    expect(judge(['.env'])).toEqual(['destructive /home/dev/proj/.env']);
    expect(judge(['.env.production'])).toEqual(['destructive /home/dev/proj/.env.production']);
    expect(judge(['data/app.db'])).toEqual(['destructive /home/dev/proj/data/app.db']);
    expect(judge(['certs/server.key'])).toEqual(['destructive /home/dev/proj/certs/server.key']);
    expect(judge(['.git/config'])).toEqual(['destructive /home/dev/proj/.git/config']);
    expect(judge(['/home/dev/.bashrc'])).toEqual(['destructive /home/dev/.bashrc']);
    expect(judge(['../other/src/x.ts'])).toEqual(['destructive /home/dev/other/src/x.ts']);
    expect(judge(['/tmp/scratch.txt'])).toEqual(['write /tmp/scratch.txt']);
    expect(judge(['dist/bundle.js'])).toEqual(['write /home/dev/proj/dist/bundle.js']);
  });

  it("denies writes to any client's hook configuration and to Airlock itself, in any spelling", () => {
    for (const path of [
      '.claude/settings.json',
      '/home/dev/.claude/settings.json',
      '~/.claude/settings.json',
      '../.claude/settings.json',
      '.cursor/hooks.json',
      'sub/.codex/config.toml',
      '.GEMINI/settings.json',
      '/etc/claude-code/managed-settings.json',
      '/opt/airlock/bin/airlock-hook.cjs',
      '/var/lib/airlock/airlock.yaml',
    ]) {
      expect(judge([path])[0], path).toMatch(/ guarded$/);
    }
  });

  it("allows reading a client's configuration, and denies reading the Airlock home or another process's environment", () => {
    expect(judge([], ['.claude/settings.json'], 'Read')).toEqual([
      'read /home/dev/proj/.claude/settings.json',
    ]);
    expect(judge([], ['/var/lib/airlock/airlock.db'], 'Read')[0]).toMatch(/ guarded$/);
    expect(judge([], ['/proc/1/environ'], 'Read')[0]).toMatch(/ guarded$/);
    expect(judge([], ['/proc/self/environ'], 'Read')).toEqual(['read /proc/self/environ']);
  });

  it('judges every path of a multi-file patch, and a call without paths as unknown', () => {
    expect(judge(['src/a.ts', '.cursor/hooks.json'], [], 'apply_patch')).toEqual([
      'write /home/dev/proj/src/a.ts',
      'destructive /home/dev/proj/.cursor/hooks.json guarded',
    ]);
    expect(judge([], [], 'apply_patch').map((line) => line.split(' ')[0])).toEqual(['unknown']);
  });

  it('cannot place a relative path without an absolute working folder: unknown', () => {
    const actions = classifyFileTool({ tool: 'Write', writes: ['src/a.ts'], cwd: '' }, 'shell', {
      guard: GUARD,
    });
    expect(actions.map((action) => action.effect)).toEqual(['unknown']);
  });
});
