import { describe, expect, it } from 'vitest';
import { verifies } from './requirements.js';
import { freshHome, issueShellToken, runCli } from './run-cli.js';
import { enrolApprover } from './totp-phone.js';

const APPROVERS = ['bob', 'carol'];

/** Real inputs, field for field, as each client sends them (shared/upstreams/agent-hooks.md). */
const claudeInput = (command: string, cwd = '/repo'): string =>
  JSON.stringify({
    session_id: 's1',
    transcript_path: '/tmp/t.jsonl',
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: 'run', timeout: 120000 },
    tool_use_id: 'toolu_1',
  });
const cursorInput = (command: string): string =>
  JSON.stringify({
    conversation_id: 'c1',
    generation_id: 'g1',
    model: 'm',
    hook_event_name: 'beforeShellExecution',
    cursor_version: '1.7',
    workspace_roots: ['/repo'],
    user_email: 'a@b.c',
    command,
    cwd: '/repo',
  });
const codexInput = (command: string[]): string =>
  JSON.stringify({
    session_id: 's1',
    transcript_path: '/tmp/t.jsonl',
    cwd: '/repo',
    hook_event_name: 'PreToolUse',
    tool_name: 'shell',
    tool_input: { command },
    turn_id: 't1',
  });
const geminiInput = (command: string): string =>
  JSON.stringify({
    session_id: 's1',
    transcript_path: '/tmp/t.json',
    cwd: '/repo',
    hook_event_name: 'BeforeTool',
    timestamp: '2026-01-01T00:00:00Z',
    tool_name: 'run_shell_command',
    tool_input: { command },
  });

describe('airlock hook', () => {
  it("denies in each client's exact format when no token is set (fail closed)", () => {
    verifies('hook.fail-closed');
    verifies('hook.client-protocols');
    const home = freshHome();
    const env = { AIRLOCK_TOKEN: '' };
    const claude = runCli(['hook', 'claude-code'], { home, input: claudeInput('git status'), env });
    expect(claude.status).toBe(2);
    expect(JSON.parse(claude.stdout)).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringMatching(/no Airlock token/),
      },
    });
    const cursor = runCli(['hook', 'cursor'], { home, input: cursorInput('git status'), env });
    expect(cursor.status).toBe(2);
    expect(JSON.parse(cursor.stdout)).toMatchObject({
      permission: 'deny',
      agent_message: expect.stringMatching(/no Airlock token/),
    });
    const codex = runCli(['hook', 'codex'], { home, input: codexInput(['git', 'status']), env });
    expect([codex.status, codex.stdout]).toEqual([2, '']);
    expect(codex.stderr).toMatch(/no Airlock token/);
    const gemini = runCli(['hook', 'gemini'], { home, input: geminiInput('git status'), env });
    expect(gemini.status).toBe(2);
    expect(JSON.parse(gemini.stdout)).toMatchObject({ decision: 'deny' });
  }, 180_000);

  it('denies unreadable input', () => {
    const home = freshHome();
    const run = runCli(['hook', 'claude-code'], {
      home,
      input: 'not json',
      env: { AIRLOCK_TOKEN: 'alk_x' },
    });
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
  }, 60_000);

  it('allows reads, holds a destructive command until two humans approve, then allows the identical command once', () => {
    verifies('hook.held-then-once');
    verifies('hook.client-protocols');
    const home = freshHome();
    const token = issueShellToken(home);
    const env = { AIRLOCK_TOKEN: token };
    // An allow is no decision: Claude Code's own permission prompt still runs (an explicit allow would skip it).
    const read = runCli(['hook', 'claude-code'], { home, input: claudeInput('git status'), env });
    expect([read.status, read.stdout, read.stderr]).toEqual([0, '', '']);
    const codexRead = runCli(['hook', 'codex'], {
      home,
      input: codexInput(['bash', '-lc', 'ls -la']),
      env,
    });
    expect([codexRead.status, codexRead.stdout, codexRead.stderr]).toEqual([0, '', '']);

    const command = 'rm -rf /srv/data';
    const held = runCli(['hook', 'claude-code'], { home, input: claudeInput(command), env });
    expect(held.status).toBe(2);
    const reason = JSON.parse(held.stdout).hookSpecificOutput.permissionDecisionReason as string;
    expect(reason).toMatch(
      /held this call for human approval \(approval (apr_\w+), 2 approvals needed\)/,
    );
    expect(reason).toMatch(/Stop and wait/);
    const approval = /approval (apr_\w+)/.exec(reason)?.[1] as string;
    expect(held.stderr).toBe(`${reason}\n`);
    // The approver sees exactly what will run and where.
    const shown = runCli(['approvals', 'show', approval, '--json'], { home });
    expect(shown.status, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).request).toMatchObject({
      details: { tool: 'Bash', command, cwd: '/repo' },
    });

    for (const name of APPROVERS) {
      const phone = enrolApprover(home, name, ['--upstream', 'shell', '--env', '*']);
      const approved = runCli(
        ['approvals', 'approve', approval, '--as', name, '--confirm', '/srv/data'],
        { home, input: phone.line() },
      );
      expect(approved.status, approved.stderr).toBe(0);
    }
    // Another working directory is another request: still held.
    const elsewhere = runCli(['hook', 'claude-code'], {
      home,
      input: claudeInput(command, '/other'),
      env,
    });
    expect(elsewhere.status).toBe(2);
    const once = runCli(['hook', 'claude-code'], { home, input: claudeInput(command), env });
    expect([once.status, once.stdout]).toEqual([0, '']);
    const again = runCli(['hook', 'cursor'], { home, input: cursorInput(command), env });
    expect(again.status).toBe(2);
    expect(JSON.parse(again.stdout)).toMatchObject({
      permission: 'deny',
      agent_message: expect.stringMatching(/held this call for human approval \(approval apr_/),
    });
    const gemini = runCli(['hook', 'gemini'], {
      home,
      input: geminiInput('git log --oneline'),
      env,
    });
    expect([gemini.status, JSON.parse(gemini.stdout).decision]).toEqual([0, 'allow']);
  }, 600_000);

  it('holds what it cannot read and keeps the exact line and folder for approvers: PowerShell, an argument vector, a shell command in dir_path', () => {
    verifies('hook.holds-keep-command');
    verifies('hook.client-protocols');
    const home = freshHome();
    const env = { AIRLOCK_TOKEN: issueShellToken(home) };
    const shown = (id: string): Record<string, any> =>
      JSON.parse(runCli(['approvals', 'show', id, '--json'], { home }).stdout).request as Record<
        string,
        any
      >;
    const approvalOf = (text: string): string => /approval (apr_\w+)/.exec(text)?.[1] as string;

    const powershell = 'Remove-Item -Recurse -Force C:\\data';
    const ps = runCli(['hook', 'claude-code'], {
      home,
      input: JSON.stringify({
        session_id: 's1',
        cwd: '/repo',
        hook_event_name: 'PreToolUse',
        tool_name: 'PowerShell',
        tool_input: { command: powershell },
        tool_use_id: 't',
      }),
      env,
    });
    expect(ps.status).toBe(2);
    expect(ps.stderr).toMatch(/held this call for human approval/);
    expect(shown(approvalOf(ps.stderr))).toMatchObject({
      details: { tool: 'PowerShell', command: powershell, cwd: '/repo' },
      ambiguity: ['PowerShell commands cannot be parsed by Airlock'],
    });

    const argv = ['bash', '-lc', "rm -rf 'build output'"];
    const codex = runCli(['hook', 'codex'], { home, input: codexInput(argv), env });
    expect([codex.status, codex.stdout]).toEqual([2, '']);
    expect(shown(approvalOf(codex.stderr))).toMatchObject({
      details: { command: `bash -lc 'rm -rf '\\''build output'\\'''`, argv, cwd: '/repo' },
    });

    const gemini = runCli(['hook', 'gemini'], {
      home,
      input: JSON.stringify({
        session_id: 's1',
        cwd: '/repo',
        hook_event_name: 'BeforeTool',
        tool_name: 'run_shell_command',
        tool_input: { command: 'rm -rf data', dir_path: 'services/api' },
      }),
      env,
    });
    expect(gemini.status).toBe(2);
    // Judged, and bound, in the folder the command runs in, not the session's.
    expect(shown(approvalOf(gemini.stderr))).toMatchObject({
      details: { command: 'rm -rf data', cwd: '/repo/services/api' },
    });
  }, 600_000);

  it("judges file tools' writes and denies file-tool input it cannot read", () => {
    verifies('hook.fail-closed');
    const home = freshHome();
    const env = { AIRLOCK_TOKEN: issueShellToken(home) };
    const write = runCli(['hook', 'claude-code'], {
      home,
      input: JSON.stringify({
        session_id: 's1',
        cwd: '/repo',
        hook_event_name: 'PreToolUse',
        tool_name: 'Write',
        tool_input: { file_path: 'notes/todo.md', content: 'x' },
        tool_use_id: 't',
      }),
      env,
    });
    expect([write.status, write.stdout, write.stderr]).toEqual([0, '', '']);
    // A client's hook configuration is guarded: denied, never held for a human to wave through.
    const guarded = runCli(['hook', 'gemini'], {
      home,
      input: JSON.stringify({
        session_id: 's1',
        cwd: '/repo',
        hook_event_name: 'BeforeTool',
        tool_name: 'write_file',
        tool_input: { file_path: '.claude/settings.json', content: '{}' },
      }),
      env,
    });
    expect([guarded.status, JSON.parse(guarded.stdout).decision]).toEqual([2, 'deny']);
    expect(guarded.stderr).toMatch(/^Airlock denied this call/);
    const blind = runCli(['hook', 'codex'], {
      home,
      input: JSON.stringify({
        session_id: 's1',
        cwd: '/repo',
        hook_event_name: 'PreToolUse',
        tool_name: 'apply_patch',
        tool_input: { command: '*** Begin Patch\n*** End Patch' },
        turn_id: 't',
      }),
      env,
    });
    expect([blind.status, blind.stdout, blind.stderr]).toEqual([
      2,
      '',
      expect.stringMatching(/the apply_patch patch names no file/),
    ]);
    const nameless = runCli(['hook', 'cursor'], {
      home,
      input: JSON.stringify({
        hook_event_name: 'preToolUse',
        conversation_id: 'c',
        workspace_roots: ['/repo'],
        tool_name: 'Delete',
        tool_input: {},
      }),
      env,
    });
    expect([nameless.status, JSON.parse(nameless.stdout).permission]).toEqual([2, 'deny']);
  }, 300_000);
});
