import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GuardSettings } from '../classify/index.js';

/** One live Airlock process (the classifier's `GuardedProcess`). */
type GuardedProcess = ReturnType<NonNullable<GuardSettings['processes']>>[number];

/**
 * What the hooks guard on this machine (issue 15 part 6): the Airlock home, the installed Airlock,
 * its service unit, every agent client's hook configuration (user, managed and, by name, any
 * folder's), and Airlock's live processes. Building it touches no file but one `existsSync`; the
 * process list is read from /proc only when a command line sends signals, and kept for a moment.
 */

/** Where the service keeps its state by default (`airlock setup`); guarded whatever home this hook uses. */
const SERVICE_HOME = '/var/lib/airlock';
/** The package folder: this file is src/platform/guard-settings.ts (bundles keep its source URL). */
const INSTALL_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** How long one scan of /proc answers for (a server judges many lines; pids change slowly). */
const PROCESS_SCAN_TTL_MS = 1000;

/** Each client's hook configuration outside any project: user files, managed and enterprise ones. */
const CLIENT_CONFIG = [
  '~/.claude/settings.json',
  '~/.claude/settings.local.json',
  '/etc/claude-code',
  '/Library/Application Support/ClaudeCode',
  '~/.cursor/hooks.json',
  '/etc/cursor',
  '/Library/Application Support/Cursor/hooks.json',
  '~/.codex/config.toml',
  '~/.codex/hooks.json',
  '/etc/codex',
  '~/.gemini/settings.json',
  '/etc/gemini-cli',
  '/Library/Application Support/GeminiCli',
];
/** The Airlock service's units (a stopped or masked service is no firewall). */
const SERVICE_UNITS = [
  '/etc/systemd/system/airlock.service',
  '/etc/systemd/system/airlock.service.d',
  '/etc/systemd/system/multi-user.target.wants/airlock.service',
  '~/.config/systemd/user/airlock.service',
];
/** Hook configuration guarded wherever it is: a project's, a copied one, one a client may start in. */
const CLIENT_CONFIG_NAMES = [
  '.claude/settings.json',
  '.claude/settings.local.json',
  '.cursor/hooks.json',
  '.codex/hooks.json',
  '.codex/config.toml',
  '.gemini/settings.json',
  '.airlock',
];
/** Names of Airlock's entry points, as a process's first words show them. */
const ENTRY_NAMES = new Set([
  'airlock',
  'airlock.js',
  'airlock-hook',
  'airlock-hook.cjs',
  'hook-main.js',
]);

/** The guard for a hook or `airlock check` judging with the Airlock home `airlockHome`. */
export function guardSettingsFor(
  airlockHome: string | undefined,
  statePaths: readonly string[] = [],
): GuardSettings {
  // The policy folder and store may be configured outside the home: they are its state all the same.
  const homes = [
    ...new Set([
      ...(airlockHome === undefined ? [] : [resolve(airlockHome)]),
      SERVICE_HOME,
      ...statePaths.map((path) => resolve(path)),
    ]),
  ];
  return {
    paths: [...homes, ...installPaths(INSTALL_ROOT), ...SERVICE_UNITS, ...CLIENT_CONFIG],
    names: CLIENT_CONFIG_NAMES,
    unreadable: homes,
    userHome: homedir(),
    processes: airlockProcesses(INSTALL_ROOT),
  };
}

/**
 * The installed Airlock: its whole folder, except in a development checkout (it has .git), where
 * only what runs is guarded (bin, the built hook, the packages), so that an agent can work on it.
 */
function installPaths(root: string): string[] {
  if (!existsSync(join(root, '.git'))) return [root];
  return ['bin', 'dist', 'node_modules', 'package.json'].map((part) => join(root, part));
}

/**
 * Airlock's live processes (Linux /proc; none elsewhere): the whole list is scanned lazily and kept
 * briefly; one pid (`kill PID`, the common case) is a single read.
 */
function airlockProcesses(root: string): (pid?: number) => readonly GuardedProcess[] {
  let cached: { at: number; processes: readonly GuardedProcess[] } | undefined;
  return (pid) => {
    if (pid !== undefined) return scanProcesses(root, '/proc', [String(pid)]);
    const now = Date.now();
    if (cached === undefined || now - cached.at > PROCESS_SCAN_TTL_MS)
      cached = { at: now, processes: scanProcesses(root) };
    return cached.processes;
  };
}

/** Reads /proc/PID/cmdline of every process (or of `pids`); those running an Airlock entry point are Airlock's. */
export function scanProcesses(
  root: string,
  proc = '/proc',
  pids?: readonly string[],
): GuardedProcess[] {
  let entries: readonly string[];
  try {
    entries = pids ?? readdirSync(proc);
  } catch {
    return [];
  }
  const found: GuardedProcess[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const words = readProc(join(proc, entry, 'cmdline'))
      ?.split('\0')
      .filter((word) => word !== '');
    if (words === undefined || !words.slice(0, 3).some((word) => isEntryPoint(word, root)))
      continue;
    const stat = readProc(join(proc, entry, 'stat')) ?? '';
    // stat: `PID (COMM) STATE PPID PGRP …`; COMM may hold spaces and parentheses, so split after the last `)`.
    const close = stat.lastIndexOf(')');
    const pgid = Number(stat.slice(close + 2).split(' ')[2]);
    found.push({
      pid: Number(entry),
      ...(Number.isInteger(pgid) ? { pgid } : {}),
      name: stat.slice(stat.indexOf('(') + 1, close),
      commandLine: words.join(' '),
    });
  }
  return found;
}

function isEntryPoint(word: string, root: string): boolean {
  return (
    ENTRY_NAMES.has(basename(word)) ||
    word.startsWith(`${join(root, 'bin')}/`) ||
    word.startsWith(`${join(root, 'dist', 'hook')}/`)
  );
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    // The process ended between the listing and the read, or is another user's.
    return undefined;
  }
}
