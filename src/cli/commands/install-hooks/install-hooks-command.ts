import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { HookClient } from '../../../adapters/hooks/index.js';
import { HOOK_CLIENTS } from '../../../adapters/hooks/index.js';
import { homeOf } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import type { FailureMode } from './install-hooks-clients.js';
import {
  CLIENT_HOOK_SPECS,
  HookConfigError,
  mergeHookConfig,
  parseConfigText,
  removeAirlockHandlers,
} from './install-hooks-clients.js';
import { pinCodexHooksOn } from './install-hooks-codex.js';
import type { HookScope } from './install-hooks-locations.js';
import {
  CODEX_MANAGED_REQUIREMENTS,
  hookFileFor,
  managedRoot,
  PROJECT_HOOK_FILES,
} from './install-hooks-locations.js';
import { CliFailure, printJson, printLines } from '../../output.js';

/** This Airlock's fast hook entry, by absolute path: hooks run from the project, not from here. */
export const HOOK_ENTRY = fileURLToPath(
  new URL('../../../../bin/airlock-hook.cjs', import.meta.url),
);

/** Quotes one word for a POSIX shell (every client runs the hook command through one). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The native client-mode hook `npm ci` compiles when a C compiler is present (`native/airlock-hook.c`). */
export const NATIVE_HOOK_ENTRY = fileURLToPath(
  new URL('../../../../dist/hook/airlock-hook', import.meta.url),
);

/**
 * The command a client runs. Forwarding to `airlock serve` (`url`): the native hook when it was
 * built (it starts in about a millisecond, where Node takes tens), else this Node with the hook
 * entry. Judging here: this Node, the hook entry and the Airlock home. The token is never
 * written here: the agent's environment carries it (AIRLOCK_TOKEN).
 */
export function hookCommandFor(client: HookClient, home: string, url: string | undefined): string {
  const words =
    url !== undefined && existsSync(NATIVE_HOOK_ENTRY)
      ? [NATIVE_HOOK_ENTRY, '--url', url, client]
      : [
          process.execPath,
          HOOK_ENTRY,
          '--home',
          home,
          ...(url === undefined ? [] : ['--url', url]),
          client,
        ];
  return words.map(shellQuote).join(' ');
}

/** What install-hooks did for one file. */
export interface InstalledHook {
  readonly client: HookClient;
  readonly scope: HookScope;
  readonly file: string;
  readonly changed: boolean;
  readonly command: string;
  /** What the client does when the hook itself fails. */
  readonly failure: FailureMode;
  /** What the user must still do (or know) for the client to run the hook. */
  readonly notes: readonly string[];
}

/** An Airlock entry taken out of a project file an earlier version wrote it into. */
export interface RemovedHook {
  readonly client: HookClient;
  readonly file: string;
  readonly events: readonly string[];
}

/** A planned write: computed for every file before anything is written. */
interface PlannedWrite {
  readonly file: string;
  readonly text: string;
  readonly changed: boolean;
}

function readIfThere(file: string, problems: string[]): string | undefined | null {
  try {
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  } catch (error) {
    problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return null;
  }
}

/** Notes per client and scope: what makes the installed hook actually run. */
function notesFor(client: HookClient, scope: HookScope, file: string): string[] {
  if (client === 'codex' && scope === 'user') {
    return [
      `Codex runs a user hook only once you trust it: start codex, type /hooks and trust the Airlock hook in ${file} (airlock doctor checks); Codex before 0.124 also needs \`[features] codex_hooks = true\` in its config.toml`,
    ];
  }
  if (client === 'codex')
    return [
      'managed hooks are trusted by policy; `[features] hooks = true` is pinned in requirements.toml so no user or project config turns hooks off',
    ];
  if (client === 'claude-code')
    return [
      '`onFailure: "block"` needs Claude Code 2.1.295 or later; older versions run the call when the hook fails',
    ];
  if (client === 'gemini')
    return ['Gemini CLI runs the call when a hook fails: there is no fail-closed option'];
  return [];
}

/**
 * Plans every client's file first and writes only when all of them can be merged: an unreadable
 * or invalid file refuses the whole run with nothing changed.
 */
export function installHooks(
  clients: readonly HookClient[],
  scope: HookScope,
  home: string,
  url: string | undefined,
  env: NodeJS.ProcessEnv,
): { installed: InstalledHook[]; writes: PlannedWrite[] } {
  const problems: string[] = [];
  const planned: PlannedWrite[] = [];
  const installed: InstalledHook[] = [];
  for (const client of clients) {
    const file = hookFileFor(client, scope, env);
    const command = hookCommandFor(client, home, url);
    const existing = readIfThere(file, problems);
    if (existing === null) continue;
    try {
      const text = `${JSON.stringify(mergeHookConfig(client, existing, command, scope), null, 2)}\n`;
      if (existing !== undefined && !canWrite(file)) problems.push(`${file}: cannot be written`);
      planned.push({ file, text, changed: text !== existing });
      installed.push({
        client,
        scope,
        file,
        changed: text !== existing,
        command,
        failure: CLIENT_HOOK_SPECS[client].failure,
        notes: notesFor(client, scope, file),
      });
    } catch (error) {
      if (!(error instanceof HookConfigError)) throw error;
      problems.push(`${file}: ${error.message}; fix or move it, then run install-hooks again`);
    }
    if (client === 'codex' && scope === 'managed') {
      const requirements = join(managedRoot(env), CODEX_MANAGED_REQUIREMENTS);
      const text = readIfThere(requirements, problems);
      if (text === null) continue;
      const pinned = pinCodexHooksOn(text);
      if ('problem' in pinned) problems.push(`${requirements}: ${pinned.problem}`);
      else planned.push({ file: requirements, text: pinned.text, changed: pinned.changed });
    }
  }
  if (problems.length > 0)
    throw new CliFailure(
      'cannot install the hooks; nothing was changed',
      EXIT.invalidInput,
      problems,
    );
  return { installed, writes: planned };
}

/**
 * Earlier versions wrote the hook into the project's shared files, with this machine's paths:
 * Airlock's entries are taken out of them (nothing else is touched). Files that are not valid
 * JSON are left alone.
 */
export function planProjectCleanup(
  project: string,
  clients: readonly HookClient[],
): { removed: RemovedHook[]; writes: PlannedWrite[] } {
  const removed: RemovedHook[] = [];
  const writes: PlannedWrite[] = [];
  for (const client of clients) {
    for (const relative of PROJECT_HOOK_FILES[client]) {
      const file = join(project, relative);
      let config: Record<string, unknown>;
      try {
        if (!existsSync(file)) continue;
        config = parseConfigText(readFileSync(file, 'utf8'));
      } catch {
        continue;
      }
      const events = removeAirlockHandlers(client, config);
      if (events.length === 0) continue;
      removed.push({ client, file, events });
      writes.push({ file, text: `${JSON.stringify(config, null, 2)}\n`, changed: true });
    }
  }
  return { removed, writes };
}

/** Writes each changed file beside itself and renames it over: a client never reads half of one. */
export function applyWrites(writes: readonly PlannedWrite[]): void {
  for (const write of writes) {
    if (!write.changed) continue;
    mkdirSync(dirname(write.file), { recursive: true });
    const temporary = `${write.file}.airlock-${process.pid}.tmp`;
    writeFileSync(temporary, write.text, {
      mode: existsSync(write.file) ? statSync(write.file).mode : 0o644,
    });
    renameSync(temporary, write.file);
  }
}

function canWrite(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function parseClients(values: readonly string[] | undefined): HookClient[] {
  if (values === undefined || values.length === 0) return [...HOOK_CLIENTS];
  const unknown = values.filter((value) => !(HOOK_CLIENTS as readonly string[]).includes(value));
  if (unknown.length > 0)
    throw new CliFailure(
      `unknown client ${unknown.map((u) => `\`${u}\``).join(', ')}`,
      EXIT.invalidInput,
      [`clients: ${HOOK_CLIENTS.join(', ')}`],
    );
  return [...new Set(values)] as HookClient[];
}

/** The project folder of `--dir` (default: the working directory); it must exist. */
export function projectOf(dir: string | undefined): string {
  const project = resolve(dir ?? process.cwd());
  if (!existsSync(project) || !statSync(project).isDirectory())
    throw new CliFailure(`project folder \`${project}\` does not exist`, EXIT.invalidInput);
  return project;
}

/** Why install-hooks writes no project file. */
const PROJECT_SCOPE_REFUSAL = [
  "a project's hook files are shared (often committed) and the project itself can edit them: an agent could remove the hook, and this machine's paths are a missing command on every other machine, which Claude Code, Codex and Gemini CLI answer by running the call",
  'install for the user (--scope user, the default) or for every user of the machine (--scope managed, as root)',
];

/** Registers `airlock install-hooks`. */
export function registerInstallHooksCommand(program: Command): void {
  program
    .command('install-hooks')
    .description(
      "write Airlock's pre-tool hook into each agent client's user (default) or managed settings, merged, never clobbering; remove Airlock entries earlier versions wrote into the project's files",
    )
    .option(
      '--client <names...>',
      `clients to install for (default: all of ${HOOK_CLIENTS.join(', ')})`,
    )
    .addOption(
      new Option(
        '--scope <scope>',
        "user: your own settings; managed: the machine's managed settings (root; $AIRLOCK_MANAGED_ROOT moves them)",
      )
        .choices(['user', 'managed', 'project'])
        .default('user'),
    )
    .option(
      '--dir <project>',
      'the project whose old Airlock hook entries to remove (default: the working directory)',
    )
    .option(
      '--url <url>',
      'forward hook calls to this running `airlock serve` instead of judging in the hook process',
    )
    .option('--json', 'print the result as JSON')
    .action(
      (
        flags: {
          client?: string[];
          scope: HookScope | 'project';
          dir?: string;
          url?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        if (flags.scope === 'project')
          throw new CliFailure(
            'install-hooks does not write hooks into a project',
            EXIT.invalidInput,
            PROJECT_SCOPE_REFUSAL,
          );
        const clients = parseClients(flags.client);
        const project = projectOf(flags.dir);
        if (flags.url !== undefined && !/^https?:\/\/[^\s]+$/.test(flags.url))
          throw new CliFailure(`--url \`${flags.url}\` is not an http(s) URL`, EXIT.invalidInput);
        const home = homeOf(command);
        const { installed, writes } = installHooks(
          clients,
          flags.scope,
          home,
          flags.url,
          process.env,
        );
        const cleanup = planProjectCleanup(project, clients);
        applyWrites([...writes, ...cleanup.writes]);
        if (flags.json === true) {
          printJson({
            scope: flags.scope,
            home,
            hooks: installed,
            removedFromProject: cleanup.removed,
          });
          return;
        }
        printLines(
          ...installed.map(
            (hook) =>
              `${hook.changed ? 'installed' : 'unchanged'}  ${hook.client} (${hook.scope}): ${hook.file}; a failing hook fails ${hook.failure.mode}${hook.notes.map((note) => `\n  note: ${note}`).join('')}`,
          ),
          ...cleanup.removed.map(
            (entry) =>
              `removed    ${entry.client}: Airlock's old entry (${entry.events.join(', ')}) from the project file ${entry.file}`,
          ),
          `agents need AIRLOCK_TOKEN in their environment; check with: airlock doctor --only hooks`,
        );
      },
    );
}
