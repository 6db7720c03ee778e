import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHookBundle } from '../src/cli/hook/hook-build.js';
import { codexHookHash } from '../src/cli/commands/install-hooks/install-hooks-codex.js';
import { verifies } from './requirements.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';

interface DoctorReport {
  ok: boolean;
  clients: {
    client: string;
    scope: string;
    failure: { mode: string; why: string };
    checks: { check: string; ok: boolean; detail: string; warning?: boolean }[];
  }[];
  problems: string[];
  warnings: string[];
}

beforeAll(async () => {
  await buildHookBundle();
}, 120_000);

describe('airlock doctor', () => {
  it('runs each installed hook as its client would: wired, trusted, stops a destructive probe, no objection to a harmless one, and how it fails with Airlock moved away, recording nothing', async () => {
    verifies('hook.doctor-probes');
    const home = freshHome();
    const user = mkdtempSync(join(tmpdir(), 'airlock-user-'));
    const dir = mkdtempSync(join(tmpdir(), 'airlock-project-'));
    const env = {
      HOME: user,
      CODEX_HOME: '',
      CLAUDE_CONFIG_DIR: '',
      GEMINI_CLI_HOME: '',
      AIRLOCK_MANAGED_ROOT: mkdtempSync(join(tmpdir(), 'airlock-root-')),
    };
    expect(
      runCli(['install-hooks', '--dir', dir, '--client', 'claude-code', 'codex'], { home, env })
        .status,
    ).toBe(0);
    // Codex runs a user hook only once trusted (/hooks), which records the definition's hash.
    const codexFile = join(user, '.codex', 'hooks.json');
    const codexEntry = (
      JSON.parse(readFileSync(codexFile, 'utf8')) as {
        hooks: { PreToolUse: { matcher: string; hooks: { command: string; timeout: number }[] }[] };
      }
    ).hooks.PreToolUse[0];
    const trusted = codexHookHash({
      matcher: codexEntry?.matcher,
      command: codexEntry?.hooks[0]?.command as string,
      timeout: codexEntry?.hooks[0]?.timeout,
    });
    writeFileSync(
      join(user, '.codex', 'config.toml'),
      `model = "o4"\n\n[hooks.state."${codexFile}:pre_tool_use:0:0"]\ntrusted_hash = "${trusted}"\n`,
    );

    // Not runCli: doctor starts every installed hook several times, longer than runCli waits on a busy machine.
    const healthy = await runCliAsync(
      ['--home', home, 'doctor', '--dir', dir, '--only', 'hooks', '--json'],
      env,
    );
    expect(healthy.status, healthy.stdout + healthy.stderr).toBe(0);
    const report = JSON.parse(healthy.stdout) as DoctorReport;
    expect(report.ok).toBe(true);
    expect(
      report.clients.map((client) => [client.client, client.scope, client.failure.mode]),
    ).toEqual([
      ['claude-code', 'user', 'closed'],
      ['codex', 'user', 'open'],
    ]);
    const [claude, codex] = report.clients;
    expect(claude?.checks.map((check) => [check.check, check.ok])).toEqual([
      ['config', true],
      ['installed PreToolUse', true],
      ['matches PreToolUse', true],
      ['fail closed', true],
      ['hooks on', true],
      ['executable', true],
      ['destructive probe', true],
      ['harmless probe', true],
      ['with Airlock moved away', true],
    ]);
    expect(claude?.checks.at(-1)?.detail).toMatch(
      /exit code 127: Claude Code blocks the call \(onFailure: block\)/,
    );
    expect(codex?.checks.map((check) => [check.check, check.ok])).toEqual([
      ['config', true],
      ['installed PreToolUse', true],
      ['matches PreToolUse', true],
      ['fail closed', false],
      ['hooks on', true],
      ['trusted', true],
      ['executable', true],
      ['destructive probe', true],
      ['harmless probe', true],
      ['with Airlock moved away', false],
    ]);
    // Codex cannot fail closed: said, as a warning doctor cannot fix, not as a problem.
    expect(report.warnings).toEqual([
      expect.stringMatching(/^codex \(user\): fail closed: Codex has no fail-closed option/),
      expect.stringMatching(
        /^codex \(user\): with Airlock moved away: .*exit code 127: Codex runs the call \(it has no fail-closed option\)/,
      ),
    ]);
    // Dry-run probes: no pending approval clutters the inbox, nothing reaches the audit log.
    const pending = runCli(['approvals', 'list', '--json'], { home });
    expect(pending.status).toBe(0);
    expect(
      jsonLines(pending.stdout).flatMap((line) => (Array.isArray(line) ? line : [line])),
    ).toEqual([]);

    // Break things: Cursor without failClosed, Gemini's matcher narrowed to the shell, Claude Code
    // pointed at a broken home, Codex's definition changed after it was trusted, and an old entry in the project.
    expect(
      runCli(['install-hooks', '--dir', dir, '--client', 'cursor', 'gemini'], { home, env }).status,
    ).toBe(0);
    const cursorFile = join(user, '.cursor', 'hooks.json');
    writeFileSync(
      cursorFile,
      readFileSync(cursorFile, 'utf8').replaceAll('"failClosed": true', '"failClosed": false'),
    );
    const geminiFile = join(user, '.gemini', 'settings.json');
    writeFileSync(
      geminiFile,
      readFileSync(geminiFile, 'utf8').replace(
        'run_shell_command|write_file|replace|mcp_.*|read_file|read_many_files|search_file_content|grep_search',
        'run_shell_command',
      ),
    );
    const claudeFile = join(user, '.claude', 'settings.json');
    const brokenHome = join(home, 'airlock.yaml', 'nope');
    writeFileSync(
      claudeFile,
      readFileSync(claudeFile, 'utf8').replace(`--home ${home}`, `--home ${brokenHome}`),
    );
    writeFileSync(
      codexFile,
      readFileSync(codexFile, 'utf8').replace('"timeout": 30', '"timeout": 31'),
    );
    mkdirSync(join(dir, '.claude'));
    writeFileSync(
      join(dir, '.claude', 'settings.json'),
      JSON.stringify({
        hooks: {
          PreToolUse: [
            {
              matcher: 'Bash',
              hooks: [
                {
                  type: 'command',
                  command: '/usr/bin/node /opt/bin/airlock-hook.cjs --home /srv claude-code',
                },
              ],
            },
          ],
        },
      }),
    );

    const sick = await runCliAsync(
      ['--home', home, 'doctor', '--dir', dir, '--only', 'hooks'],
      env,
    );
    expect(sick.status).toBe(1);
    expect(sick.stdout).toMatch(
      /cursor \(user\): fail closed: failClosed is not true for beforeShellExecution, beforeMCPExecution, preToolUse/,
    );
    expect(sick.stdout).toMatch(
      /cursor \(user\): with Airlock moved away: .*Cursor runs the call \(no failClosed\)/,
    );
    expect(sick.stdout).toMatch(
      /gemini \(user\): matches BeforeTool: the matcher `run_shell_command` misses write_file, replace, mcp_server_tool/,
    );
    expect(sick.stdout).toMatch(
      /claude-code \(user\): harmless probe: `ls` was answered: deny \(Airlock denied this call: the Airlock home .*nope does not exist/,
    );
    expect(sick.stdout).toMatch(
      /codex \(user\): trusted: the recorded trust is for another definition/,
    );
    expect(sick.stdout).toMatch(
      /claude-code: the project file .*\.claude\/settings\.json holds an Airlock hook with this machine's paths/,
    );

    const empty = await runCliAsync(
      [
        '--home',
        home,
        'doctor',
        '--dir',
        mkdtempSync(join(tmpdir(), 'airlock-empty-')),
        '--only',
        'hooks',
      ],
      { ...env, HOME: mkdtempSync(join(tmpdir(), 'airlock-user-')) },
    );
    expect([empty.status, empty.stdout]).toEqual([
      1,
      expect.stringMatching(/no Airlock hook is installed for any client/),
    ]);
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
    const listener = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ approvers: [] })),
    );
    await new Promise<void>((done) => listener.listen(socket, done));
    chmodSync(socket, 0o666);
    const value = `rw_${randomBytes(12).toString('hex')}`;
    const holder = spawn('sleep', ['120'], {
      env: {
        PATH: process.env['PATH'],
        RAILWAY_API_TOKEN: value,
        DATABASE_URL: 'postgres://app@db/app',
      },
      stdio: 'ignore',
    });
    try {
      // Not runCli: a synchronous child would block this process's stand-in from answering.
      const run = await runCliAsync(['--home', home, 'doctor', '--only', 'boundary', '--json']);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).not.toContain(value);
      const report = JSON.parse(run.stdout) as DoctorReport & {
        boundary: { check: string; ok: boolean; detail: string }[];
      };
      const check = (name: string) => report.boundary.find((entry) => entry.check === name);
      expect(check('home')).toMatchObject({
        ok: false,
        detail: expect.stringContaining(`run \`chmod 600 ${join(home, 'airlock.yaml')}\``),
      });
      // The listener is this test's process, running as the user who runs doctor.
      expect(check('server user')).toMatchObject({
        ok: false,
        detail: expect.stringMatching(
          /^the server runs as you \(.*process \d+ listening on admin\.sock\): an agent with your shell can approve for itself/,
        ),
      });
      expect(check('credentials in environments')).toMatchObject({
        ok: false,
        detail: expect.stringContaining(`pid ${holder.pid} (sleep): RAILWAY_API_TOKEN;`),
      });
      // A DATABASE_URL without a password is no credential.
      expect(check('credentials in environments')?.detail).not.toContain(
        `pid ${holder.pid} (sleep): RAILWAY_API_TOKEN, DATABASE_URL`,
      );
      expect(check('admin socket')).toMatchObject({
        ok: false,
        detail: expect.stringContaining(`run \`chmod 660 ${socket}\``),
      });
      expect(check('approvers')).toMatchObject({
        ok: false,
        detail: expect.stringContaining('no administrator with a TOTP factor'),
      });
      expect(report.problems).toContainEqual(expect.stringMatching(/^boundary: server user: /));
    } finally {
      holder.kill();
      listener.close();
    }
  }, 120_000);
});

async function runCliAsync(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '..', 'bin', 'airlock.js'), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const status = await new Promise<number | null>((done) => child.once('close', done));
  return { status, stdout, stderr };
}
