import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { LoadedConfig } from '../../config/index.js';
import { CONFIG_FILE_NAME, CREDENTIALS_FOLDER, loadConfig } from '../../config/index.js';
import { EXIT } from '../exit-codes.js';
import { writeStarterHome } from './init-command.js';
import { CliFailure, printLines } from '../output.js';
import { credentialFilesOf, vaultDirsOf } from '../../server/index.js';

/** Where the service keeps its state unless `--home` says otherwise. */
export const SERVICE_HOME = '/var/lib/airlock';
/** The service's OS user and group. */
export const SERVICE_USER = 'airlock';
/** Where systemd reads units written by an administrator. */
export const SYSTEMD_UNIT_DIR = '/etc/systemd/system';
/** The unit's file name. */
export const SERVICE_UNIT = 'airlock.service';

const BIN = resolve(import.meta.dirname, '..', '..', '..', 'bin', 'airlock.js');
const USER_NAME = /^[a-z_][a-z0-9_-]{0,30}$/;

interface SetupOptions {
  readonly home: string;
  readonly user: string;
  readonly adminUsers: readonly string[];
  readonly unitDir: string;
}

/** One thing setup does; `run` is absent when there is nothing to do (said, not done). */
interface SetupStep {
  readonly says: string;
  readonly run?: () => void | Promise<void>;
}

/** Registers `airlock setup`: the service user, its home and a systemd unit (root; idempotent). */
export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description(
      `as root: create the service user \`${SERVICE_USER}\`, its home (default ${SERVICE_HOME}, or --home) and a systemd unit; run again to repair modes`,
    )
    .option('--user <name>', 'the service user and group', SERVICE_USER)
    .option(
      '--admin-user <names...>',
      'humans who administer and approve: added to the service group (reach HOME/admin.sock)',
      [],
    )
    .option('--unit-dir <dir>', 'where to write airlock.service', SYSTEMD_UNIT_DIR)
    .option('--dry-run', 'print what would be done, do nothing')
    .action(
      async (
        flags: { user: string; adminUser: string[]; unitDir: string; dryRun?: boolean },
        command: Command,
      ) => {
        // The global --home when given; never $AIRLOCK_HOME, which may name a developer's home.
        const given = command.optsWithGlobals<{ home?: string }>().home;
        const options: SetupOptions = {
          home: resolve(given ?? SERVICE_HOME),
          user: flags.user,
          adminUsers: flags.adminUser,
          unitDir: resolve(flags.unitDir),
        };
        if (!USER_NAME.test(options.user))
          throw new CliFailure(
            `\`${options.user}\` is not a user name (a-z, 0-9, _ and -)`,
            EXIT.invalidInput,
          );
        if (flags.dryRun !== true && process.getuid?.() !== 0) {
          throw new CliFailure(
            'airlock setup must run as root: it creates a user, a home and a systemd unit (see what it would do with --dry-run)',
            EXIT.invalidInput,
          );
        }
        const missing = options.adminUsers.filter((name) => account('passwd', name) === undefined);
        if (missing.length > 0)
          throw new CliFailure(
            'no such user',
            EXIT.invalidInput,
            missing.map((name) => `--admin-user \`${name}\``),
          );
        const steps = planSetup(options);
        if (flags.dryRun === true) {
          printLines(
            'airlock setup would:',
            ...steps.map(
              (step) => `  ${step.run === undefined ? '(nothing to do) ' : ''}${step.says}`,
            ),
          );
          // The unit as the config stands now (the starter's, when there is none yet).
          const loaded = existsSync(join(options.home, CONFIG_FILE_NAME))
            ? loadedAfterSetup(options.home)
            : undefined;
          printLines('', `${join(options.unitDir, SERVICE_UNIT)}:`, serviceUnit(options, loaded));
          return;
        }
        for (const step of steps) {
          await step.run?.();
          printLines(`${step.run === undefined ? 'ok  ' : 'done'} ${step.says}`);
        }
        printLines(...warnings(options), '', ...nextSteps(options));
      },
    );
}

function planSetup(options: SetupOptions): SetupStep[] {
  const { home, user } = options;
  const steps: SetupStep[] = [accountStep(options)];
  steps.push(
    existsSync(home)
      ? { says: `home ${home} exists` }
      : {
          says: `create the home ${home}`,
          run: () => void mkdirSync(home, { recursive: true, mode: 0o700 }),
        },
  );
  const config = join(home, CONFIG_FILE_NAME);
  steps.push(
    existsSync(config)
      ? { says: `keep ${config} and its policies` }
      : {
          says: `write a starter ${config} and the default policies`,
          run: async () => void (await writeStarterHome(home, false)),
        },
  );
  const credentials = join(home, CREDENTIALS_FOLDER);
  steps.push(
    existsSync(credentials)
      ? { says: `credentials folder ${credentials} exists` }
      : {
          says: `create ${credentials} for credential files`,
          run: () => void mkdirSync(credentials, { mode: 0o700 }),
        },
  );
  steps.push({
    says: `give ${home} and everything in it to ${user}:${user}: the home 0710 (group ${user} reaches admin.sock), folders 0700, files 0600`,
    run: () => privatize(home, user),
  });
  for (const admin of options.adminUsers) {
    steps.push({
      says: `add ${admin} to group ${user} (usermod --append --groups ${user} ${admin})`,
      run: () => run('usermod', ['--append', '--groups', user, admin]),
    });
  }
  const unit = join(options.unitDir, SERVICE_UNIT);
  // The unit reads the config as it will be once the starter is written.
  steps.push({
    says: `write the systemd unit ${unit}`,
    run: () => writeFileSync(unit, serviceUnit(options, loadedAfterSetup(home)), { mode: 0o644 }),
  });
  return steps;
}

function accountStep(options: SetupOptions): SetupStep {
  const { user, home } = options;
  if (account('passwd', user) !== undefined) return { says: `system user ${user} exists` };
  const nologin =
    ['/usr/sbin/nologin', '/sbin/nologin'].find((path) => existsSync(path)) ?? '/bin/false';
  // A group of that name (made by hand, or left by a removed user) is reused rather than refused.
  const group = account('group', user) === undefined ? ['--user-group'] : ['--gid', user];
  const args = [
    '--system',
    ...group,
    '--home-dir',
    home,
    '--no-create-home',
    '--shell',
    nologin,
    user,
  ];
  return {
    says: `create system user and group ${user} (useradd ${args.join(' ')})`,
    run: () => run('useradd', args),
  };
}

/** Owner `user`, home 0710, folders 0700, files 0600; a socket keeps 0660, links are not followed. */
function privatize(home: string, user: string): void {
  const [, , uid, gid] = account('passwd', user) ?? [];
  if (uid === undefined || gid === undefined)
    throw new CliFailure(`user \`${user}\` was not created`, EXIT.internal);
  const walk = (path: string, isHome: boolean): void => {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) return;
    chownSync(path, Number(uid), Number(gid));
    if (stats.isDirectory()) {
      chmodSync(path, isHome ? 0o710 : 0o700);
      for (const name of readdirSync(path)) walk(join(path, name), false);
    } else {
      chmodSync(path, stats.isSocket() ? 0o660 : 0o600);
    }
  };
  walk(home, true);
}

function loadedAfterSetup(home: string): LoadedConfig | undefined {
  const loaded = loadConfig(home);
  if (!loaded.ok)
    throw new CliFailure('invalid configuration in the home', EXIT.invalidInput, loaded.error);
  return loaded.value;
}

/** The systemd unit: the service user, umask 077, a read-only system but for the home, credentials by LoadCredential. */
function serviceUnit(options: SetupOptions, loaded: LoadedConfig | undefined): string {
  const { home, user } = options;
  // Relative credential files are read from $CREDENTIALS_DIRECTORY, which systemd fills from HOME/credentials.
  const names = [
    ...new Set(
      (loaded === undefined ? [] : credentialFilesOf(loaded.config)).filter(
        (file) => !file.startsWith('/') && !file.includes('/'),
      ),
    ),
  ];
  const vaults = (loaded === undefined ? [] : vaultDirsOf(loaded)).filter((dir) =>
    relative(home, dir).startsWith('..'),
  );
  return [
    '# Written by `airlock setup`; run it again after changing credential files or vaults in airlock.yaml.',
    '[Unit]',
    'Description=Airlock: the gateway between AI agents and what they can damage',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `User=${user}`,
    `Group=${user}`,
    'UMask=0077',
    `ExecStart=${[process.execPath, BIN, '--home', home, 'serve'].map(unitWord).join(' ')}`,
    ...names.map((name) => `LoadCredential=${name}:${join(home, CREDENTIALS_FOLDER, name)}`),
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    `ReadWritePaths=${unitWord(home)}`,
    ...vaults.map((dir) => `ReadWritePaths=-${unitWord(dir)}`),
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectControlGroups=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
    'Restart=on-failure',
    'RestartSec=2s',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** A word of a unit's command line, quoted when it holds white space or quotes. */
function unitWord(word: string): string {
  return /[\s"'\\]/.test(word) ? `"${word.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : word;
}

/** What stops the unit from running where it stands, in words. */
function warnings(options: SetupOptions): string[] {
  const found: string[] = [];
  const readable = spawnSync('runuser', ['-u', options.user, '--', 'test', '-r', BIN], {
    encoding: 'utf8',
  });
  if (readable.status !== 0)
    found.push(
      `warning: ${options.user} cannot read ${BIN}: install Airlock where the service user can read it (e.g. /opt/airlock)`,
    );
  if (BIN.startsWith('/home/') || BIN.startsWith('/root/'))
    found.push(
      `warning: ${BIN} is under /home or /root, which ProtectHome=yes hides from the service: install Airlock elsewhere (e.g. /opt/airlock)`,
    );
  return found;
}

function nextSteps(options: SetupOptions): string[] {
  const { home, user } = options;
  const cli = `${process.execPath} ${BIN} --home ${home}`;
  return [
    'next:',
    `  1. put each upstream credential in ${join(home, CREDENTIALS_FOLDER)}/NAME (owner ${user}, mode 0600), name it in ${join(home, CONFIG_FILE_NAME)} with \`credentialFile: NAME\`, and run airlock setup again (it adds LoadCredential= lines)`,
    `  2. bootstrap the first administrator as the service user (shows a TOTP secret once, for their phone):`,
    `       runuser -u ${user} -- ${cli} admin bootstrap NAME`,
    `  3. start the service: systemctl daemon-reload && systemctl enable --now airlock`,
    ...(options.adminUsers.length > 0
      ? [`  4. ${options.adminUsers.join(', ')}: log in again so that group ${user} applies`]
      : []),
    'never start `airlock serve` from a shell an agent uses: see docs/deployment.md',
  ];
}

/** `getent passwd|group NAME` split on colons, or undefined when there is none. */
function account(database: 'passwd' | 'group', name: string): string[] | undefined {
  const found = spawnSync('getent', [database, name], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim().split(':') : undefined;
}

function run(program: string, args: readonly string[]): void {
  const done = spawnSync(program, args, { encoding: 'utf8' });
  if (done.status !== 0)
    throw new CliFailure(`${program} failed`, EXIT.internal, [
      (done.stderr || done.error?.message || `exit ${String(done.status)}`).trim(),
    ]);
}
