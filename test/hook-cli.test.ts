import { describe, expect, it } from 'vitest';
import { verifies } from './requirements.js';
import { freshHome, runCli } from './run-cli.js';
import { enrolApprover } from './totp-phone.js';

const APPROVERS = ['bob', 'carol'];

/** Real inputs, field for field, as each client sends them (shared/upstreams/agent-hooks.md). */
const claudeInput = (command: string, cwd = '/repo'): string =>
  JSON.stringify({ session_id: 's1', transcript_path: '/tmp/t.jsonl', cwd, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command, description: 'run', timeout: 120000 }, tool_use_id: 'toolu_1' });
const cursorInput = (command: string): string =>
  JSON.stringify({ conversation_id: 'c1', generation_id: 'g1', model: 'm', hook_event_name: 'beforeShellExecution', cursor_version: '1.7', workspace_roots: ['/repo'], user_email: 'a@b.c', command, cwd: '/repo' });
const codexInput = (command: string[]): string =>
  JSON.stringify({ session_id: 's1', transcript_path: '/tmp/t.jsonl', cwd: '/repo', hook_event_name: 'PreToolUse', tool_name: 'shell', tool_input: { command }, turn_id: 't1' });
const geminiInput = (command: string): string =>
  JSON.stringify({ session_id: 's1', transcript_path: '/tmp/t.json', cwd: '/repo', hook_event_name: 'BeforeTool', timestamp: '2026-01-01T00:00:00Z', tool_name: 'run_shell_command', tool_input: { command } });

function issueToken(home: string): string {
  const issued = runCli(['token', 'issue', '--agent', 'agent', '--owner', 'alice', '--upstream', 'shell', '--env', '*', '--effect', 'read', 'write', 'destructive', 'unknown', '--ttl', '1h', '--json'], { home });
  expect(issued.status).toBe(0);
  return (JSON.parse(issued.stdout) as { token: string }).token;
}

describe('airlock hook', () => {
  it('denies in each client\'s exact format when no token is set (fail closed)', () => {
    verifies('hook.fail-closed');
    verifies('hook.client-protocols');
    const home = freshHome();
    const env = { AIRLOCK_TOKEN: '' };
    const claude = runCli(['hook', 'claude-code'], { home, input: claudeInput('git status'), env });
    expect(claude.status).toBe(2);
    expect(JSON.parse(claude.stdout)).toEqual({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: expect.stringMatching(/no Airlock token/) } });
    const cursor = runCli(['hook', 'cursor'], { home, input: cursorInput('git status'), env });
    expect(cursor.status).toBe(2);
    expect(JSON.parse(cursor.stdout)).toMatchObject({ permission: 'deny', agent_message: expect.stringMatching(/no Airlock token/) });
    const codex = runCli(['hook', 'codex'], { home, input: codexInput(['git', 'status']), env });
    expect([codex.status, codex.stdout]).toEqual([2, '']);
    expect(codex.stderr).toMatch(/no Airlock token/);
    const gemini = runCli(['hook', 'gemini'], { home, input: geminiInput('git status'), env });
    expect(gemini.status).toBe(2);
    expect(JSON.parse(gemini.stdout)).toMatchObject({ decision: 'deny' });
  }, 180_000);

  it('denies unreadable input', () => {
    const home = freshHome();
    const run = runCli(['hook', 'claude-code'], { home, input: 'not json', env: { AIRLOCK_TOKEN: 'alk_x' } });
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
  }, 60_000);

  it('allows reads, holds a destructive command until two humans approve, then allows the identical command once', () => {
    verifies('hook.held-then-once');
    verifies('hook.client-protocols');
    const home = freshHome();
    const token = issueToken(home);
    const env = { AIRLOCK_TOKEN: token };
    const read = runCli(['hook', 'claude-code'], { home, input: claudeInput('git status'), env });
    expect([read.status, JSON.parse(read.stdout).hookSpecificOutput.permissionDecision]).toEqual([0, 'allow']);
    const codexRead = runCli(['hook', 'codex'], { home, input: codexInput(['bash', '-lc', 'ls -la']), env });
    expect([codexRead.status, codexRead.stdout, codexRead.stderr]).toEqual([0, '', '']);

    const command = 'rm -rf /srv/data';
    const held = runCli(['hook', 'claude-code'], { home, input: claudeInput(command), env });
    expect(held.status).toBe(2);
    const reason = JSON.parse(held.stdout).hookSpecificOutput.permissionDecisionReason as string;
    expect(reason).toMatch(/held this call for human approval \(approval (apr_\w+), 2 approvals needed\)/);
    expect(reason).toMatch(/Stop and wait/);
    const approval = /approval (apr_\w+)/.exec(reason)?.[1] as string;

    for (const name of APPROVERS) {
      const phone = enrolApprover(home, name, ['--upstream', 'shell', '--env', '*']);
      const approved = runCli(['approvals', 'approve', approval, '--as', name, '--confirm', '/srv/data'], { home, input: phone.line() });
      expect(approved.status, approved.stderr).toBe(0);
    }
    // Another working directory is another request: still held.
    const elsewhere = runCli(['hook', 'claude-code'], { home, input: claudeInput(command, '/other'), env });
    expect(elsewhere.status).toBe(2);
    const once = runCli(['hook', 'claude-code'], { home, input: claudeInput(command), env });
    expect([once.status, JSON.parse(once.stdout).hookSpecificOutput.permissionDecision]).toEqual([0, 'allow']);
    const again = runCli(['hook', 'cursor'], { home, input: cursorInput(command), env });
    expect(again.status).toBe(2);
    expect(JSON.parse(again.stdout)).toMatchObject({ permission: 'deny', agent_message: expect.stringMatching(/held this call for human approval \(approval apr_/) });
    const gemini = runCli(['hook', 'gemini'], { home, input: geminiInput('git log --oneline'), env });
    expect([gemini.status, JSON.parse(gemini.stdout).decision]).toEqual([0, 'allow']);
  }, 600_000);
});
