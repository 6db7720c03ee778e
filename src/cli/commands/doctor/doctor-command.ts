import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { HOOK_CLIENTS } from '../../../adapters/hooks/index.js';
import { checkBoundary, doctorHomeOf } from './doctor-boundary.js';
import { checkStrayCredentials } from './doctor-credentials.js';
import type { ClientReport } from './doctor-hook-checks.js';
import { checkInstalledHook } from './doctor-hook-checks.js';
import { EXIT } from '../../exit-codes.js';
import { airlockHandlersIn } from '../install-hooks/install-hooks-clients.js';
import { projectOf } from '../install-hooks/install-hooks-command.js';
import {
  HOOK_SCOPES,
  hookFileFor,
  PROJECT_HOOK_FILES,
} from '../install-hooks/install-hooks-locations.js';
import { printJson, printLines } from '../../output.js';

export type { ClientReport } from './doctor-hook-checks.js';
export {
  decisionRead,
  DESTRUCTIVE_PROBE,
  HARMLESS_PROBE,
  probeInput,
} from './doctor-hook-checks.js';

/** One check doctor ran. */
export interface DoctorCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
  /** A weakness doctor reports but cannot fix (a client with no fail-closed option): not a problem. */
  readonly warning?: true;
}

/** Every installed hook file of every client: the user's and the managed one, where they exist. */
export async function checkInstalledHooks(
  project: string,
  env: NodeJS.ProcessEnv,
): Promise<ClientReport[]> {
  const files = HOOK_CLIENTS.flatMap((client) =>
    HOOK_SCOPES.map((scope) => ({ client, scope, file: hookFileFor(client, scope, env) })),
  ).filter(({ file }) => existsSync(file));
  const reports: ClientReport[] = [];
  // One after another: each probe must answer within the client's own timeout.
  for (const { client, scope, file } of files)
    reports.push(await checkInstalledHook(client, scope, file, project, env));
  // A settings file with no Airlock entry at all is someone else's, when another scope has the hook.
  return reports.filter(
    (report) =>
      report.checks.some((check) => check.check.startsWith('installed') && check.ok) ||
      !reports.some((other) => other.client === report.client && other !== report),
  );
}

/** Airlock entries left in a project's shared files (earlier versions wrote them there). */
export function leftoverProjectHooks(project: string): string[] {
  return HOOK_CLIENTS.flatMap((client) =>
    PROJECT_HOOK_FILES[client].flatMap((relative) => {
      const file = join(project, relative);
      try {
        const config: unknown = JSON.parse(readFileSync(file, 'utf8'));
        return airlockHandlersIn(client, config).some((entry) => entry.command !== undefined)
          ? [
              `${client}: the project file ${file} holds an Airlock hook with this machine's paths (shared files are read by every machine and editable by the project): run airlock install-hooks --client ${client} to move it to your user settings and remove it there`,
            ]
          : [];
      } catch {
        return [];
      }
    }),
  );
}

/** Registers `airlock doctor`. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      "check the boundary (the home, the server's user, credentials in environments, the admin socket, approvers) and that every installed agent hook is wired, will run, stops a destructive probe, allows a harmless one (dry run: nothing recorded), and how it fails with Airlock moved away; and stray provider credentials an agent could read (airlock scan)",
    )
    .option(
      '--dir <project>',
      'the project whose shared hook files to inspect (default: the working directory)',
    )
    .addOption(
      new Option('--only <section>', 'check one section').choices([
        'hooks',
        'boundary',
        'credentials',
      ]),
    )
    .option('--json', 'print the report as JSON')
    .action(
      async (
        flags: { dir?: string; only?: 'hooks' | 'boundary' | 'credentials'; json?: boolean },
        command: Command,
      ) => {
        const project = projectOf(flags.dir);
        const hooks = flags.only === undefined || flags.only === 'hooks';
        const reports = hooks ? await checkInstalledHooks(project, process.env) : [];
        const leftovers = hooks ? leftoverProjectHooks(project) : [];
        const home = doctorHomeOf(command, process.env);
        // The admin client reads the home from the global option: the one doctor chose.
        command.parent?.setOptionValue('home', home);
        const boundary =
          flags.only === undefined || flags.only === 'boundary'
            ? await checkBoundary(command, home, project)
            : [];
        const credentials =
          flags.only === undefined || flags.only === 'credentials'
            ? checkStrayCredentials(project, process.env)
            : [];
        const failed = (check: DoctorCheck): boolean => !check.ok && check.warning !== true;
        const problems = [
          ...(hooks && reports.length === 0
            ? [
                'no Airlock hook is installed for any client (user or managed settings); run: airlock install-hooks',
              ]
            : []),
          ...reports.flatMap((report) =>
            report.checks
              .filter(failed)
              .map(
                (check) => `${report.client} (${report.scope}): ${check.check}: ${check.detail}`,
              ),
          ),
          ...leftovers,
          ...boundary.filter(failed).map((check) => `boundary: ${check.check}: ${check.detail}`),
          ...credentials.filter(failed).map((check) => `credentials: ${check.detail}`),
        ];
        const warnings = reports.flatMap((report) =>
          report.checks
            .filter((check) => !check.ok && check.warning === true)
            .map((check) => `${report.client} (${report.scope}): ${check.check}: ${check.detail}`),
        );
        const ok = problems.length === 0;
        if (flags.json === true)
          printJson({
            project,
            home,
            ok,
            clients: reports,
            boundary,
            credentials,
            problems,
            warnings,
          });
        else {
          printLines(
            ...reports.flatMap((report) => [
              `${report.client} (${report.scope}: ${report.file}); a failing hook fails ${report.failure.mode}: ${report.failure.why}`,
              ...report.checks.map(checkLine),
            ]),
            ...(boundary.length === 0 ? [] : [`boundary (${home})`, ...boundary.map(checkLine)]),
            ...(credentials.length === 0 ? [] : ['credentials', ...credentials.map(checkLine)]),
            ...(warnings.length === 0
              ? []
              : ['warnings:', ...warnings.map((warning) => `  - ${warning}`)]),
            ...(ok
              ? [
                  hooks
                    ? 'all hooks answer as they should'
                    : flags.only === 'credentials'
                      ? 'no stray credentials'
                      : 'the boundary holds',
                ]
              : ['problems:', ...problems.map((problem) => `  - ${problem}`)]),
          );
        }
        if (!ok) process.exitCode = EXIT.failed;
      },
    );
}

function checkLine(check: DoctorCheck): string {
  return `  ${check.ok ? 'ok  ' : check.warning === true ? 'WARN' : 'FAIL'} ${check.check}: ${check.detail}`;
}
