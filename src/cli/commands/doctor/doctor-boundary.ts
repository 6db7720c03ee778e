import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { LoadedConfig } from '../../../config/index.js';
import { loadConfig, resolveHome } from '../../../config/index.js';
import { checkHomePlacement, checkServiceHome } from '../../../platform/index.js';
import { adminSocketPath, withAdmin } from '../../admin-client.js';
import type { DoctorCheck } from './doctor-command.js';
import { statePathsOf } from '../../../server/index.js';
import { SERVICE_HOME } from '../setup-command.js';

/** Variables that hold a credential wherever they are set, besides those the config names. */
export const WELL_KNOWN_SECRET_VARIABLES = [
  'RAILWAY_API_TOKEN',
  'RAILWAY_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'STRIPE_SECRET_KEY',
  'GITHUB_TOKEN',
  'PGPASSWORD',
  'DATABASE_URL',
  'AIRLOCK_APPROVER_CREDENTIAL',
];

/**
 * The home doctor looks at: `--home` or $AIRLOCK_HOME when given, else the service home when
 * it exists (`airlock setup`), else ./.airlock.
 */
export function doctorHomeOf(command: Command, env: NodeJS.ProcessEnv): string {
  const flag = command.optsWithGlobals<{ home?: string }>().home;
  if (flag === undefined && env['AIRLOCK_HOME'] === undefined && existsSync(SERVICE_HOME))
    return SERVICE_HOME;
  return resolveHome(flag, env);
}

/**
 * The boundary, in words: the home's owner and modes, who the server runs as against who runs
 * doctor, credentials in environments this user can read, the admin socket's permissions, and
 * whether an administrator and an approver with a second factor exist. `project` is the agent's
 * workspace, where the home must not be.
 */
export async function checkBoundary(
  command: Command,
  home: string,
  project: string,
): Promise<DoctorCheck[]> {
  if (!existsSync(home))
    return [
      {
        check: 'home',
        ok: false,
        detail: `no Airlock home at ${home}: make the service one with \`airlock setup\` (or name it with --home)`,
      },
    ];
  const loaded = loadConfig(home);
  if (!loaded.ok)
    return [
      { check: 'home', ok: false, detail: `invalid configuration: ${loaded.error.join('; ')}` },
    ];
  const server = serverOf(home);
  const me = process.getuid?.() ?? -1;
  const problems = [
    ...checkHomePlacement(home, project, { uid: server.uid }),
    ...checkServiceHome(home, statePathsOf(loaded.value, process.env), { uid: server.uid }),
  ];
  return [
    {
      check: 'home',
      ok: problems.length === 0,
      detail:
        problems.length === 0
          ? `${home} and what the server reads are private to ${server.name} (home 0710 at most, folders 0700, files 0600)`
          : problems.map((problem) => problem.text).join('; '),
    },
    serverUserCheck(server, me),
    environmentCheck(loaded.value),
    socketCheck(home),
    await approversCheck(command, home),
  ];
}

interface ServerUser {
  readonly uid: number;
  readonly name: string;
  /** How the server was found: its process, or the home's owner. */
  readonly by: string;
}

/** The user of the process listening on HOME/admin.sock when it can be seen, else the home's owner. */
function serverOf(home: string): ServerUser {
  const pid = listenerOf(adminSocketPath(home));
  const uid = pid === undefined ? undefined : processUid(pid);
  if (pid !== undefined && uid !== undefined)
    return { uid, name: userName(uid), by: `process ${pid} listening on admin.sock` };
  const owner = statSync(home).uid;
  return { uid: owner, name: userName(owner), by: 'the owner of the home' };
}

function serverUserCheck(server: ServerUser, me: number): DoctorCheck {
  if (server.uid === me) {
    return {
      check: 'server user',
      ok: false,
      detail: `the server runs as you (${server.name}, ${server.by}): an agent with your shell can approve for itself, read the database and the credentials; run it as its own user (\`airlock setup\`, docs/deployment.md)`,
    };
  }
  if (server.uid === 0)
    return {
      check: 'server user',
      ok: false,
      detail: `the server runs as root (${server.by}): run it as its own user (\`airlock setup\`)`,
    };
  return {
    check: 'server user',
    ok: true,
    detail: `the server runs as ${server.name} (${server.by}); you are ${userName(me)}`,
  };
}

/** Processes whose environment this user can read and that hold a credential: pid and variable names only. */
function environmentCheck(loaded: LoadedConfig): DoctorCheck {
  const names = new Set([...WELL_KNOWN_SECRET_VARIABLES, ...configuredVariables(loaded)]);
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter(
    (entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid,
  )) {
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // another user's process: not readable by this one, nor by an agent running as it
    }
    // SECURITY: values are looked at only to see that they are set; never kept or shown.
    const held = environ.split('\0').flatMap((entry) => {
      const at = entry.indexOf('=');
      const name = entry.slice(0, at);
      const value = entry.slice(at + 1);
      if (at <= 0 || !names.has(name) || value.trim() === '') return [];
      if (name === 'DATABASE_URL' && !/^[a-z][a-z0-9+.-]*:\/\/[^/@:]*:[^/@]+@/i.test(value))
        return [];
      return [name];
    });
    if (held.length > 0) found.push(`pid ${pid} (${commandName(pid)}): ${held.join(', ')}`);
  }
  if (found.length === 0)
    return {
      check: 'credentials in environments',
      ok: true,
      detail: 'no process this user can read holds a credential in its environment',
    };
  const shown =
    found.length > 20 ? [...found.slice(0, 20), `and ${found.length - 20} more`] : found;
  return {
    check: 'credentials in environments',
    ok: false,
    detail: `readable by an agent running as this user: ${shown.join('; ')}; move them to credential files of the service (credentialFile, docs/deployment.md)`,
  };
}

function configuredVariables(loaded: LoadedConfig): string[] {
  const names: string[] = [];
  const add = (section: object): void => {
    for (const [key, value] of Object.entries(section))
      if (key.endsWith('Env') && typeof value === 'string') names.push(value);
  };
  for (const upstream of Object.values(loaded.config.upstreams)) {
    add(upstream);
    if (upstream.kind === 'http' && upstream.aws !== undefined) add(upstream.aws);
    if (upstream.kind === 'mcp') names.push(...upstream.env);
  }
  for (const endpoint of Object.values(loaded.config.webhooks.endpoints)) add(endpoint);
  return names;
}

/** HOME/admin.sock: a socket, 0660, in the home's group, nothing for others. */
function socketCheck(home: string): DoctorCheck {
  const socket = adminSocketPath(home);
  const stats = lstatSync(socket, { throwIfNoEntry: false });
  if (stats === undefined)
    return {
      check: 'admin socket',
      ok: true,
      detail: `no ${socket}: no server owns this home now`,
    };
  const mode = stats.mode & 0o777;
  const group = statSync(home).gid;
  const wrong = [
    ...(stats.isSocket() ? [] : ['is not a socket']),
    ...(mode & 0o007
      ? [`others may use it (mode 0${mode.toString(8)}): run \`chmod 660 ${socket}\``]
      : []),
    ...(stats.gid === group
      ? []
      : [
          `its group is ${groupName(stats.gid)}, not the home's ${groupName(group)}: run \`chgrp ${groupName(group)} ${socket}\``,
        ]),
  ];
  return wrong.length === 0
    ? {
        check: 'admin socket',
        ok: true,
        detail: `${socket} is 0${mode.toString(8)}, group ${groupName(stats.gid)}`,
      }
    : { check: 'admin socket', ok: false, detail: `${socket} ${wrong.join('; ')}` };
}

async function approversCheck(command: Command, home: string): Promise<DoctorCheck> {
  const served = existsSync(adminSocketPath(home));
  // Never create a store to look: only a running server (its socket) or an existing database is asked.
  if (!served && !existsSync(join(home, 'airlock.db'))) {
    return {
      check: 'approvers',
      ok: false,
      detail:
        'no store yet: bootstrap the first administrator as the service user (`airlock admin bootstrap NAME`)',
    };
  }
  // SECURITY: opening the database as another user would leave its WAL files owned by that user.
  if (!served && statSync(home).uid !== process.getuid?.()) {
    return {
      check: 'approvers',
      ok: true,
      detail: 'not checked: no server runs, and only the service user may open its database',
    };
  }
  process.umask(0o077);
  let approvers: readonly {
    readonly admin?: boolean | undefined;
    readonly totpEnrolled?: boolean | undefined;
  }[];
  try {
    approvers = (await withAdmin(command, (client) => client.call('listApprovers', {}))).approvers;
  } catch (error) {
    return {
      check: 'approvers',
      ok: true,
      detail: `not checked: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const admins = approvers.filter(
    (approver) => approver.admin === true && approver.totpEnrolled === true,
  );
  const voters = approvers.filter((approver) => approver.totpEnrolled === true);
  const wrong = [
    ...(admins.length === 0
      ? [
          'no administrator with a TOTP factor: bootstrap one as the service user (`airlock admin bootstrap NAME`)',
        ]
      : []),
    ...(voters.length === 0
      ? ['no approver has a TOTP factor enrolled: nobody can approve a held request']
      : []),
  ];
  return wrong.length === 0
    ? {
        check: 'approvers',
        ok: true,
        detail: `${admins.length} administrator(s) and ${voters.length} approver(s) with a second factor`,
      }
    : { check: 'approvers', ok: false, detail: wrong.join('; ') };
}

/** The pid holding the listening Unix socket at `path`, when this user may see it. */
function listenerOf(path: string): number | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/unix', 'utf8');
  } catch {
    return undefined;
  }
  // Flags 00010000 marks a listening socket; the inode names it in its holder's fd table.
  const inode = table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields[7] === path && fields[3] === '00010000')?.[6];
  if (inode === undefined) return undefined;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

function processUid(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('Uid:'));
    const effective = line?.split(/\s+/)[2];
    return effective === undefined ? undefined : Number(effective);
  } catch {
    return undefined;
  }
}

function commandName(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

function userName(uid: number): string {
  const name = lookup('/etc/passwd', uid);
  return name === undefined ? `uid ${uid}` : `${name} (uid ${uid})`;
}

function groupName(gid: number): string {
  return lookup('/etc/group', gid) ?? String(gid);
}

function lookup(file: string, id: number): string | undefined {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[2] === String(id))?.[0];
  } catch {
    return undefined;
  }
}
