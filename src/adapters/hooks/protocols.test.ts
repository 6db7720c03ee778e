import { describe, expect, it } from 'vitest';
import type { HookClient, HookVerdict } from './protocols.js';
import { HOOK_CLIENTS, HookInputError, formatAnswer, formatPass } from './protocols.js';

const deny: HookVerdict = {
  verdict: 'deny',
  message: 'Airlock denied `rm -rf /`: forbidden by policy p1.',
};
const hold: HookVerdict = {
  verdict: 'hold',
  message: 'Held for approval at https://airlock.local/approvals/apr_1.',
};

describe('formatAnswer', () => {
  it('blocks every client the same way: exit 2 with the reason on stderr', () => {
    for (const client of HOOK_CLIENTS) {
      for (const verdict of [deny, hold]) {
        const answer = formatAnswer(client, verdict);
        expect(answer.exitCode).toBe(2);
        expect(answer.stderr).toBe(`${verdict.message}\n`);
      }
    }
  });

  it("writes each client's own deny shape on stdout, one JSON line, or nothing for Codex", () => {
    const stdout = (client: HookClient) => formatAnswer(client, deny).stdout;
    expect(JSON.parse(stdout('claude-code'))).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: deny.message,
      },
    });
    expect(JSON.parse(stdout('cursor'))).toEqual({
      permission: 'deny',
      user_message: deny.message,
      agent_message: deny.message,
    });
    expect(JSON.parse(stdout('gemini'))).toEqual({ decision: 'deny', reason: deny.message });
    expect(stdout('codex')).toBe('');
    for (const client of ['claude-code', 'cursor', 'gemini'] as const)
      expect(stdout(client)).toMatch(/^[^\n]+\n$/);
  });

  it('answers a hold as a deny: approval happens out of band', () => {
    for (const client of HOOK_CLIENTS) {
      expect(formatAnswer(client, hold)).toEqual(
        formatAnswer(client, { ...hold, verdict: 'deny' }),
      );
    }
  });

  it('never blocks with empty text: a blank reason becomes the fallback sentence', () => {
    for (const client of HOOK_CLIENTS) {
      const answer = formatAnswer(client, { verdict: 'deny', message: '  \n' });
      expect(answer.stderr).toBe('Airlock denied this call. Nothing was run.\n');
      expect(answer.exitCode).toBe(2);
    }
  });

  it('answers an allow exactly as formatPass does, whatever the message', () => {
    for (const client of HOOK_CLIENTS) {
      expect(formatAnswer(client, { verdict: 'allow', message: 'fine' })).toEqual(
        formatPass(client),
      );
    }
  });
});

describe('formatPass', () => {
  it("raises no objection: exit 0, nothing on stderr, and never an allow that skips the client's prompt", () => {
    expect(formatPass('claude-code')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(formatPass('codex')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(formatPass('cursor')).toEqual({
      stdout: '{"permission":"allow"}\n',
      stderr: '',
      exitCode: 0,
    });
    expect(formatPass('gemini')).toEqual({
      stdout: '{"decision":"allow"}\n',
      stderr: '',
      exitCode: 0,
    });
  });
});

describe('HOOK_CLIENTS and HookInputError', () => {
  it('lists each client once, in install order', () => {
    expect(HOOK_CLIENTS).toEqual(['claude-code', 'cursor', 'codex', 'gemini']);
  });

  it('is an Error named for itself, carrying its message', () => {
    const error = new HookInputError('`tool_input` is not an object');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HookInputError');
    expect(error.message).toBe('`tool_input` is not an object');
  });
});
