import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { SANDBOX_HOME } from './seed-project.js';
import type { TraceRecord } from './trace-effects.js';
import { readTrace } from './trace-effects.js';

/** Where strace writes inside the sandbox; the harness's own files, never a command's effect. */
export const TRACE_MOUNT = '/run/airlock-trace';

/** How long one command may run before the sandbox is killed. */
export const SANDBOX_TIME_LIMIT_MS = 5_000;

/** The syscalls recorded: everything that changes a file (a Unix socket's `bind` makes one), runs a program or sends a signal, and what places paths. */
const TRACED = [
  'open',
  'openat',
  'openat2',
  'creat',
  'truncate',
  'ftruncate',
  'unlink',
  'unlinkat',
  'rmdir',
  'rename',
  'renameat',
  'renameat2',
  'mkdir',
  'mkdirat',
  'mknod',
  'mknodat',
  'symlink',
  'symlinkat',
  'link',
  'linkat',
  'chmod',
  'fchmod',
  'fchmodat',
  'chown',
  'fchown',
  'lchown',
  'fchownat',
  'bind',
  'execve',
  'execveat',
  'kill',
  'tkill',
  'tgkill',
  'chdir',
  'fchdir',
  'clone',
  'clone3',
  'fork',
  'vfork',
].join(',');

/** What one sandboxed run did. */
export interface SandboxRun {
  readonly status: number | null;
  readonly timedOut: boolean;
  readonly stderr: string;
  readonly trace: TraceRecord;
}

/** Why the sandbox cannot start on this machine, or undefined when it can. */
export function sandboxUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the sandbox needs Linux (bubblewrap and strace)';
  for (const [tool, pkg] of [
    ['bwrap', 'bubblewrap'],
    ['strace', 'strace'],
    ['git', 'git'],
  ]) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      return `\`${tool}\` is not installed (Debian: apt-get install ${pkg})`;
  }
  const probe = spawnSync(
    'bwrap',
    [
      ...baseArgs(),
      '/usr/bin/strace',
      '-f',
      '--seccomp-bpf',
      '-qq',
      '-e',
      'trace=execve',
      '-o',
      '/dev/null',
      '/bin/true',
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  if (probe.status !== 0)
    return `bubblewrap with strace cannot start here (${(probe.stderr || probe.error?.message || 'no output').trim().split('\n')[0]}): needs root or unprivileged user namespaces, and ptrace`;
  return undefined;
}

/** Where the seed is mounted read-only inside the sandbox, to be copied into its private folders. */
const SEED_MOUNT = '/run/airlock-seed';

/** The seed every run starts from: a project and a home folder on the host. */
export interface Seed {
  readonly project: string;
  readonly home: string;
}

/**
 * Runs `command` with bash in a sandbox: a private copy of the seed's project at `cwd` and of its
 * home at SANDBOX_HOME (both in memory, gone with the sandbox), a private /tmp, the host's /usr
 * and /etc read-only, no network, a pid namespace of its own, killed after `timeLimitMs`.
 * `strace -f` records every process's file and process syscalls into `traceDir` (empty, on the host).
 */
export function runInSandbox(
  command: string,
  cwd: string,
  seed: Seed,
  traceDir: string,
  timeLimitMs = SANDBOX_TIME_LIMIT_MS,
): Promise<SandboxRun> {
  const strace = [
    '/usr/bin/strace',
    '-ff',
    '--seccomp-bpf',
    '-ttt',
    '-qq',
    '-y',
    '-s',
    '65535',
    '-e',
    'signal=none',
    '-e',
    `trace=${TRACED}`,
    '-o',
    `${TRACE_MOUNT}/t`,
  ];
  // The copy runs before strace starts, so it is not part of the record.
  const setup = `cp -a ${SEED_MOUNT}/project/. "$1" && cp -a ${SEED_MOUNT}/home/. "$2" && shift 2 && exec "$@"`;
  const args = [
    ...baseArgs(),
    '--ro-bind',
    seed.project,
    `${SEED_MOUNT}/project`,
    '--ro-bind',
    seed.home,
    `${SEED_MOUNT}/home`,
    '--tmpfs',
    cwd,
    '--tmpfs',
    SANDBOX_HOME,
    '--bind',
    traceDir,
    TRACE_MOUNT,
    '--chdir',
    cwd,
    '/bin/sh',
    '-c',
    setup,
    'sh',
    cwd,
    SANDBOX_HOME,
    ...strace,
    '--',
    '/bin/bash',
    '-c',
    command,
  ];
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: SANDBOX_HOME,
    USER: 'agent',
    LANG: 'C.UTF-8',
    TERM: 'dumb',
  };
  return new Promise((resolve) => {
    const child = spawn('bwrap', args, {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: timeLimitMs,
      killSignal: 'SIGKILL',
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4_000) stderr += chunk.toString('utf8');
    });
    child.on('close', (status, signal) => {
      resolve({
        status,
        timedOut: signal === 'SIGKILL',
        stderr,
        trace: readTrace(traceDir, cwd, seededPath(seed, cwd)),
      });
    });
  });
}

/** Whether a path of the sandbox's view was there when a run started: the seed's files, the host's read-only folders. */
function seededPath(seed: Seed, cwd: string): (path: string) => boolean {
  const roots: [string, string][] = [
    [cwd, seed.project],
    [SANDBOX_HOME, seed.home],
  ];
  return (path) => {
    for (const [inside, host] of roots) {
      if (path === inside || path.startsWith(`${inside}/`))
        return existsSync(host + path.slice(inside.length));
    }
    return !(path === '/tmp' || path.startsWith('/tmp/')) && existsSync(path);
  };
}

/** The sandbox without its project: system folders read-only, private /tmp, /proc, /dev, no network. */
function baseArgs(): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session'];
  for (const dir of ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    if (!existsSync(dir)) continue;
    if (lstatSync(dir).isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else args.push('--ro-bind', dir, dir);
  }
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--dir', '/run');
  return args;
}
