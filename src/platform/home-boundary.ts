import type { Stats } from 'node:fs';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One thing that lets another user (or the agent) reach the server's state, with its fix. */
export interface BoundaryProblem {
  /** The path concerned; undefined for problems of the process (running as root). */
  readonly path: string | undefined;
  /** In words: the path, what is wrong and the command that fixes it. */
  readonly text: string;
}

/** Who the server is. */
export interface ServerIdentity {
  /** The uid the server runs as; every state path must be owned by it. */
  readonly uid: number;
}

/** Walking a folder stops after this many entries; beyond it the check says so. */
const MAX_ENTRIES_PER_FOLDER_TREE = 20_000;

const GROUP_OTHER = 0o077;
const GROUP_EXECUTE = 0o010;
const STICKY = 0o1000;

/**
 * Checks the server's home and the state paths it reads outside it (policy folder, database,
 * vault folders, credential files): each must be owned by the server's uid, nothing may be
 * writable by group or others, and nothing readable by them, except that the home itself may
 * give its group execute (0710, so group `airlock` reaches `HOME/admin.sock`) and a socket may
 * give its group read and write (0660). Folders are walked; symbolic links inside them are not
 * followed, the paths named explicitly are. Paths that do not exist yet are skipped: the server
 * creates them private (umask 077).
 */
export function checkServiceHome(
  home: string,
  paths: readonly string[],
  server: ServerIdentity,
): BoundaryProblem[] {
  const names = new UserNames();
  const problems: BoundaryProblem[] = [];
  const seen = new Set<string>();
  const homePath = resolve(home);
  const homeStats = statOrUndefined(homePath);
  if (homeStats !== undefined) {
    problems.push(...checkEntry(homePath, homeStats, 'home', server, names));
    seen.add(homePath);
    if (homeStats.isDirectory()) problems.push(...walk(homePath, server, names, seen));
  }
  for (const path of paths.map((p) => resolve(p))) {
    if (seen.has(path)) continue;
    const stats = statOrUndefined(path);
    if (stats === undefined) continue;
    seen.add(path);
    problems.push(...checkEntry(path, stats, 'entry', server, names));
    if (stats.isDirectory()) problems.push(...walk(path, server, names, seen));
  }
  return problems;
}

/**
 * Checks where the home sits: not inside the working directory nor a git work tree (the agent's
 * workspace), and under folders only root or the server may change (whoever may rename a parent
 * may put another home in its place). A working directory of `/` (a service's) counts as none.
 */
export function checkHomePlacement(
  home: string,
  cwd: string,
  server: ServerIdentity,
): BoundaryProblem[] {
  const names = new UserNames();
  const homePath = resolve(home);
  const problems: BoundaryProblem[] = [];
  const workspaceFix =
    'keep the home outside any project (`airlock setup` makes /var/lib/airlock), or pass --dev for a local trial';
  const fromCwd = relative(resolve(cwd), homePath);
  if (resolve(cwd) !== sep && !fromCwd.startsWith('..') && !fromCwd.startsWith(sep)) {
    problems.push({
      path: homePath,
      text: `the home \`${homePath}\` is inside the working directory \`${resolve(cwd)}\`, the agent's workspace: ${workspaceFix}`,
    });
  }
  const tree = gitWorkTreeOf(homePath);
  if (tree !== undefined) {
    problems.push({
      path: homePath,
      text: `the home \`${homePath}\` is inside the git work tree \`${tree}\`, an agent's workspace: ${workspaceFix}`,
    });
  }
  for (let folder = dirname(homePath); ; folder = dirname(folder)) {
    const stats = statOrUndefined(folder);
    if (stats !== undefined) {
      if (stats.uid !== 0 && stats.uid !== server.uid) {
        problems.push({
          path: folder,
          text: `\`${folder}\`, a parent of the home, is owned by ${names.of(stats.uid)}, who can move the home aside and put another in its place: keep the home under folders root owns (such as /var/lib)`,
        });
      } else if ((stats.mode & 0o022) !== 0 && (stats.mode & STICKY) === 0) {
        problems.push({
          path: folder,
          text: `\`${folder}\`, a parent of the home, is writable by ${whoWrites(stats.mode)}, who can move the home aside: run \`chmod go-w ${folder}\``,
        });
      }
    }
    if (folder === dirname(folder)) break;
  }
  return problems;
}

/** Refuses root unless allowed: a flaw in any surface would then own the machine. */
export function checkServerUser(server: ServerIdentity, allowRoot: boolean): BoundaryProblem[] {
  if (server.uid !== 0 || allowRoot) return [];
  return [
    {
      path: undefined,
      text: 'airlock serve runs as root, so a flaw in any surface would own the machine: run it as the service user (`airlock setup`, then `systemctl start airlock`), or pass --allow-root',
    },
  ];
}

/** The git work tree a path is inside (the folder holding `.git`), if any. */
export function gitWorkTreeOf(path: string): string | undefined {
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    if (existsSync(join(folder, '.git'))) return folder;
    if (folder === dirname(folder)) return undefined;
  }
}

function walk(
  root: string,
  server: ServerIdentity,
  names: UserNames,
  seen: Set<string>,
): BoundaryProblem[] {
  const problems: BoundaryProblem[] = [];
  const pending = [root];
  let count = 0;
  while (pending.length > 0) {
    const folder = pending.pop() ?? root;
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch (error) {
      problems.push({
        path: folder,
        text: `\`${folder}\` cannot be listed (${codeOf(error)}): run \`chown -R ${names.login(server.uid)}: ${folder}\``,
      });
      continue;
    }
    for (const name of entries) {
      const path = join(folder, name);
      if (seen.has(path)) continue;
      seen.add(path);
      if (++count > MAX_ENTRIES_PER_FOLDER_TREE) {
        problems.push({
          path: root,
          text: `\`${root}\` holds more than ${MAX_ENTRIES_PER_FOLDER_TREE} entries; only the first were checked`,
        });
        return problems;
      }
      const stats = lstatSync(path, { throwIfNoEntry: false });
      // SECURITY: links are not followed while walking; what they point at is not the server's state.
      if (stats === undefined || stats.isSymbolicLink()) continue;
      problems.push(...checkEntry(path, stats, 'entry', server, names));
      if (stats.isDirectory()) pending.push(path);
    }
  }
  return problems;
}

function checkEntry(
  path: string,
  stats: Stats,
  role: 'home' | 'entry',
  server: ServerIdentity,
  names: UserNames,
): BoundaryProblem[] {
  const problems: BoundaryProblem[] = [];
  if (stats.uid !== server.uid) {
    problems.push({
      path,
      text: `\`${path}\` is owned by ${names.of(stats.uid)}, not by the server's user ${names.of(server.uid)}: run \`chown ${stats.isDirectory() ? '-R ' : ''}${names.login(server.uid)}: ${path}\``,
    });
  }
  // What group and others may do beyond the allowed: the home's group may traverse, a socket's group read and write.
  const allowed =
    role === 'home' && stats.isDirectory() ? GROUP_EXECUTE : stats.isSocket() ? 0o060 : 0;
  const excess = stats.mode & GROUP_OTHER & ~allowed;
  if (excess !== 0) {
    const target =
      role === 'home' ? '710' : stats.isDirectory() ? '700' : stats.isSocket() ? '660' : '600';
    problems.push({
      path,
      text: `\`${path}\` ${accessWords(excess)} (mode ${octal(stats.mode)}): run \`chmod ${target} ${path}\``,
    });
  }
  return problems;
}

/** "is readable by group and others", "is writable by others and readable by group", … */
function accessWords(bits: number): string {
  const can = (shift: number): string[] => [
    ...((bits >> shift) & 4 ? ['read'] : []),
    ...((bits >> shift) & 2 ? ['write'] : []),
    ...((bits >> shift) & 1 ? ['enter/run'] : []),
  ];
  const group = can(3);
  const others = can(0);
  const parts = [
    ...(group.length > 0 ? [`its group may ${group.join(', ')}`] : []),
    ...(others.length > 0 ? [`others may ${others.join(', ')}`] : []),
  ];
  return `is open to other users: ${parts.join('; ')}`;
}

function whoWrites(mode: number): string {
  return [...(mode & 0o020 ? ['its group'] : []), ...(mode & 0o002 ? ['others'] : [])].join(
    ' and ',
  );
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** Names of uids from /etc/passwd, for messages; the number when there is none. */
class UserNames {
  #table: Map<number, string> | undefined;

  /** "airlock (uid 998)" or "uid 1234". */
  of(uid: number): string {
    const name = this.#names().get(uid);
    return name === undefined ? `uid ${uid}` : `${name} (uid ${uid})`;
  }

  /** What `chown` takes: the name, else the number. */
  login(uid: number): string {
    return this.#names().get(uid) ?? String(uid);
  }

  #names(): Map<number, string> {
    if (this.#table !== undefined) return this.#table;
    this.#table = new Map();
    try {
      for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const [name, , uid] = line.split(':');
        if (
          name !== undefined &&
          uid !== undefined &&
          /^\d+$/.test(uid) &&
          !this.#table.has(Number(uid))
        )
          this.#table.set(Number(uid), name);
      }
    } catch {
      // No passwd file (a minimal container): numbers it is.
    }
    return this.#table;
  }
}
