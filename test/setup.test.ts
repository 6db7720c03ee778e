import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifies } from './requirements.js';
import { startServeAs } from './serve-process.js';
import { sharedCheckout } from './shared-checkout.js';
import { runCli } from './run-cli.js';

// `airlock setup` creates OS users and chowns files: only root can, so the test runs only as root.
const isRoot = process.getuid?.() === 0;
if (!isRoot)
  console.warn('test/setup.test.ts skipped: airlock setup creates OS users and needs root');

const BIN = join(import.meta.dirname, '..', 'bin', 'airlock.js');
// The project as the service user can run it (a copy when this checkout is out of its reach).
const checkout = isRoot ? sharedCheckout() : undefined;
const SHARED_BIN = checkout?.bin ?? BIN;
const suffix = randomBytes(3).toString('hex');
const service = `alksvc${suffix}`;
const admin = `alkadm${suffix}`;

afterAll(() => {
  checkout?.remove();
  if (!isRoot) return;
  for (const user of [service, admin]) spawnSync('userdel', [user]);
  for (const group of [service, admin]) spawnSync('groupdel', [group]);
});

function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

describe.skipIf(!isRoot)('airlock setup', () => {
  it('makes the service user, a private home and a unit; serve runs as that user and refuses a database others may read', async () => {
    verifies('boundary.serve-refuses-open-home');
    const parent = mkdtempSync(join(tmpdir(), 'airlock-setup-'));
    chmodSync(parent, 0o755); // the service user must reach its home, as under /var/lib
    const home = join(parent, 'home');
    const unitDir = mkdtempSync(join(tmpdir(), 'airlock-units-'));
    expect(
      spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', admin])
        .status,
    ).toBe(0);

    const dry = runCli(['setup', '--user', service, '--unit-dir', unitDir, '--dry-run'], { home });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`create system user and group ${service}`);
    expect(dry.stdout).toContain(`User=${service}\n`);
    expect(existsSync(home)).toBe(false);

    const first = runCli(
      ['setup', '--user', service, '--admin-user', admin, '--unit-dir', unitDir],
      { home },
    );
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      `runuser -u ${service} -- ${process.execPath} ${BIN} --home ${home} admin bootstrap NAME`,
    );
    // Idempotent: a second run finds everything in place, repairs modes and owners, and loads the credential files the config now names.
    writeFileSync(
      join(home, 'airlock.yaml'),
      'upstreams:\n  railway:\n    kind: graphql\n    url: http://127.0.0.1:9/graphql/v2\n    credentialFile: railway-token\n',
      { mode: 0o644 },
    );
    writeFileSync(join(home, 'credentials', 'railway-token'), 'rw_service_token\n', {
      mode: 0o644,
    });
    const again = runCli(
      ['setup', '--user', service, '--admin-user', admin, '--unit-dir', unitDir],
      { home },
    );
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain(`ok   system user ${service} exists`);

    const uid = Number(spawnSync('id', ['-u', service], { encoding: 'utf8' }).stdout.trim());
    expect(statSync(home).uid).toBe(uid);
    expect(
      [
        home,
        join(home, 'airlock.yaml'),
        join(home, 'policies'),
        join(home, 'policies', 'default.cedar'),
        join(home, 'credentials'),
        join(home, 'credentials', 'railway-token'),
      ].map(modeOf),
    ).toEqual(['710', '600', '700', '600', '700', '600']);
    expect(statSync(join(home, 'credentials', 'railway-token')).uid).toBe(uid);
    expect(spawnSync('id', ['-nG', admin], { encoding: 'utf8' }).stdout.split(/\s+/)).toContain(
      service,
    );

    const unitFile = join(unitDir, 'airlock.service');
    const unit = readFileSync(unitFile, 'utf8');
    for (const line of [
      `User=${service}`,
      `Group=${service}`,
      'UMask=0077',
      `ExecStart=${process.execPath} ${BIN} --home ${home} serve`,
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      `ReadWritePaths=${home}`,
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'Restart=on-failure',
      `LoadCredential=railway-token:${home}/credentials/railway-token`,
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    verifyUnit(unitFile);

    // As the unit would, but without systemd: the credential comes from HOME/credentials.
    const served = await startServeAs(service, SHARED_BIN, home);
    try {
      expect(served.ready?.['url'], served.stderr()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(served.ready?.['upstreams']).toEqual([
        `${String(served.ready?.['url'])}/graphql/railway`,
      ]);
      // doctor, as root, sees the server's own user behind the admin socket.
      const doctor = runCli(['doctor', '--only', 'boundary', '--json'], { home });
      const boundary = (
        JSON.parse(doctor.stdout) as { boundary: { check: string; ok: boolean; detail: string }[] }
      ).boundary;
      expect(boundary.find((check) => check.check === 'home')).toMatchObject({ ok: true });
      expect(boundary.find((check) => check.check === 'admin socket')).toMatchObject({
        ok: true,
        detail: `${join(home, 'admin.sock')} is 0660, group ${service}`,
      });
      expect(boundary.find((check) => check.check === 'server user')).toMatchObject({
        ok: true,
        detail: expect.stringMatching(
          new RegExp(
            `^the server runs as ${service} \\(uid ${uid}\\) \\(process \\d+ listening on admin\\.sock\\)`,
          ),
        ),
      });
    } finally {
      await served.stop();
    }
    const db = join(home, 'airlock.db');
    expect(statSync(db).uid).toBe(uid);
    expect(modeOf(db)).toBe('600');

    chmodSync(db, 0o644);
    const refused = await startServeAs(service, SHARED_BIN, home);
    await refused.stop();
    expect(refused.code).toBe(2);
    expect(refused.stderr()).toContain(`\`${db}\` is open to other users`);
    expect(refused.stderr()).toContain(`run \`chmod 600 ${db}\``);
  }, 180_000);

  it('serve refuses root without --allow-root', () => {
    verifies('boundary.serve-refuses-open-home');
    const home = mkdtempSync(join(tmpdir(), 'airlock-root-'));
    const run = runCli(['serve', '--port', '0'], { home });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/airlock serve runs as root.*--allow-root/);
  }, 60_000);
});

/** `systemd-analyze verify` where it exists: nothing it says about the unit may concern a key or value. */
function verifyUnit(unitFile: string): void {
  const verify = spawnSync('systemd-analyze', ['verify', unitFile], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (verify.error !== undefined) {
    console.warn(`systemd-analyze verify not run: ${verify.error.message}`);
    return;
  }
  // In a sandbox it may only miss what a booted system has (binaries, other units); those are not the unit's fault.
  const complaints = `${verify.stdout}\n${verify.stderr}`
    .split('\n')
    .filter(
      (line) =>
        line.includes(unitFile) &&
        !/is not executable|No such file or directory|not found/.test(line),
    );
  expect(complaints).toEqual([]);
}
