import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { credentialFixtures, writeFixtures } from './credential-fixtures.js';
import { verifies } from './requirements.js';

// `airlock scan` run as a user runs it (the real binary, through tsx) on a fixture repository
// with a planted credential of every supported format, a fake home of CLI logins, and near-misses.

const BIN = join(import.meta.dirname, '..', 'bin', 'airlock.js');
const fixtures = credentialFixtures();

interface Finding {
  source: string;
  location: string;
  line: number;
  rule: string;
  platform: string;
  kind: string;
  fingerprint: string;
}

function scan(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  // The environment is the test's own, stripped of anything credential-like the machine may hold.
  const result = spawnSync(process.execPath, [BIN, 'scan', ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], HOME: '/nonexistent', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let repo = '';
let home = '';
beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'h6-scan-'));
  repo = join(root, 'repo');
  home = join(root, 'home');
  mkdirSync(repo);
  mkdirSync(home);
  spawnSync('git', ['init', '-q'], { cwd: repo });
  writeFixtures(repo, home, fixtures);
  // .env files and the state are ignored, as projects do: the scan must open them anyway.
  writeFileSync(join(repo, '.gitignore'), '.env*\n!.env.example\n*.tfstate\nnode_modules/\n');
  spawnSync('git', ['add', 'config', 'scripts', '.gitignore'], { cwd: repo });
});

// Each run starts the CLI (several seconds on a loaded machine).
vi.setConfig({ testTimeout: 180_000 });

describe('airlock scan', () => {
  it('finds every planted credential, in the repository and the CLI logins of the home, and no near-miss', () => {
    verifies('scan.finds-no-near-miss');
    const run = scan(repo, ['--json', '--user-home', home, '--no-env']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { version: number; findings: Finding[] };
    expect(report.version).toBe(1);
    const found = report.findings
      .map((finding) => `${finding.location}:${finding.line} ${finding.rule} ${finding.platform}`)
      .sort();
    const expected = fixtures.plants
      .map((plant) => {
        const text = readFileSync(join(plant.home === true ? home : repo, plant.file), 'utf8');
        const line = text.split('\n').indexOf(plant.text) + 1;
        return `${plant.home === true ? '~/' : ''}${plant.file}:${line} ${plant.rule} ${plant.platform}`;
      })
      .sort();
    expect(found).toEqual(expected);
  });

  it('never prints a secret, not even in part, in text or JSON', () => {
    verifies('scan.never-prints-secret');
    for (const args of [
      ['--user-home', home, '--no-env'],
      ['--json', '--user-home', home, '--no-env'],
    ]) {
      const run = scan(repo, args);
      expect(run.status).toBe(1);
      for (const plant of fixtures.plants) {
        // Any 12 characters of a secret would already say too much.
        for (let at = 0; at + 12 <= plant.secret.length; at += 6)
          expect(run.stdout + run.stderr).not.toContain(plant.secret.slice(at, at + 12));
      }
    }
  });

  it('reports credentials in the environment by variable name, and reads the home named by AIRLOCK_SCAN_HOME', () => {
    const railway = fixtures.plants.find((plant) => plant.rule === 'railway-project-token');
    const empty = mkdtempSync(join(tmpdir(), 'h6-scan-empty-'));
    const run = scan(empty, ['--json'], {
      RAILWAY_TOKEN: railway?.secret ?? '',
      AIRLOCK_SCAN_HOME: home,
    });
    const report = JSON.parse(run.stdout) as { findings: Finding[] };
    expect(
      report.findings
        .filter((finding) => finding.source === 'environment')
        .map((finding) => [finding.location, finding.rule]),
    ).toEqual([['$RAILWAY_TOKEN', 'railway-project-token']]);
    expect(report.findings.filter((finding) => finding.source === 'home').length).toBe(
      fixtures.plants.filter((plant) => plant.home === true).length,
    );
    expect(run.stdout).not.toContain(railway?.secret);
  });

  it('exits 0 on a clean folder, 1 on findings, 2 on a path that does not exist', () => {
    const clean = mkdtempSync(join(tmpdir(), 'h6-scan-clean-'));
    writeFileSync(
      join(clean, 'README.md'),
      fixtures.nearMisses.map((miss) => miss.text).join('\n'),
    );
    const ok = scan(clean, ['--no-home', '--no-env']);
    expect([ok.status, ok.stdout]).toEqual([0, 'no provider credentials found (1 files read)\n']);
    expect(scan(clean, ['--no-home', '--no-env', join(repo, '.env')]).status).toBe(1);
    const bad = scan(clean, ['--no-home', '--no-env', 'missing-folder']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('no such file or folder: `missing-folder`');
  });

  it('fails `airlock doctor` with each stray credential as a problem, and passes it on a clean folder', () => {
    const run = spawnSync(
      process.execPath,
      [
        BIN,
        '--home',
        mkdtempSync(join(tmpdir(), 'h6-doctor-')),
        'doctor',
        '--only',
        'credentials',
        '--dir',
        repo,
        '--json',
      ],
      {
        cwd: repo,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'], HOME: home },
        timeout: 120_000,
      },
    );
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; problems: string[] };
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBe(fixtures.plants.length);
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /^credentials: \.env:1: stripe secret key, live mode \(fingerprint [0-9a-f]{8}\) an agent could read/,
      ),
    );
    for (const plant of fixtures.plants) expect(run.stdout).not.toContain(plant.secret);
    const clean = mkdtempSync(join(tmpdir(), 'h6-doctor-clean-'));
    const ok = spawnSync(
      process.execPath,
      [
        BIN,
        '--home',
        mkdtempSync(join(tmpdir(), 'h6-doctor-')),
        'doctor',
        '--only',
        'credentials',
        '--dir',
        clean,
      ],
      {
        cwd: clean,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'], HOME: clean },
        timeout: 120_000,
      },
    );
    expect([ok.status, ok.stdout]).toEqual([
      0,
      expect.stringMatching(
        /ok {3}stray credentials: none an agent could read[\s\S]*no stray credentials\n$/,
      ),
    ]);
  });
});
