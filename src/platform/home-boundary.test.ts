import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import { checkHomePlacement, checkServerUser, checkServiceHome } from './home-boundary.js';

const me = { uid: process.getuid?.() ?? 0 };

/** A home as `airlock setup` leaves it: 0710, files 0600, folders 0700. */
function privateHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'airlock-boundary-'));
  chmodSync(home, 0o710);
  writeFileSync(join(home, 'airlock.yaml'), 'version: 1\n', { mode: 0o600 });
  writeFileSync(join(home, 'airlock.db'), '', { mode: 0o600 });
  mkdirSync(join(home, 'policies'), { mode: 0o700 });
  writeFileSync(join(home, 'policies', 'default.cedar'), '', { mode: 0o600 });
  return home;
}

describe('checkServiceHome', () => {
  it('finds nothing wrong with a private home', () => {
    expect(checkServiceHome(privateHome(), [], me)).toEqual([]);
  });

  it('names each path open to other users, with the chmod that fixes it', () => {
    verifies('boundary.serve-refuses-open-home');
    const home = privateHome();
    chmodSync(join(home, 'airlock.db'), 0o644);
    chmodSync(join(home, 'policies'), 0o757);
    chmodSync(home, 0o750);
    const texts = checkServiceHome(home, [], me).map((problem) => problem.text);
    expect(texts).toEqual([
      `\`${home}\` is open to other users: its group may read (mode 0750): run \`chmod 710 ${home}\``,
      expect.stringMatching(
        new RegExp(
          `^\`${home}/airlock\\.db\` is open to other users: its group may read; others may read \\(mode 0644\\): run \`chmod 600 ${home}/airlock\\.db\`$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^\`${home}/policies\` is open to other users: its group may read, enter/run; others may read, write, enter/run \\(mode 0757\\): run \`chmod 700 ${home}/policies\`$`,
        ),
      ),
    ]);
  });

  it('lets the group of the home traverse it and reach a socket, nobody else', async () => {
    const home = privateHome();
    const socket = join(home, 'admin.sock');
    const server = createServer();
    await new Promise<void>((done) => server.listen(socket, done));
    try {
      chmodSync(socket, 0o660);
      expect(checkServiceHome(home, [], me)).toEqual([]);
      chmodSync(socket, 0o666);
      expect(checkServiceHome(home, [], me).map((problem) => problem.text)).toEqual([
        expect.stringContaining(`run \`chmod 660 ${socket}\``),
      ]);
    } finally {
      server.close();
    }
  });

  it('refuses state owned by another user, naming the chown', () => {
    const home = privateHome();
    const problems = checkServiceHome(home, [], { uid: me.uid + 4242 });
    expect(problems.map((problem) => problem.path)).toEqual(
      expect.arrayContaining([
        home,
        join(home, 'airlock.db'),
        join(home, 'policies', 'default.cedar'),
      ]),
    );
    expect(problems[0]?.text).toMatch(
      /is owned by .*not by the server's user uid \d+: run `chown -R \d+: /,
    );
  });

  it('checks paths outside the home that are named, following a named link but not walking into links', () => {
    const home = privateHome();
    const vault = mkdtempSync(join(tmpdir(), 'airlock-vault-'));
    writeFileSync(join(vault, 'snap.dump'), 'x', { mode: 0o644 });
    const elsewhere = mkdtempSync(join(tmpdir(), 'airlock-elsewhere-'));
    writeFileSync(join(elsewhere, 'open.txt'), 'x', { mode: 0o666 });
    symlinkSync(join(elsewhere, 'open.txt'), join(home, 'link'));
    const problems = checkServiceHome(home, [vault, join(home, 'missing.db-wal')], me);
    expect(problems.map((problem) => problem.path)).toEqual([join(vault, 'snap.dump')]);
  });
});

describe('checkHomePlacement', () => {
  it('refuses a home inside the working directory or a git work tree', () => {
    const project = mkdtempSync(join(tmpdir(), 'airlock-project-'));
    mkdirSync(join(project, '.git'));
    const home = join(project, '.airlock');
    mkdirSync(home);
    const texts = checkHomePlacement(home, project, me).map((problem) => problem.text);
    expect(texts).toEqual([
      expect.stringContaining(
        `the home \`${home}\` is inside the working directory \`${project}\`, the agent's workspace`,
      ),
      expect.stringContaining(`the home \`${home}\` is inside the git work tree \`${project}\``),
    ]);
    expect(texts[0]).toContain('pass --dev');
  });

  it('accepts a home elsewhere, from a service working directory of /', () => {
    const home = mkdtempSync(join(tmpdir(), 'airlock-home-'));
    expect(checkHomePlacement(home, '/', me)).toEqual([]);
  });

  it('refuses a home under a folder others may write', () => {
    const parent = mkdtempSync(join(tmpdir(), 'airlock-parent-'));
    const home = join(parent, 'home');
    mkdirSync(home);
    chmodSync(parent, 0o777);
    expect(checkHomePlacement(home, '/', me).map((problem) => problem.text)).toEqual([
      expect.stringContaining(`run \`chmod go-w ${parent}\``),
    ]);
  });
});

describe('checkServerUser', () => {
  it('refuses root unless allowed', () => {
    expect(checkServerUser({ uid: 0 }, false)[0]?.text).toMatch(/runs as root.*--allow-root/);
    expect(checkServerUser({ uid: 0 }, true)).toEqual([]);
    expect(checkServerUser({ uid: 1000 }, false)).toEqual([]);
  });
});
