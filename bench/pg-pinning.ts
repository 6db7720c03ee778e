/** Pinning PostgreSQL's processes to one CPU for the PostgreSQL bench, and running tools. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Runs a command to completion; its output, or an error with the output's tail. */
export function run(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${command} exited ${code}: ${out.slice(-400)}`)),
    );
  });
}

/** The postmaster's process id, from the first line of its `postmaster.pid`. */
export function postmasterPid(pidFile: string): number {
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new Error(`no process id in ${pidFile}`);
  return pid;
}

/** The postmaster and every process it forked (backends, WAL writer, checkpointer, autovacuum). */
function serverProcesses(postmaster: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The parent's id is the second field after the parenthesized command name.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === postmaster) children.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return [postmaster, ...children];
}

function allowedCpus(pid: number): string | undefined {
  try {
    return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Pins the postmaster and all its children to `cpu` (children forked later inherit it); returns
 * how many were found elsewhere, so the report shows whether the pin held.
 */
export async function pinServerTo(postmaster: number, cpu: number): Promise<number> {
  let elsewhere = 0;
  for (const pid of serverProcesses(postmaster)) {
    const allowed = allowedCpus(pid);
    if (allowed === undefined || allowed === String(cpu)) continue;
    elsewhere++;
    await run('taskset', ['-a', '-cp', String(cpu), String(pid)]).catch(() => undefined);
  }
  return elsewhere;
}
