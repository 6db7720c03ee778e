import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyShellCommand } from '../classify/index.js';
import { guardSettingsFor, scanProcesses } from './guard-settings.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const hasProc = existsSync('/proc/self/cmdline');

describe('guardSettingsFor', () => {
  it("guards the home (also from reads), the service home, what runs of this checkout, and every client's hook configuration", () => {
    const guard = guardSettingsFor('relative-home');
    const home = resolve('relative-home');
    expect(guard.paths).toEqual(
      expect.arrayContaining([
        home,
        '/var/lib/airlock',
        '~/.claude/settings.json',
        '~/.claude/settings.local.json',
        '/etc/claude-code',
        '~/.cursor/hooks.json',
        '/etc/cursor',
        '~/.codex/config.toml',
        '~/.codex/hooks.json',
        '/etc/codex',
        '~/.gemini/settings.json',
        '/etc/gemini-cli',
        '/etc/systemd/system/airlock.service',
      ]),
    );
    expect(guard.unreadable).toEqual([home, '/var/lib/airlock']);
    expect(guard.names).toEqual(
      expect.arrayContaining([
        '.claude/settings.json',
        '.claude/settings.local.json',
        '.cursor/hooks.json',
        '.codex/hooks.json',
        '.codex/config.toml',
        '.gemini/settings.json',
      ]),
    );
    expect(guard.userHome).toBe(homedir());
    // A development checkout (this one has .git): what runs is guarded, its sources stay editable.
    expect(guard.paths).toEqual(
      expect.arrayContaining([
        join(ROOT, 'bin'),
        join(ROOT, 'dist'),
        join(ROOT, 'node_modules'),
        join(ROOT, 'package.json'),
      ]),
    );
    expect(guard.paths).not.toContain(ROOT);
  });
});

describe.skipIf(!hasProc)('Airlock processes from /proc', () => {
  const folder = mkdtempSync(join(tmpdir(), 'airlock-guard-'));
  const entry = join(folder, 'airlock-hook');
  writeFileSync(entry, '#!/bin/sh\nsleep 30\n');
  chmodSync(entry, 0o755);
  const child = spawn('/bin/sh', [entry], { stdio: 'ignore' });
  afterAll(() => {
    child.kill();
  });

  it('finds a live process running an Airlock entry point, with its name and group', async () => {
    await new Promise((done) => setTimeout(done, 200));
    const found = scanProcesses(ROOT).find((process) => process.pid === child.pid);
    expect(found).toMatchObject({ pid: child.pid, name: 'sh', commandLine: `/bin/sh ${entry}` });
    expect(typeof found?.pgid).toBe('number');
    expect(
      scanProcesses(ROOT).some(
        (process) => process.pid === globalThis.process.pid && !/airlock/.test(process.commandLine),
      ),
    ).toBe(false);
  });

  it('denies `kill PID` of that process and leaves `kill` of another pid alone', async () => {
    const guard = guardSettingsFor('/tmp/home');
    const guardedIn = async (command: string) =>
      (await classifyShellCommand(command, '/tmp', 'shell', { guard })).some((action) =>
        action.targets.some((target) => target.type === 'airlock-guarded'),
      );
    expect(await guardedIn(`kill -9 ${child.pid}`)).toBe(true);
    expect(await guardedIn(`kill ${globalThis.process.pid}`)).toBe(false);
  });

  it("looks one pid up with a single read: Airlock's, or nothing", () => {
    const guard = guardSettingsFor('/tmp/home');
    expect(guard.processes?.(child.pid).map((process) => process.pid)).toEqual([child.pid]);
    expect(guard.processes?.(globalThis.process.pid)).toEqual([]);
  });

  it('returns nothing where there is no /proc', () => {
    expect(scanProcesses(ROOT, join(folder, 'no-proc'))).toEqual([]);
  });
});
