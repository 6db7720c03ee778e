import { readFileSync, readdirSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import type { StraceArg, StraceCall } from './strace-line.js';
import { decodeCString, parseStraceLine } from './strace-line.js';

/** What one run did to the world, as the sandbox saw it: one syscall that changed something. */
export interface SandboxEffect {
  readonly kind:
    'write' | 'create' | 'truncate' | 'delete' | 'rename' | 'metadata' | 'exec' | 'signal';
  /** Absolute path in the sandbox's view (for `rename`, where it went; for `exec`, the program). */
  readonly path: string;
  /** For `rename`: where it came from, unless that was a temporary file this run made. */
  readonly from?: string;
  /** For `signal`: the pid it was sent to (in the sandbox's pid namespace) and the signal. */
  readonly signal?: { readonly pid: number; readonly name: string };
  /** Program names (basenames) exec'd by this process and its ancestors, outermost first. */
  readonly programs: readonly string[];
  /** Set when the kernel refused the attempt (EROFS, EACCES, EPERM): tried, not done. */
  readonly refused?: string;
  /** The strace line it came from. */
  readonly syscall: string;
  readonly time: number;
}

/** What the trace says about the run as a whole. */
export interface TraceRecord {
  readonly effects: readonly SandboxEffect[];
  /** Every pid of the run (signals to them stay inside the run). */
  readonly pids: ReadonlySet<number>;
}

interface Process {
  readonly pid: number;
  readonly calls: readonly StraceCall[];
}

interface RunContext {
  readonly processes: ReadonlyMap<number, Process>;
  readonly effects: SandboxEffect[];
  readonly existedBefore: (path: string) => boolean;
}

interface Walk {
  cwd: string;
  programs: string[];
}

// Errors that mean the sandbox stopped an attempt (the command tried to change something).
const REFUSALS = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * Reads `strace -ff -o DIR/t` output (one `t.PID` file a process) for a run started in `cwd`;
 * `existedBefore` says whether a path was there when the run started (so that an O_CREAT open
 * of a path that was not is a creation).
 */
export function readTrace(
  dir: string,
  cwd: string,
  existedBefore: (path: string) => boolean,
): TraceRecord {
  const processes = new Map<number, Process>();
  for (const file of readdirSync(dir)) {
    const pid = Number(/^t\.(\d+)$/.exec(file)?.[1] ?? NaN);
    if (Number.isNaN(pid)) continue;
    const calls = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .map(parseStraceLine)
      .filter((call) => call !== undefined);
    processes.set(pid, { pid, calls });
  }
  const children = new Set<number>();
  for (const process of processes.values())
    for (const call of process.calls)
      if (isFork(call) && call.result !== undefined) children.add(call.result);
  const effects: SandboxEffect[] = [];
  for (const root of [...processes.values()].filter((process) => !children.has(process.pid))) {
    walk(root, { cwd, programs: [] }, { processes, effects, existedBefore });
  }
  return {
    effects: dropTransients(effects.sort((a, b) => a.time - b.time)),
    pids: new Set(processes.keys()),
  };
}

/** Follows one process in order, handing its cwd and programs to the children it forks. */
function walk(process: Process, start: Walk, run: RunContext): void {
  const { processes, effects } = run;
  const state: Walk = { cwd: start.cwd, programs: [...start.programs] };
  for (const call of process.calls) {
    const fdcwd = call.args.find((arg) => arg.kind === 'fd' && arg.fd === 'AT_FDCWD');
    if (fdcwd?.kind === 'fd') state.cwd = fdcwd.path;
    if (isFork(call) && call.result !== undefined && call.result > 0) {
      const child = processes.get(call.result);
      if (child !== undefined) walk(child, state, run);
      continue;
    }
    const ok = call.errno === undefined;
    if (call.name === 'chdir' && ok) state.cwd = resolveIn(state.cwd, stringAt(call, 0));
    if (call.name === 'fchdir' && ok) state.cwd = fdPathAt(call, 0) ?? state.cwd;
    if ((call.name === 'execve' || call.name === 'execveat') && ok) {
      const path =
        call.name === 'execve'
          ? resolveIn(state.cwd, stringAt(call, 0))
          : atPath(call, 0, 1, state.cwd);
      state.programs.push(basename(path));
      effects.push(effectOf(call, 'exec', path, state));
      continue;
    }
    if (!ok && !REFUSALS.has(call.errno ?? '')) continue;
    for (const effect of effectsOf(call, state, run)) effects.push(effect);
  }
}

function effectsOf(call: StraceCall, state: Walk, run: RunContext): SandboxEffect[] {
  const at = (fd: number, path: number) => atPath(call, fd, path, state.cwd);
  const plain = (index: number) => resolveIn(state.cwd, stringAt(call, index));
  const one = (kind: SandboxEffect['kind'], path: string) => [effectOf(call, kind, path, state)];
  switch (call.name) {
    case 'open':
    case 'creat':
      return openEffects(
        call,
        call.name === 'creat' ? 'O_WRONLY|O_CREAT|O_TRUNC' : otherAt(call, 1),
        plain(0),
        state,
        run,
      );
    case 'openat':
      return openEffects(call, otherAt(call, 2), at(0, 1), state, run);
    case 'openat2':
      return openEffects(
        call,
        /flags=([\w|]+)/.exec(otherAt(call, 2))?.[1] ?? '',
        at(0, 1),
        state,
        run,
      );
    case 'unlink':
    case 'rmdir':
      return one('delete', plain(0));
    case 'unlinkat':
      return one('delete', at(0, 1));
    case 'rename':
      return [{ ...effectOf(call, 'rename', plain(1), state), from: plain(0) }];
    case 'renameat':
    case 'renameat2':
      return [{ ...effectOf(call, 'rename', at(2, 3), state), from: at(0, 1) }];
    case 'mkdir':
      return one('create', plain(0));
    case 'mkdirat':
    case 'mknodat':
      return one('create', at(0, 1));
    case 'mknod':
      return one('create', plain(0));
    case 'symlink':
    case 'link':
      return one('create', plain(1));
    case 'symlinkat':
      return one('create', atPath(call, 1, 2, state.cwd));
    case 'linkat':
      return one('create', at(2, 3));
    case 'truncate':
      return one('truncate', plain(0));
    case 'ftruncate':
      return one('truncate', fdPathAt(call, 0) ?? '(unknown fd)');
    case 'chmod':
    case 'chown':
    case 'lchown':
      return one('metadata', plain(0));
    case 'fchmod':
    case 'fchown':
      return one('metadata', fdPathAt(call, 0) ?? '(unknown fd)');
    case 'fchmodat':
    case 'fchownat':
      return one('metadata', at(0, 1));
    case 'bind':
      return socketEffects(call, state);
    case 'kill':
    case 'tkill':
      return signalEffect(call, 0, 1, state);
    case 'tgkill':
      return signalEffect(call, 1, 2, state);
    default:
      return [];
  }
}

function openEffects(
  call: StraceCall,
  flags: string,
  path: string,
  state: Walk,
  run: RunContext,
): SandboxEffect[] {
  const set = new Set(flags.split('|'));
  const target = call.resultPath ?? path;
  if (
    set.has('O_CREAT') &&
    call.errno === undefined &&
    (set.has('O_EXCL') || !run.existedBefore(target))
  )
    return [effectOf(call, 'create', target, state)];
  if (set.has('O_TRUNC')) return [effectOf(call, 'truncate', target, state)];
  if (set.has('O_CREAT') || set.has('O_WRONLY') || set.has('O_RDWR'))
    return [effectOf(call, 'write', target, state)];
  return [];
}

/** `bind` of a Unix socket to a path creates that file (abstract sockets, `@…`, create none). */
function socketEffects(call: StraceCall, state: Walk): SandboxEffect[] {
  const quoted = /sun_path="(?:[^"\\]|\\.)*"/.exec(otherAt(call, 1))?.[0];
  if (quoted === undefined) return [];
  const path = decodeCString(quoted.slice('sun_path='.length));
  return path === '' ? [] : [effectOf(call, 'create', resolveIn(state.cwd, path), state)];
}

function signalEffect(
  call: StraceCall,
  pidIndex: number,
  signalIndex: number,
  state: Walk,
): SandboxEffect[] {
  const pid = Number(otherAt(call, pidIndex));
  const name = otherAt(call, signalIndex);
  if (name === '0') return []; // signal 0 only asks whether the process exists
  return [{ ...effectOf(call, 'signal', `pid ${pid}`, state), signal: { pid, name } }];
}

function effectOf(
  call: StraceCall,
  kind: SandboxEffect['kind'],
  path: string,
  state: Walk,
): SandboxEffect {
  return {
    kind,
    path,
    programs: [...state.programs],
    syscall: call.raw,
    time: call.time,
    ...(call.errno !== undefined ? { refused: call.errno } : {}),
  };
}

/**
 * A file this run created new (O_EXCL, mkdir, O_CREAT where nothing was) and then deleted or renamed away is scaffolding
 * (sed -i's temporary file, git's lock): it leaves nothing behind, so only the rename's
 * destination counts.
 */
function dropTransients(effects: readonly SandboxEffect[]): SandboxEffect[] {
  const fresh = new Set<string>();
  const transient = new Set<SandboxEffect>();
  const creations = new Map<string, SandboxEffect>();
  const kept: SandboxEffect[] = [];
  for (const effect of effects) {
    if (effect.refused !== undefined) {
      kept.push(effect);
      continue;
    }
    if (effect.kind === 'create' && !fresh.has(effect.path)) {
      fresh.add(effect.path);
      creations.set(effect.path, effect);
    }
    const gone =
      effect.kind === 'delete' ? effect.path : effect.kind === 'rename' ? effect.from : undefined;
    if (gone !== undefined && fresh.has(gone)) {
      fresh.delete(gone);
      const creation = creations.get(gone);
      // Everything done to the scratch file since it was made (its mode, its content) goes with it.
      for (const earlier of kept)
        if (earlier.path === gone && earlier.time >= (creation?.time ?? 0)) transient.add(earlier);
      if (effect.kind === 'delete') continue;
      const { from: _from, ...rest } = effect;
      kept.push(rest);
      continue;
    }
    kept.push(effect);
  }
  return kept.filter((effect) => !transient.has(effect));
}

function isFork(call: StraceCall): boolean {
  return ['clone', 'clone3', 'fork', 'vfork'].includes(call.name);
}

function stringAt(call: StraceCall, index: number): string {
  const arg: StraceArg | undefined = call.args[index];
  return arg?.kind === 'string' ? arg.text : '';
}

function otherAt(call: StraceCall, index: number): string {
  const arg = call.args[index];
  return arg === undefined ? '' : arg.kind === 'other' || arg.kind === 'string' ? arg.text : arg.fd;
}

function fdPathAt(call: StraceCall, index: number): string | undefined {
  const arg = call.args[index];
  return arg?.kind === 'fd' ? arg.path : undefined;
}

/** A `*at` call's path: absolute as given, else relative to its directory fd (or the cwd). */
function atPath(call: StraceCall, fdIndex: number, pathIndex: number, cwd: string): string {
  return resolveIn(fdPathAt(call, fdIndex) ?? cwd, stringAt(call, pathIndex));
}

function resolveIn(dir: string, path: string): string {
  return posix.resolve(dir, path);
}
