import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHookBundle } from '../src/cli/hook-build.js';
import { verifies } from './requirements.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';

interface DoctorReport {
  ok: boolean;
  clients: { client: string; checks: { check: string; ok: boolean; detail: string }[] }[];
  problems: string[];
}

beforeAll(async () => {
  await buildHookBundle();
}, 120_000);

describe('airlock doctor', () => {
  it('proves installed hooks stop a destructive probe and allow a harmless one, recording nothing', () => {
    verifies('hook.doctor-probes');
    const home = freshHome();
    const dir = mkdtempSync(join(tmpdir(), 'airlock-project-'));
    expect(runCli(['install-hooks', '--dir', dir, '--client', 'claude-code', 'codex'], { home }).status).toBe(0);

    const healthy = runCli(['doctor', '--dir', dir, '--json'], { home });
    expect(healthy.status, healthy.stdout + healthy.stderr).toBe(0);
    const report = JSON.parse(healthy.stdout) as DoctorReport;
    expect(report.ok).toBe(true);
    expect(report.clients.map((client) => client.client)).toEqual(['claude-code', 'codex']);
    for (const client of report.clients) {
      expect(client.checks.map((check) => [check.check, check.ok])).toEqual([
        ['config', true],
        ['installed PreToolUse', true],
        ['executable', true],
        ['destructive probe', true],
        ['harmless probe', true],
      ]);
    }
    // Dry-run probes: no pending approval clutters the inbox, nothing reaches the audit log.
    const pending = runCli(['approvals', 'list', '--json'], { home });
    expect(pending.status).toBe(0);
    expect(jsonLines(pending.stdout).flatMap((line) => (Array.isArray(line) ? line : [line]))).toEqual([]);

    // Break things: Cursor without failClosed, a Gemini folder with no hook, Claude Code pointed at a broken home.
    mkdirSync(join(dir, '.cursor'));
    writeFileSync(join(dir, '.cursor', 'hooks.json'), JSON.stringify({ version: 1, hooks: {} }));
    expect(runCli(['install-hooks', '--dir', dir, '--client', 'cursor'], { home }).status).toBe(0);
    const cursorFile = join(dir, '.cursor', 'hooks.json');
    writeFileSync(cursorFile, readFileSync(cursorFile, 'utf8').replaceAll('"failClosed": true', '"failClosed": false'));
    mkdirSync(join(dir, '.gemini'));
    const claudeFile = join(dir, '.claude', 'settings.json');
    const brokenHome = join(home, 'airlock.yaml', 'nope');
    writeFileSync(claudeFile, readFileSync(claudeFile, 'utf8').replace(`--home ${home}`, `--home ${brokenHome}`));
    rmCodex(dir);

    const sick = runCli(['doctor', '--dir', dir], { home });
    expect(sick.status).toBe(1);
    expect(sick.stdout).toMatch(/cursor: fail closed: failClosed is not true for beforeShellExecution, beforeMCPExecution/);
    expect(sick.stdout).toMatch(/gemini: config: .*\.gemini\/settings\.json is missing; run: airlock install-hooks --client gemini/);
    expect(sick.stdout).toMatch(/claude-code: harmless probe: `ls` was answered: deny \(Airlock denied this call: the Airlock home .*nope does not exist/);
    expect(sick.stdout).toMatch(/codex: installed PreToolUse: no Airlock hook for PreToolUse/);

    const empty = runCli(['doctor', '--dir', mkdtempSync(join(tmpdir(), 'airlock-empty-'))], { home });
    expect([empty.status, empty.stdout]).toEqual([1, expect.stringMatching(/no agent client config/)]);
  }, 600_000);
});

/** Leaves the Codex file in place with someone else's hook only. */
function rmCodex(dir: string): void {
  writeFileSync(join(dir, '.codex', 'hooks.json'), JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'true' }] }] } }));
}
