import { describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { parseHookInput } from './hook-input.js';
import { patchPaths } from './patch-paths.js';
import { formatAnswer, formatPass, HookInputError } from './protocols.js';

const claude = (tool: string, input: unknown, cwd = '/repo'): string =>
  JSON.stringify({
    session_id: 's',
    cwd,
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: input,
    tool_use_id: 't',
  });
const codex = (tool: string, input: unknown, cwd = '/repo'): string =>
  JSON.stringify({
    session_id: 's',
    cwd,
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: input,
    turn_id: 't',
  });
const gemini = (tool: string, input: unknown, cwd = '/repo'): string =>
  JSON.stringify({
    session_id: 's',
    cwd,
    hook_event_name: 'BeforeTool',
    tool_name: tool,
    tool_input: input,
  });
const cursorTool = (tool: string, input: unknown): string =>
  JSON.stringify({
    hook_event_name: 'preToolUse',
    conversation_id: 'c',
    workspace_roots: ['/repo'],
    tool_name: tool,
    tool_input: input,
  });

describe('parseHookInput', () => {
  it('reads every Claude Code tool that runs commands or edits files', () => {
    expect(parseHookInput('claude-code', claude('Bash', { command: 'rm -rf build' }))).toEqual({
      kind: 'shell',
      tool: 'Bash',
      dialect: 'posix',
      command: 'rm -rf build',
      cwd: '/repo',
    });
    expect(
      parseHookInput('claude-code', claude('Monitor', { command: 'tail -f log' })),
    ).toMatchObject({ kind: 'shell', tool: 'Monitor', dialect: 'posix', command: 'tail -f log' });
    expect(
      parseHookInput(
        'claude-code',
        claude('PowerShell', { command: 'Remove-Item -Recurse C:\\x' }),
      ),
    ).toMatchObject({ kind: 'shell', dialect: 'powershell' });
    expect(
      parseHookInput('claude-code', claude('Write', { file_path: '/repo/.env', content: 'x' })),
    ).toEqual({ kind: 'file', tool: 'Write', writes: ['/repo/.env'], cwd: '/repo' });
    expect(
      parseHookInput(
        'claude-code',
        claude('Edit', { file_path: 'src/a.ts', old_string: 'a', new_string: 'b' }),
      ),
    ).toMatchObject({ writes: ['/repo/src/a.ts'] });
    expect(
      parseHookInput(
        'claude-code',
        claude('NotebookEdit', { notebook_path: '/repo/n.ipynb', new_source: '' }),
      ),
    ).toMatchObject({ kind: 'file', writes: ['/repo/n.ipynb'] });
    expect(
      parseHookInput('claude-code', claude('mcp__github__delete_repo', { repo: 'x' })),
    ).toMatchObject({ kind: 'mcp', server: 'github', tool: 'delete_repo' });
    // Issue 24: a read is judged too, so that a file holding a provider credential is held (read-tools.ts).
    expect(parseHookInput('claude-code', claude('Read', { file_path: '/repo/a' }))).toEqual({
      kind: 'file',
      tool: 'Read',
      writes: [],
      reads: ['/repo/a'],
      cwd: '/repo',
    });
  });

  it('denies a file tool whose input names no file', () => {
    expect(() => parseHookInput('claude-code', claude('Write', { content: 'x' }))).toThrow(
      HookInputError,
    );
    expect(() => parseHookInput('gemini', gemini('write_file', {}))).toThrow(/names no file/);
    expect(() =>
      parseHookInput('codex', codex('apply_patch', { command: '*** Begin Patch\n*** End Patch' })),
    ).toThrow(/names no file/);
    expect(() => parseHookInput('cursor', cursorTool('Write', {}))).toThrow(HookInputError);
  });

  it("judges Gemini's shell command in dir_path, resolved against cwd", () => {
    expect(
      parseHookInput(
        'gemini',
        gemini('run_shell_command', { command: 'rm -rf x', dir_path: 'sub/dir' }, '/repo'),
      ),
    ).toMatchObject({ kind: 'shell', cwd: '/repo/sub/dir' });
    expect(
      parseHookInput(
        'gemini',
        gemini('run_shell_command', { command: 'ls', dir_path: '/elsewhere' }),
      ),
    ).toMatchObject({ cwd: '/elsewhere' });
    expect(
      parseHookInput('gemini', gemini('run_shell_command', { command: 'ls', directory: 'old' })),
    ).toMatchObject({ cwd: '/repo/old' });
    expect(parseHookInput('gemini', gemini('run_shell_command', { command: 'ls' }))).toMatchObject({
      cwd: '/repo',
    });
    expect(
      parseHookInput(
        'gemini',
        gemini('replace', { file_path: 'a.txt', old_string: 'a', new_string: 'b' }),
      ),
    ).toMatchObject({ kind: 'file', tool: 'replace', writes: ['/repo/a.txt'] });
  });

  it("reads Codex's argument vectors exactly, its workdir, and apply_patch's files", () => {
    expect(
      parseHookInput(
        'codex',
        codex('shell', { command: ['bash', '-lc', "rm -rf 'a b'"], workdir: 'pkg' }),
      ),
    ).toEqual({
      kind: 'shell',
      tool: 'shell',
      dialect: 'posix',
      command: `bash -lc 'rm -rf '\\''a b'\\'''`,
      argv: ['bash', '-lc', "rm -rf 'a b'"],
      cwd: '/repo/pkg',
    });
    const patch =
      '*** Begin Patch\n*** Add File: new.txt\n+hi\n*** Update File: src/a.ts\n*** Move to: src/b.ts\n@@\n-a\n+b\n*** Delete File: /repo/.env\n*** End Patch';
    expect(parseHookInput('codex', codex('apply_patch', { command: patch }))).toEqual({
      kind: 'file',
      tool: 'apply_patch',
      writes: ['/repo/new.txt', '/repo/src/a.ts', '/repo/src/b.ts', '/repo/.env'],
      cwd: '/repo',
    });
    expect(
      parseHookInput('codex', codex('apply_patch', { command: ['apply_patch', patch] })),
    ).toMatchObject({
      writes: ['/repo/new.txt', '/repo/src/a.ts', '/repo/src/b.ts', '/repo/.env'],
    });
  });

  it("reads Cursor's file tools through preToolUse and leaves its shell and MCP tools to their own events", () => {
    expect(parseHookInput('cursor', cursorTool('Delete', { path: '/repo/data.db' }))).toMatchObject(
      { kind: 'file', tool: 'Delete', writes: ['/repo/data.db'] },
    );
    expect(
      parseHookInput('cursor', cursorTool('StrReplace', { file_path: 'src/x.ts' })),
    ).toMatchObject({ writes: ['/repo/src/x.ts'] });
    expect(
      parseHookInput('cursor', cursorTool('ApplyPatch', { patch: '*** Update File: a.ts\n' })),
    ).toMatchObject({ writes: ['/repo/a.ts'] });
    expect(parseHookInput('cursor', cursorTool('Shell', { command: 'ls' }))).toEqual({
      kind: 'other',
      tool: 'Shell',
    });
  });
});

describe('patchPaths', () => {
  it('names every file a patch adds, updates, deletes or moves to, once', () => {
    expect(patchPaths('*** Update File: a\n*** Update File: a\n*** Move to: b\n')).toEqual([
      'a',
      'b',
    ]);
    expect(patchPaths('no headers here')).toEqual([]);
  });
});

describe('formatAnswer', () => {
  const allow = { verdict: 'allow', message: 'Airlock allowed this call.' } as const;
  const deny = { verdict: 'deny', message: 'Airlock denied this call.' } as const;

  it("never answers Claude Code's allow (which would skip the user's permission prompt)", () => {
    verifies('hook.never-weakens-client');
    expect(formatAnswer('claude-code', allow)).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    const denied = formatAnswer('claude-code', deny);
    expect([
      denied.exitCode,
      denied.stderr,
      JSON.parse(denied.stdout).hookSpecificOutput.permissionDecision,
    ]).toEqual([2, 'Airlock denied this call.\n', 'deny']);
  });

  it('answers Cursor with valid JSON either way (failClosed blocks on output that is not JSON)', () => {
    expect(JSON.parse(formatAnswer('cursor', allow).stdout)).toEqual({ permission: 'allow' });
    expect(formatAnswer('cursor', allow)).toEqual(formatPass('cursor'));
    expect(formatAnswer('cursor', deny)).toMatchObject({
      exitCode: 2,
      stdout: expect.stringContaining('"permission":"deny"'),
    });
  });

  it('gives Codex a non-empty stderr with every deny, even an empty message', () => {
    verifies('hook.never-weakens-client');
    expect(formatAnswer('codex', { verdict: 'hold', message: '' })).toEqual({
      stdout: '',
      stderr: 'Airlock denied this call. Nothing was run.\n',
      exitCode: 2,
    });
    expect(formatAnswer('codex', allow)).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });
});
