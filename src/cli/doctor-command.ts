import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { HookClient } from '../adapters/hooks/index.js';
import { HOOK_CLIENTS } from '../adapters/hooks/index.js';
import { checkBoundary, doctorHomeOf } from './doctor-boundary.js';
import { EXIT } from './exit-codes.js';
import { airlockCommandsIn, CLIENT_HOOK_FILES, HOOK_ENTRY_MARKER } from './install-hooks-clients.js';
import { projectOf, shellQuote } from './install-hooks-command.js';
import { printJson, printLines } from './output.js';

/** One check doctor ran. */
export interface DoctorCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Everything doctor found for one client. */
export interface ClientReport {
  readonly client: HookClient;
  readonly file: string;
  readonly checks: readonly DoctorCheck[];
}

/** The probes: a command every policy must stop, and a harmless read every policy allows. */
export const DESTRUCTIVE_PROBE = 'rm -rf /';
export const HARMLESS_PROBE = 'ls';

/** The client's real hook input for a shell command (shared/upstreams/agent-hooks.md). */
export function probeInput(client: HookClient, command: string, cwd: string): string {
  switch (client) {
    case 'cursor':
      return JSON.stringify({ conversation_id: 'airlock-doctor', generation_id: 'airlock-doctor', model: 'probe', hook_event_name: 'beforeShellExecution', cursor_version: 'probe', workspace_roots: [cwd], user_email: 'doctor@airlock.invalid', command, cwd });
    case 'gemini':
      return JSON.stringify({ session_id: 'airlock-doctor', transcript_path: '', cwd, hook_event_name: 'BeforeTool', timestamp: new Date(0).toISOString(), tool_name: 'run_shell_command', tool_input: { command } });
    case 'codex':
      return JSON.stringify({ session_id: 'airlock-doctor', transcript_path: '', cwd, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, turn_id: 'airlock-doctor' });
    case 'claude-code':
      return JSON.stringify({ session_id: 'airlock-doctor', transcript_path: '', cwd, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command, description: 'airlock doctor probe' }, tool_use_id: 'airlock-doctor' });
  }
}

/** The decision a client reads from the hook's output, or why it is unreadable. */
export function decisionRead(client: HookClient, run: { status: number | null; stdout: string }): 'allow' | 'deny' | string {
  if (run.status === 2) return 'deny';
  if (run.status !== 0) return `exit code ${String(run.status)} (the client would run the command)`;
  if (client === 'codex') return run.stdout.trim() === '' ? 'allow' : 'unexpected output (Codex would count the hook as failed and run the command)';
  try {
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    const decision =
      client === 'claude-code'
        ? (out.hookSpecificOutput as Record<string, unknown> | undefined)?.permissionDecision
        : client === 'cursor'
          ? out.permission
          : out.decision;
    return typeof decision === 'string' ? decision : 'no decision in the output';
  } catch {
    return 'output is not JSON';
  }
}

/** The words of a command Airlock wrote (single-quoted words, no other shell syntax). */
function wordsOf(command: string): string[] {
  return [...command.matchAll(/(?:'[^']*'|[^\s'])+/g)].map((match) => match[0].replaceAll(/'([^']*)'/g, '$1'));
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs the installed command in dry-run mode (judges, records nothing) with a probe on stdin. */
function probe(command: string, input: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('/bin/sh', ['-c', `${command} --dry-run`], { input, cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

/** Checks one client's installed hooks. */
export function checkClient(project: string, client: HookClient): ClientReport {
  const spec = CLIENT_HOOK_FILES[client];
  const file = join(project, spec.file);
  const checks: DoctorCheck[] = [];
  const fix = `run: airlock install-hooks --client ${client} --dir ${shellQuote(project)}`;
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
    checks.push({ check: 'config', ok: true, detail: `${file} is valid JSON` });
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    checks.push({ check: 'config', ok: false, detail: `${file} ${why}; ${fix}` });
    return { client, file, checks };
  }
  const found = airlockCommandsIn(client, config);
  for (const { event, command } of found) {
    checks.push({ check: `installed ${event}`, ok: command !== undefined, detail: command === undefined ? `no Airlock hook for ${event}; ${fix}` : command });
  }
  if (client === 'cursor') {
    const handlers = ((config as { hooks?: Record<string, unknown[]> }).hooks ?? {}) as Record<string, unknown[]>;
    const open = spec.events.filter((event) => (handlers[event] ?? []).some((h) => typeof (h as { command?: unknown }).command === 'string' && (h as { command: string }).command.includes(HOOK_ENTRY_MARKER) && (h as { failClosed?: unknown }).failClosed !== true));
    checks.push({ check: 'fail closed', ok: open.length === 0, detail: open.length === 0 ? 'failClosed is set' : `failClosed is not true for ${open.join(', ')}: a crashing hook would let commands run; ${fix}` });
  }
  const command = found.find((entry) => entry.command !== undefined)?.command;
  if (command === undefined) return { client, file, checks };
  const missing = wordsOf(command).filter((word) => word.startsWith('/') && ((word.endsWith('.js') || word.endsWith('.cjs')) || word.endsWith('node')) && !existsSync(word));
  const runner = wordsOf(command)[0] ?? '';
  const runs = missing.length === 0 && (!runner.startsWith('/') || executable(runner));
  checks.push({ check: 'executable', ok: runs, detail: runs ? `${runner} runs the hook entry` : `${missing.length > 0 ? `missing: ${missing.join(', ')}` : `${runner} is not executable`}; ${fix}` });
  if (!runs) return { client, file, checks };
  const destructive = probe(command, probeInput(client, DESTRUCTIVE_PROBE, project), project);
  const stopped = decisionRead(client, destructive);
  checks.push({ check: 'destructive probe', ok: stopped === 'deny', detail: stopped === 'deny' ? `\`${DESTRUCTIVE_PROBE}\` is stopped` : `\`${DESTRUCTIVE_PROBE}\` was answered: ${stopped}${firstLine(destructive.stderr)}` });
  const harmless = probe(command, probeInput(client, HARMLESS_PROBE, project), project);
  const allowed = decisionRead(client, harmless);
  checks.push({ check: 'harmless probe', ok: allowed === 'allow', detail: allowed === 'allow' ? `\`${HARMLESS_PROBE}\` is allowed` : `\`${HARMLESS_PROBE}\` was answered: ${allowed}${firstLine(harmless.stderr)}` });
  return { client, file, checks };
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0];
  return line === undefined || line === '' ? '' : ` (${line.slice(0, 300)})`;
}

/** Registers `airlock doctor`. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check the boundary (the home, the server\'s user, credentials in environments, the admin socket, approvers) and that the agent hooks of a project stop a destructive probe and allow a harmless one (dry run: nothing recorded)')
    .option('--dir <project>', 'the project folder (default: the working directory)')
    .addOption(new Option('--only <section>', 'check one section').choices(['hooks', 'boundary']))
    .option('--json', 'print the report as JSON')
    .action(async (flags: { dir?: string; only?: 'hooks' | 'boundary'; json?: boolean }, command: Command) => {
      const project = projectOf(flags.dir);
      const hooks = flags.only !== 'boundary';
      // A client is in use when its folder exists in the project.
      const clients = hooks ? HOOK_CLIENTS.filter((client) => existsSync(join(project, CLIENT_HOOK_FILES[client].folder))) : [];
      const reports = clients.map((client) => checkClient(project, client));
      const home = doctorHomeOf(command, process.env);
      // The admin client reads the home from the global option: the one doctor chose.
      command.parent?.setOptionValue('home', home);
      const boundary = flags.only === 'hooks' ? [] : await checkBoundary(command, home, project);
      const problems = [
        ...(hooks && clients.length === 0 ? [`no agent client config in ${project} (.claude, .cursor, .codex, .gemini); run: airlock install-hooks --dir ${shellQuote(project)}`] : []),
        ...reports.flatMap((report) => report.checks.filter((check) => !check.ok).map((check) => `${report.client}: ${check.check}: ${check.detail}`)),
        ...boundary.filter((check) => !check.ok).map((check) => `boundary: ${check.check}: ${check.detail}`),
      ];
      const ok = problems.length === 0;
      if (flags.json === true) printJson({ project, home, ok, clients: reports, boundary, problems });
      else {
        printLines(
          ...reports.flatMap((report) => [`${report.client} (${report.file})`, ...report.checks.map(checkLine)]),
          ...(boundary.length === 0 ? [] : [`boundary (${home})`, ...boundary.map(checkLine)]),
          ...(ok ? [hooks ? 'all hooks answer as they should' : 'the boundary holds'] : ['problems:', ...problems.map((problem) => `  - ${problem}`)]),
        );
      }
      if (!ok) process.exitCode = EXIT.failed;
    });
}

function checkLine(check: DoctorCheck): string {
  return `  ${check.ok ? 'ok  ' : 'FAIL'} ${check.check}: ${check.detail}`;
}
