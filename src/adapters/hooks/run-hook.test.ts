import { describe, expect, it } from 'vitest';
import type { Action, Decision } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import type { HookDeps, HookJudgeRequest } from './run-hook.js';
import { HOOK_SHELL_UPSTREAM, runHook, verdictOf } from './run-hook.js';

const decision = (overrides: Partial<Decision>): Decision => ({
  id: 'dec_1',
  verdict: 'allow',
  reasons: [],
  policyIds: [],
  errors: [],
  ...overrides,
});
const claude = (tool: string, input: unknown): string =>
  JSON.stringify({
    session_id: 's',
    cwd: '/repo',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: input,
    tool_use_id: 't',
  });

const fileAction: Action = {
  upstream: HOOK_SHELL_UPSTREAM,
  surface: 'shell',
  operation: 'write',
  effect: 'write',
  reversible: false,
  targets: [{ type: 'path', id: '/repo/a.ts', attrs: {} }],
  digest: 'd'.repeat(64),
};

/** Fake wiring that records what it was asked to judge and answers with `verdict`. */
function fakeDeps(
  answer: Decision,
  overrides: Partial<HookDeps> = {},
): { deps: () => Promise<HookDeps>; judged: HookJudgeRequest[]; wired: () => number } {
  const judged: HookJudgeRequest[] = [];
  let wired = 0;
  const deps: HookDeps = {
    token: 'alk_agent',
    classifyShell: async () => [{ ...fileAction, operation: 'rm', effect: 'destructive' }],
    classifyFile: async () => [fileAction],
    classifyMcp: async () => [],
    judge: async (request) => {
      judged.push(request);
      return { decision: answer, principal: undefined };
    },
    ...overrides,
  };
  return {
    deps: async () => {
      wired++;
      return deps;
    },
    judged,
    wired: () => wired,
  };
}

describe('runHook', () => {
  it('passes a tool Airlock does not judge without wiring anything', async () => {
    const fake = fakeDeps(decision({ verdict: 'deny' }));
    expect(await runHook('claude-code', claude('TodoWrite', { todos: [] }), fake.deps)).toEqual({
      stdout: '',
      stderr: '',
      exitCode: 0,
    });
    expect(fake.wired()).toBe(0);
  });

  it("binds a shell command's approval to the exact line and folder, and answers the verdict", async () => {
    const fake = fakeDeps(decision({ verdict: 'deny', reasons: ['no deletes'] }));
    const answer = await runHook(
      'claude-code',
      claude('Bash', { command: 'rm -rf build' }),
      fake.deps,
    );
    expect(answer).toMatchObject({ exitCode: 2, stderr: 'Airlock denied this call. no deletes\n' });
    expect(fake.judged).toHaveLength(1);
    expect(fake.judged[0]).toMatchObject({
      token: 'alk_agent',
      surface: 'shell',
      digest: digestRequest({ command: 'rm -rf build', cwd: '/repo' }),
    });
  });

  it("keeps the agent's token out of what approvers are shown", async () => {
    const fake = fakeDeps(decision({ verdict: 'allow' }));
    await runHook('claude-code', claude('Bash', { command: 'echo alk_agent' }), fake.deps);
    expect(JSON.stringify(fake.judged[0]?.shown?.())).not.toContain('alk_agent');
  });

  it("judges a file edit as the shell surface, with the file classifier's actions", async () => {
    const fake = fakeDeps(decision({ verdict: 'allow' }));
    expect(
      await runHook(
        'claude-code',
        claude('Write', { file_path: '/repo/a.ts', content: 'x' }),
        fake.deps,
      ),
    ).toMatchObject({ exitCode: 0 });
    expect(fake.judged[0]).toMatchObject({ surface: 'shell', actions: [fileAction] });
  });

  it('holds PowerShell as unknown without parsing it', async () => {
    const fake = fakeDeps(decision({ verdict: 'hold', approval: { needed: 1, id: 'apr_1' } }), {
      classifyShell: async () => {
        throw new Error('must not parse PowerShell');
      },
    });
    const answer = await runHook(
      'claude-code',
      claude('PowerShell', { command: 'Remove-Item -Recurse C:\\x' }),
      fake.deps,
    );
    expect(answer.exitCode).toBe(2);
    expect(fake.judged[0]?.actions).toMatchObject([
      {
        operation: 'powershell',
        effect: 'unknown',
        targets: [{ type: 'command', id: 'Remove-Item -Recurse C:\\x' }],
      },
    ]);
  });

  it('denies without judging when the agent has no token', async () => {
    for (const token of [undefined, '']) {
      const fake = fakeDeps(decision({ verdict: 'allow' }), { token });
      const answer = await runHook(
        'codex',
        claude('Bash', { command: 'ls' }).replace('"tool_use_id":"t"', '"turn_id":"t"'),
        fake.deps,
      );
      expect(answer).toMatchObject({
        exitCode: 2,
        stderr:
          'Airlock denied this call: no Airlock token: set AIRLOCK_TOKEN for the agent. Nothing was run.\n',
      });
      expect(fake.judged).toHaveLength(0);
    }
  });

  it('judges a dry run with no token', async () => {
    const fake = fakeDeps(decision({ verdict: 'allow' }), { token: undefined, dryRun: true });
    expect(
      await runHook('claude-code', claude('Bash', { command: 'ls' }), fake.deps),
    ).toMatchObject({ exitCode: 0 });
    expect(fake.judged[0]?.token).toBe('');
  });

  it('fails closed: bad input and any failure while judging are a deny', async () => {
    const bad = await runHook(
      'claude-code',
      'not json',
      fakeDeps(decision({ verdict: 'allow' })).deps,
    );
    expect(bad.exitCode).toBe(2);
    const broken = fakeDeps(decision({ verdict: 'allow' }), {
      judge: async () => {
        throw new Error('store down: secret detail');
      },
    });
    const failed = await runHook('claude-code', claude('Bash', { command: 'ls' }), broken.deps);
    expect(failed).toMatchObject({
      exitCode: 2,
      stderr:
        'Airlock denied this call: Airlock failed while judging this call. Nothing was run.\n',
    });
  });
});

describe('verdictOf', () => {
  const of = (overrides: Partial<Decision>, dryRun = false) =>
    verdictOf({ decision: decision(overrides), principal: undefined }, dryRun);

  it('tells a held agent the approval, how many approvals, and to stop and wait', () => {
    const held = of({ verdict: 'hold', approval: { needed: 2, id: 'apr_7' } });
    expect(held.verdict).toBe('hold');
    expect(held.message).toContain('approval apr_7, 2 approvals needed');
    expect(held.message).toContain('Stop and wait');
    expect(of({ verdict: 'hold', approval: { needed: 1 } }).message).toContain(
      'approval unknown, 1 approval needed',
    );
  });

  it("says what a dry run would do, with the hold's reasons", () => {
    expect(of({ verdict: 'allow' }, true).message).toBe('Airlock would allow this call (dry run).');
    expect(of({ verdict: 'hold', reasons: ['production'] }, true).message).toBe(
      'Airlock would hold this call for human approval (dry run: no approval was created). production',
    );
  });

  it('gives a deny its reasons, or none', () => {
    expect(of({ verdict: 'deny', reasons: ['a', 'b'] })).toEqual({
      verdict: 'deny',
      message: 'Airlock denied this call. a; b',
    });
    expect(of({ verdict: 'deny' })).toEqual({
      verdict: 'deny',
      message: 'Airlock denied this call.',
    });
    expect(of({ verdict: 'allow' })).toEqual({
      verdict: 'allow',
      message: 'Airlock allowed this call.',
    });
  });
});
