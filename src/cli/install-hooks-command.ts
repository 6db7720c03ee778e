import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { HookClient } from '../adapters/hooks/index.js';
import { HOOK_CLIENTS } from '../adapters/hooks/index.js';
import { homeOf } from './context.js';
import { EXIT } from './exit-codes.js';
import { CLIENT_HOOK_FILES, HookConfigError, mergeHookConfig } from './install-hooks-clients.js';
import { CliFailure, printJson, printLines } from './output.js';

/** This Airlock's fast hook entry, by absolute path: hooks run from the project, not from here. */
export const HOOK_ENTRY = fileURLToPath(new URL('../../bin/airlock-hook.cjs', import.meta.url));

/** Quotes one word for a POSIX shell (every client runs the hook command through one). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The native client-mode hook `npm ci` compiles when a C compiler is present (`native/airlock-hook.c`). */
export const NATIVE_HOOK_ENTRY = fileURLToPath(new URL('../../dist/hook/airlock-hook', import.meta.url));

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
      : [process.execPath, HOOK_ENTRY, '--home', home, ...(url === undefined ? [] : ['--url', url]), client];
  return words.map(shellQuote).join(' ');
}

/** What install-hooks did for one client. */
export interface InstalledHook {
  readonly client: HookClient;
  readonly file: string;
  readonly changed: boolean;
  readonly command: string;
  readonly failClosed: boolean;
  readonly note?: string;
}

/** A planned write: computed for every client before anything is written. */
interface PlannedWrite extends InstalledHook {
  readonly text: string;
}

/**
 * Plans every client's file first and writes only when all of them can be merged: an unreadable
 * or invalid file refuses the whole run with nothing changed.
 */
export function installHooks(project: string, clients: readonly HookClient[], home: string, url: string | undefined): InstalledHook[] {
  const problems: string[] = [];
  const planned: PlannedWrite[] = [];
  for (const client of clients) {
    const spec = CLIENT_HOOK_FILES[client];
    const file = join(project, spec.file);
    const command = hookCommandFor(client, home, url);
    let existing: string | undefined;
    try {
      existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    } catch (error) {
      problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    try {
      const text = `${JSON.stringify(mergeHookConfig(client, existing, command), null, 2)}\n`;
      if (existing !== undefined && !canWrite(file)) problems.push(`${file}: cannot be written`);
      planned.push({ client, file, changed: text !== existing, command, failClosed: spec.failClosedOption, text, ...(spec.note === undefined ? {} : { note: spec.note }) });
    } catch (error) {
      if (!(error instanceof HookConfigError)) throw error;
      problems.push(`${file}: ${error.message}; fix or move it, then run install-hooks again`);
    }
  }
  if (problems.length > 0) throw new CliFailure('cannot install the hooks; nothing was changed', EXIT.invalidInput, problems);
  for (const write of planned) {
    if (!write.changed) continue;
    mkdirSync(dirname(write.file), { recursive: true });
    // Written beside and renamed over: a client reading the file never sees half of it.
    const temporary = `${write.file}.airlock-${process.pid}.tmp`;
    writeFileSync(temporary, write.text, { mode: existsSync(write.file) ? statSync(write.file).mode : 0o644 });
    renameSync(temporary, write.file);
  }
  return planned.map(({ text: _text, ...installed }) => installed);
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
  if (unknown.length > 0) throw new CliFailure(`unknown client ${unknown.map((u) => `\`${u}\``).join(', ')}`, EXIT.invalidInput, [`clients: ${HOOK_CLIENTS.join(', ')}`]);
  return [...new Set(values)] as HookClient[];
}

/** The project folder of `--dir` (default: the working directory); it must exist. */
export function projectOf(dir: string | undefined): string {
  const project = resolve(dir ?? process.cwd());
  if (!existsSync(project) || !statSync(project).isDirectory()) throw new CliFailure(`project folder \`${project}\` does not exist`, EXIT.invalidInput);
  return project;
}

/** Registers `airlock install-hooks`. */
export function registerInstallHooksCommand(program: Command): void {
  program
    .command('install-hooks')
    .description("write Airlock's pre-tool hook into each agent client's project config (merged, never clobbering)")
    .option('--client <names...>', `clients to install for (default: all of ${HOOK_CLIENTS.join(', ')})`)
    .option('--dir <project>', 'the project folder (default: the working directory)')
    .option('--url <url>', 'forward hook calls to this running `airlock serve` instead of judging in the hook process')
    .option('--json', 'print the result as JSON')
    .action((flags: { client?: string[]; dir?: string; url?: string; json?: boolean }, command: Command) => {
      const clients = parseClients(flags.client);
      const project = projectOf(flags.dir);
      if (flags.url !== undefined && !/^https?:\/\/[^\s]+$/.test(flags.url)) throw new CliFailure(`--url \`${flags.url}\` is not an http(s) URL`, EXIT.invalidInput);
      const home = homeOf(command);
      const installed = installHooks(project, clients, home, flags.url);
      if (flags.json === true) {
        printJson({ project, home, hooks: installed });
        return;
      }
      printLines(
        ...installed.map((hook) => `${hook.changed ? 'installed' : 'unchanged'}  ${hook.client}: ${hook.file}${hook.failClosed ? ' (fail closed)' : ''}${hook.note === undefined ? '' : `\n  note: ${hook.note}`}`),
        `agents need AIRLOCK_TOKEN in their environment; check with: airlock doctor --dir ${shellQuote(project)}`,
      );
    });
}
