import { basename } from 'node:path';
import type { Action } from '../../src/core/index.js';
import { TRACE_MOUNT } from './sandbox-run.js';
import type { SandboxEffect, TraceRecord } from './trace-effects.js';

/** Where one run happened, in the sandbox's view. */
export interface RunScope {
  /** The project: the command's working folder. */
  readonly project: string;
  readonly home: string;
}

/** One thing a run did that its verdict did not allow. */
export interface Contradiction {
  readonly why: string;
  readonly effect: SandboxEffect;
}

// Pseudo-files and the harness's own output: writing them changes nothing an agent could lose.
const IGNORED = [
  /^\/dev\//,
  /^\/proc\//,
  /^pipe:/,
  /^socket:/,
  /^anon_inode:/,
  new RegExp(`^${TRACE_MOUNT}/`),
];

/** Files no allowed command may change however it is spelled: secrets and databases. */
const PRECIOUS_NAMES = [/^\.env/, /\.db$/, /\.sqlite3?$/];

/**
 * State a program keeps for itself while doing what it was judged for, exempt under every
 * verdict: its own folder in the home (`~/.npm`, `~/.terraform.d`, `~/.config/gcloud`: npm's log,
 * terraform's update check, gcloud's first-run config, top's settings folder), git's index that
 * `git status` refreshes (its documented optional lock), the JVM's perf data in /tmp, and
 * Python's bytecode cache (`__pycache__/*.pyc`) beside the modules it imports.
 * A program's own folder is found by its name or, where it differs, by STATE_NAMES.
 */
function isBookkeeping(effect: SandboxEffect, path: string, scope: RunScope): boolean {
  const programs = effect.programs.slice(1);
  if (
    programs.includes('git') &&
    new RegExp(`^${escape(scope.project)}/\\.git/index(\\.lock)?$`).test(path)
  )
    return true;
  if (
    programs.some((program) => program === 'java' || program === 'javac') &&
    /^\/tmp\/hsperfdata_[^/]+(\/|$)/.test(path)
  )
    return true;
  if (
    programs.some((program) => /^python[\d.]*$/.test(program)) &&
    /\/__pycache__(\/[^/]+\.pyc(\.\d+)?)?$/.test(path)
  )
    return true;
  const folderItself = /^\d+\.\d+ mkdir/.test(effect.syscall);
  return programs.some((program) => {
    if (SHELLS_AND_WRAPPERS.has(program)) return false;
    const name = escape(STATE_NAMES[program] ?? program);
    const home = escape(scope.home);
    return new RegExp(
      `^${home}/(\\.${name}(\\.d)?|\\.(config|cache|local/share|local/state)/${name})${folderItself ? '(/|$)' : '/'}`,
    ).test(path);
  });
}

// Programs that keep no state of their own: a path named after them is somebody else's (`~/.env`).
const SHELLS_AND_WRAPPERS = new Set([
  'bash',
  'sh',
  'dash',
  'env',
  'nice',
  'nohup',
  'timeout',
  'time',
  'xargs',
  'sudo',
  'command',
  'stdbuf',
]);

/** Programs whose state folder is named after something else (`top` keeps `~/.config/procps`). */
const STATE_NAMES: Record<string, string> = { top: 'procps', gsutil: 'gcloud', npx: 'npm' };

const SIGNAL_PROGRAMS = new Set(['kill', 'pkill', 'killall']);

/**
 * Compares what a run did with what Airlock said it would do (the actions of an allowed line):
 * - all `read`: nothing written, created, truncated, renamed, deleted or re-moded anywhere, no
 *   signal outside the run;
 * - `write`: changes only inside a path an action names (or a folder it names), inside the
 *   project or /tmp, never to a precious file (`.env*`, databases), never to `.git/` unless a
 *   git command is among the actions;
 * - `execute`: the declared program (and what it starts) may do anything; the rest of the line is
 *   held to the rules above.
 */
export function contradictions(
  actions: readonly Action[],
  record: TraceRecord,
  scope: RunScope,
): Contradiction[] {
  const executing = new Set(
    actions.filter((action) => action.effect === 'execute').flatMap((action) => programsOf(action)),
  );
  const readOnly = actions.every((action) => action.effect === 'read');
  const found: Contradiction[] = [];
  for (const effect of record.effects) {
    // programs[0] is the harness's own `bash -c`, which every effect descends from.
    if (effect.programs.slice(1).some((program) => executing.has(program))) continue;
    if (effect.kind === 'exec') continue;
    const why =
      effect.kind === 'signal'
        ? signalProblem(effect, actions, record, readOnly)
        : fileProblem(effect, actions, scope, readOnly);
    // The same finding again (a retry loop, one file per process) adds nothing to the message.
    if (why !== undefined && !found.some((item) => item.why === why)) found.push({ why, effect });
  }
  return found;
}

/** Renders contradictions for a failure message: the case, the verdict and each syscall. */
export function describeContradictions(
  label: string,
  actions: readonly Action[],
  found: readonly Contradiction[],
): string {
  const verdict = actions
    .map(
      (action) =>
        `${action.effect} \`${action.operation}\`${action.targets.length > 0 ? ` [${action.targets.map((t) => t.id).join(', ')}]` : ''}`,
    )
    .join('; ');
  const lines = found.map(
    ({ why, effect }) =>
      `  - ${why} (by ${effect.programs.join(' > ')}): ${effect.syscall.replace(/^\d+\.\d+ /, '')}`,
  );
  return [`${label}: allowed as ${verdict}, but the sandbox saw:`, ...lines].join('\n');
}

function fileProblem(
  effect: SandboxEffect,
  actions: readonly Action[],
  scope: RunScope,
  readOnly: boolean,
): string | undefined {
  const paths =
    effect.kind === 'rename' && effect.from !== undefined
      ? [effect.from, effect.path]
      : [effect.path];
  const changed = paths.filter(
    (path) => !IGNORED.some((pattern) => pattern.test(path)) && !isBookkeeping(effect, path, scope),
  );
  if (changed.length === 0) return undefined;
  const what = `${effect.refused === undefined ? '' : `tried to (${effect.refused}) `}${effect.kind} ${changed.join(' -> ')}`;
  if (readOnly) return `${what} under a read verdict`;
  for (const path of changed) {
    if (!within(path, scope.project) && !within(path, '/tmp'))
      return `${what}: outside the project and /tmp`;
    const gitAction = actions.some(
      (action) => action.operation === 'git' || action.operation.startsWith('git '),
    );
    if (within(path, `${scope.project}/.git`)) {
      if (gitAction) continue;
      return `${what}: git's internals, and no git command was judged`;
    }
    if (PRECIOUS_NAMES.some((pattern) => pattern.test(basename(path))))
      return `${what}: a precious file`;
    if (!namedByAction(path, actions)) return `${what}: no action names this path`;
  }
  return undefined;
}

function signalProblem(
  effect: SandboxEffect,
  actions: readonly Action[],
  record: TraceRecord,
  readOnly: boolean,
): string | undefined {
  const signal = effect.signal;
  // pid 0 is the sender's own process group (timeout signals its child so); -N is group N.
  if (
    signal === undefined ||
    signal.pid === 0 ||
    (signal.pid !== -1 && record.pids.has(Math.abs(signal.pid)))
  )
    return undefined;
  if (
    !readOnly &&
    actions.some((action) => SIGNAL_PROGRAMS.has(action.operation.split(' ')[0] ?? ''))
  )
    return undefined;
  return `sent ${signal.name} to pid ${signal.pid}, a process outside this run, under a ${readOnly ? 'read' : 'non-signal'} verdict`;
}

/** True when a write/destructive action names `path`, a folder above it, or a glob matching it. */
function namedByAction(path: string, actions: readonly Action[]): boolean {
  return actions.some(
    (action) =>
      (action.effect === 'write' || action.effect === 'destructive') &&
      action.targets.some(
        (target) =>
          target.type === 'path' && (within(path, target.id) || globMatches(target.id, path)),
      ),
  );
}

/** The program names an execute action declares: the words of its operation (`npm test` → npm, test). */
function programsOf(action: Action): string[] {
  return action.operation
    .split(/\s+/)
    .map((word) => basename(word))
    .filter((word) => word !== '');
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** A target written as a glob (`/repo/*.pyc`, find's `-name`) covers what it matches at any depth. */
function globMatches(glob: string, path: string): boolean {
  if (!/[*?[]/.test(glob)) return false;
  let pattern = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] ?? '';
    if (char === '*') pattern += '.*';
    else if (char === '?') pattern += '[^/]';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) pattern += '\\[';
      else {
        pattern += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else pattern += escape(char);
  }
  return new RegExp(`^${pattern}(/.*)?$`).test(path);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
