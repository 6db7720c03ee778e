import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialFixtures } from './credential-fixtures.js';
import { verifies } from './requirements.js';
import { freshHome, issueShellToken, runCli } from './run-cli.js';

// Issue 24 part 3 through the real hook entry: `cat .env` that would show an agent a Stripe live
// key is held, the approver is told why (platform, file and line, fingerprint), and nothing shows the key.

const stripe = credentialFixtures().plants.find((plant) => plant.rule === 'stripe-secret-live');
const claudeInput = (command: string, cwd: string): string =>
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

describe('airlock hook and credentials', () => {
  it('holds `cat .env` when .env holds a provider credential, names the finding to the approver, and never shows the key', () => {
    verifies('hook.credential-read-held');
    const home = freshHome();
    const project = mkdtempSync(join(tmpdir(), 'h6-hook-project-'));
    mkdirSync(join(project, 'src'));
    writeFileSync(join(project, '.env'), `PORT=3000\n${stripe?.text ?? ''}\n`);
    writeFileSync(join(project, 'src', 'app.ts'), 'export {};\n');
    const env = { AIRLOCK_TOKEN: issueShellToken(home) };

    const read = runCli(['hook', 'claude-code'], {
      home,
      input: claudeInput('cat src/app.ts', project),
      env,
    });
    expect([read.status, read.stdout]).toEqual([0, '']);

    const held = runCli(['hook', 'claude-code'], {
      home,
      input: claudeInput('cat .env', project),
      env,
    });
    expect(held.status).toBe(2);
    const reason = (
      JSON.parse(held.stdout) as { hookSpecificOutput: { permissionDecisionReason: string } }
    ).hookSpecificOutput.permissionDecisionReason;
    const approval =
      /held this call for human approval \(approval (apr_\w+)/.exec(reason)?.[1] ?? '';
    expect(approval).not.toBe('');
    const shown = runCli(['approvals', 'show', approval, '--json'], { home });
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(
      /cat would reveal a stripe secret key, live mode \([^)]*\.env:2, fingerprint [0-9a-f]{8}\)/,
    );
    for (const text of [held.stdout, held.stderr, shown.stdout, shown.stderr])
      expect(text).not.toContain(stripe?.secret.slice(8, 20));

    // The file tool reads the same file: held too.
    const readTool = JSON.stringify({
      session_id: 's1',
      cwd: project,
      hook_event_name: 'PreToolUse',
      tool_name: 'Read',
      tool_input: { file_path: join(project, '.env') },
    });
    const heldRead = runCli(['hook', 'claude-code'], { home, input: readTool, env });
    expect(heldRead.status).toBe(2);
    expect(heldRead.stderr).toMatch(/held this call for human approval/);
  }, 240_000);
});
