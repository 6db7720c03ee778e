import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHookBundle } from '../src/cli/hook/hook-build.js';
import { verifies } from './requirements.js';
import { freshHome, issueShellToken, runCli } from './run-cli.js';
import type { ServeProcess } from './serve-process.js';
import { startServe } from './serve-process.js';

const HOOK = join(import.meta.dirname, '..', 'bin', 'airlock-hook.cjs');
const NATIVE_HOOK = join(import.meta.dirname, '..', 'dist', 'hook', 'airlock-hook');

const claudeInput = (command: string, cwd = '/repo'): string =>
  JSON.stringify({
    session_id: 's1',
    transcript_path: '/tmp/t.jsonl',
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: 'run' },
    tool_use_id: 'toolu_1',
  });
const geminiMcpInput = (): string =>
  JSON.stringify({
    session_id: 's1',
    transcript_path: '/tmp/t.json',
    cwd: '/repo',
    hook_event_name: 'BeforeTool',
    timestamp: '2026-01-01T00:00:00Z',
    tool_name: 'mcp_filesystem_read_text_file',
    tool_input: { path: '/repo/README.md' },
    mcp_context: { server_name: 'filesystem', tool_name: 'read_text_file' },
  });

/** Runs the fast hook entry exactly as a client would: argv, JSON on stdin, environment. */
function hook(
  args: readonly string[],
  input: string,
  env: NodeJS.ProcessEnv,
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [HOOK, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, AIRLOCK_URL: '', AIRLOCK_TOKEN: '', ...env },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let server: ServeProcess | undefined;
let url = '';
let home = '';
let token = '';

beforeAll(async () => {
  await buildHookBundle();
  home = freshHome();
  token = issueShellToken(home);
  server = await startServe(home);
  url = server.url;
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe('the fast hook entry against airlock serve (client mode)', () => {
  it('gets the same verdicts from the server: reads allowed, destructive held with an approval id', () => {
    verifies('hook.server-mode');
    // An allow is no decision: Claude Code's own permission prompt still runs.
    const read = hook(['claude-code'], claudeInput('git status'), {
      AIRLOCK_URL: url,
      AIRLOCK_TOKEN: token,
    });
    expect([read.status, read.stdout, read.stderr]).toEqual([0, '', '']);
    const held = hook(
      ['--url', url, 'claude-code'],
      claudeInput('terraform destroy -auto-approve'),
      { AIRLOCK_TOKEN: token },
    );
    expect(held.status).toBe(2);
    expect(JSON.parse(held.stdout).hookSpecificOutput.permissionDecisionReason).toMatch(
      /held this call for human approval \(approval apr_\w+/,
    );
    const pending = runCli(['approvals', 'list', '--json'], { home });
    expect(pending.stdout).toMatch(/terraform/);
    // The server keeps the exact line and folder for approvers, as the standalone hook does.
    const id = /approval (apr_\w+)/.exec(held.stderr)?.[1] as string;
    const shown = runCli(['approvals', 'show', id, '--json'], { home });
    expect(JSON.parse(shown.stdout).request).toMatchObject({
      details: { tool: 'Bash', command: 'terraform destroy -auto-approve', cwd: '/repo' },
    });
    // Judged as the MCP proxy judges: the filesystem server's read tool.
    const mcp = hook(['gemini'], geminiMcpInput(), { AIRLOCK_URL: url, AIRLOCK_TOKEN: token });
    expect(mcp.status, mcp.stdout).not.toBe(null);
    expect(['allow', 'deny']).toContain(JSON.parse(mcp.stdout).decision);
  }, 120_000);

  it('fails closed: no token, a bad token, an unreachable server, a non-http URL', () => {
    verifies('hook.fail-closed');
    const noToken = hook(
      ['cursor'],
      JSON.stringify({
        hook_event_name: 'beforeShellExecution',
        command: 'ls',
        cwd: '/repo',
        workspace_roots: ['/repo'],
      }),
      { AIRLOCK_URL: url },
    );
    expect([noToken.status, JSON.parse(noToken.stdout).permission]).toEqual([2, 'deny']);
    const badToken = hook(['claude-code'], claudeInput('ls'), {
      AIRLOCK_URL: url,
      AIRLOCK_TOKEN: 'alk_forged',
    });
    expect([
      badToken.status,
      JSON.parse(badToken.stdout).hookSpecificOutput.permissionDecision,
    ]).toEqual([2, 'deny']);
    const down = hook(['claude-code'], claudeInput('ls'), {
      AIRLOCK_URL: 'http://127.0.0.1:9',
      AIRLOCK_TOKEN: token,
    });
    expect(down.status).toBe(2);
    expect(JSON.parse(down.stdout).hookSpecificOutput).toEqual({
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringMatching(
        /server at http:\/\/127\.0\.0\.1:9 is unreachable/,
      ),
    });
    const codexDown = hook(['codex'], claudeInput('ls'), {
      AIRLOCK_URL: 'http://127.0.0.1:9',
      AIRLOCK_TOKEN: token,
    });
    expect([codexDown.status, codexDown.stdout, codexDown.stderr]).toEqual([
      2,
      '',
      expect.stringMatching(/unreachable/),
    ]);
    const notHttp = hook(['--url', 'file:///etc/passwd', 'gemini'], claudeInput('ls'), {
      AIRLOCK_TOKEN: token,
    });
    expect([notHttp.status, JSON.parse(notHttp.stdout).decision]).toEqual([2, 'deny']);
    const noClient = hook([], claudeInput('ls'), {});
    expect([noClient.status, noClient.stderr]).toEqual([
      2,
      expect.stringMatching(/name the client/),
    ]);
    const missingHome = hook(
      ['--home', join(home, 'no', 'such'), 'claude-code'],
      claudeInput('ls'),
      { AIRLOCK_TOKEN: token },
    );
    expect([
      missingHome.status,
      JSON.parse(missingHome.stdout).hookSpecificOutput.permissionDecisionReason,
    ]).toEqual([2, expect.stringMatching(/home .* does not exist/)]);
  }, 120_000);

  it('gets the same answers through the native client, which fails closed the same way', () => {
    verifies('hook.server-mode');
    verifies('hook.fail-closed');
    const native = (args: readonly string[], input: string, env: NodeJS.ProcessEnv) => {
      const run = spawnSync(NATIVE_HOOK, args, {
        input,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...env },
        timeout: 60_000,
      });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    const read = native(['--url', url, 'claude-code'], claudeInput('git status'), {
      AIRLOCK_TOKEN: token,
    });
    const viaNode = hook(['--url', url, 'claude-code'], claudeInput('git status'), {
      AIRLOCK_TOKEN: token,
    });
    expect(read).toEqual(viaNode);
    expect([read.status, read.stdout]).toEqual([0, '']);
    const held = native(['claude-code'], claudeInput('terraform destroy -auto-approve'), {
      AIRLOCK_URL: url,
      AIRLOCK_TOKEN: token,
    });
    expect(held.status).toBe(2);
    expect(JSON.parse(held.stdout).hookSpecificOutput.permissionDecisionReason).toMatch(
      /held this call for human approval \(approval apr_\w+/,
    );
    const cursor = native(
      ['--url', url, 'cursor'],
      JSON.stringify({
        hook_event_name: 'beforeShellExecution',
        command: 'rm -rf /srv',
        cwd: '/repo',
        workspace_roots: ['/repo'],
      }),
      { AIRLOCK_TOKEN: token },
    );
    expect([cursor.status, JSON.parse(cursor.stdout).permission]).toEqual([2, 'deny']);
    // Every failure is exit 2 with the reason on stderr: each client's deny.
    for (const [args, env, why] of [
      [['--url', 'http://127.0.0.1:9', 'claude-code'], { AIRLOCK_TOKEN: token }, /unreachable/],
      [['--url', 'https://127.0.0.1:9', 'gemini'], { AIRLOCK_TOKEN: token }, /must be http/],
      [['claude-code'], { AIRLOCK_TOKEN: token }, /no Airlock server/],
      [['--url', url], { AIRLOCK_TOKEN: token }, /does not name its client/],
      [['--url', url, 'cursor', 'extra'], { AIRLOCK_TOKEN: token }, /unexpected argument/],
    ] as const) {
      const refused = native(args, claudeInput('ls'), env);
      expect([refused.status, refused.stdout, refused.stderr]).toEqual([
        2,
        '',
        expect.stringMatching(why),
      ]);
    }
    const forged = native(['--url', url, 'claude-code'], claudeInput('ls'), {
      AIRLOCK_TOKEN: 'alk_forged',
    });
    expect([
      forged.status,
      JSON.parse(forged.stdout).hookSpecificOutput.permissionDecision,
    ]).toEqual([2, 'deny']);
  }, 120_000);

  it('judges a dry run on the server without a token and without creating an approval', () => {
    const before = runCli(['approvals', 'list', '--json'], { home }).stdout;
    const dry = hook(
      ['--url', url, '--dry-run', 'claude-code'],
      claudeInput('rm -rf /srv/data'),
      {},
    );
    expect(dry.status).toBe(2);
    expect(JSON.parse(dry.stdout).hookSpecificOutput.permissionDecisionReason).toMatch(
      /would hold this call .*dry run: no approval was created/,
    );
    expect(runCli(['approvals', 'list', '--json'], { home }).stdout).toBe(before);
  }, 120_000);
});
