import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
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

    const healthy = runCli(['doctor', '--dir', dir, '--only', 'hooks', '--json'], { home });
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

describe('airlock doctor: the boundary', () => {
  it('says in words what lets an agent running as this user reach the server, never a credential value', async () => {
    verifies('boundary.doctor-reports');
    const home = freshHome();
    expect(runCli(['init'], { home }).status).toBe(0);
    chmodSync(join(home, 'airlock.yaml'), 0o644);
    const socket = join(home, 'admin.sock');
    // A stand-in for the server's admin API: it knows no approvers.
    const listener = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ approvers: [] })));
    await new Promise<void>((done) => listener.listen(socket, done));
    chmodSync(socket, 0o666);
    const value = `rw_${randomBytes(12).toString('hex')}`;
    const holder = spawn('sleep', ['120'], { env: { PATH: process.env['PATH'], RAILWAY_API_TOKEN: value, DATABASE_URL: 'postgres://app@db/app' }, stdio: 'ignore' });
    try {
      // Not runCli: a synchronous child would block this process's stand-in from answering.
      const run = await runCliAsync(['--home', home, 'doctor', '--only', 'boundary', '--json']);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).not.toContain(value);
      const report = JSON.parse(run.stdout) as DoctorReport & { boundary: { check: string; ok: boolean; detail: string }[] };
      const check = (name: string) => report.boundary.find((entry) => entry.check === name);
      expect(check('home')).toMatchObject({ ok: false, detail: expect.stringContaining(`run \`chmod 600 ${join(home, 'airlock.yaml')}\``) });
      // The listener is this test's process, running as the user who runs doctor.
      expect(check('server user')).toMatchObject({ ok: false, detail: expect.stringMatching(/^the server runs as you \(.*process \d+ listening on admin\.sock\): an agent with your shell can approve for itself/) });
      expect(check('credentials in environments')).toMatchObject({ ok: false, detail: expect.stringContaining(`pid ${holder.pid} (sleep): RAILWAY_API_TOKEN;`) });
      // A DATABASE_URL without a password is no credential.
      expect(check('credentials in environments')?.detail).not.toContain(`pid ${holder.pid} (sleep): RAILWAY_API_TOKEN, DATABASE_URL`);
      expect(check('admin socket')).toMatchObject({ ok: false, detail: expect.stringContaining(`run \`chmod 660 ${socket}\``) });
      expect(check('approvers')).toMatchObject({ ok: false, detail: expect.stringContaining('no administrator with a TOTP factor') });
      expect(report.problems).toContainEqual(expect.stringMatching(/^boundary: server user: /));
    } finally {
      holder.kill();
      listener.close();
    }
  }, 120_000);
});

async function runCliAsync(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'airlock.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const status = await new Promise<number | null>((done) => child.once('close', done));
  return { status, stdout, stderr };
}

/** Leaves the Codex file in place with someone else's hook only. */
function rmCodex(dir: string): void {
  writeFileSync(join(dir, '.codex', 'hooks.json'), JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'true' }] }] } }));
}
