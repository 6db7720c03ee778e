import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { HookClient } from '../../../adapters/hooks/index.js';
import type { DoctorCheck } from './doctor-command.js';
import type { FailureMode, FoundHandler } from '../install-hooks/install-hooks-clients.js';
import { airlockHandlersIn, CLIENT_HOOK_SPECS } from '../install-hooks/install-hooks-clients.js';
import {
  codexHookHash,
  codexHookKey,
  codexHooksFeature,
  codexHookTrust,
} from '../install-hooks/install-hooks-codex.js';
import type { HookScope } from '../install-hooks/install-hooks-locations.js';
import {
  CODEX_MANAGED_REQUIREMENTS,
  codexHome,
  managedRoot,
} from '../install-hooks/install-hooks-locations.js';

/**
 * What doctor proves about one installed hook file (docs/agent-hooks.md): the entry is there and
 * covers every tool that runs commands or edits files, the client will actually run it (Codex:
 * hooks on and the hook trusted; Claude Code and Gemini: hooks not switched off), and the command,
 * run exactly as the client runs it (`sh -c`, the client's real input on stdin, a dry run so
 * nothing is recorded), stops a destructive probe, raises no objection to a harmless one, and,
 * with Airlock's paths replaced by a missing one, fails the way the client's settings say.
 */

/** The probes: a command every policy must stop, and a harmless read every policy allows. */
export const DESTRUCTIVE_PROBE = 'rm -rf /';
export const HARMLESS_PROBE = 'ls';

/** Where the moved-away probe points Airlock's paths: a folder that does not exist. */
const MOVED_AWAY = '/nonexistent/airlock-moved-away';

/** Everything doctor found for one installed hook file. */
export interface ClientReport {
  readonly client: HookClient;
  readonly scope: HookScope;
  readonly file: string;
  /** What the client does when the hook fails, and why. */
  readonly failure: FailureMode;
  readonly checks: readonly DoctorCheck[];
}

/** Tool names each client's matcher must reach: every tool that runs commands or edits files, and MCP. */
const REQUIRED_TOOLS: Readonly<Record<HookClient, Readonly<Record<string, readonly string[]>>>> = {
  'claude-code': {
    PreToolUse: [
      'Bash',
      'PowerShell',
      'Monitor',
      'Edit',
      'Write',
      'NotebookEdit',
      'mcp__server__tool',
    ],
  },
  cursor: { preToolUse: ['Write', 'StrReplace', 'Delete', 'EditNotebook', 'ApplyPatch'] },
  codex: { PreToolUse: ['Bash', 'shell', 'apply_patch', 'mcp__server__tool'] },
  gemini: { BeforeTool: ['run_shell_command', 'write_file', 'replace', 'mcp_server_tool'] },
};

/** The client's real hook input for a shell command. */
export function probeInput(client: HookClient, command: string, cwd: string): string {
  switch (client) {
    case 'cursor':
      return JSON.stringify({
        conversation_id: 'airlock-doctor',
        generation_id: 'airlock-doctor',
        model: 'probe',
        hook_event_name: 'beforeShellExecution',
        cursor_version: 'probe',
        workspace_roots: [cwd],
        user_email: 'doctor@airlock.invalid',
        command,
        cwd,
      });
    case 'gemini':
      return JSON.stringify({
        session_id: 'airlock-doctor',
        transcript_path: '',
        cwd,
        hook_event_name: 'BeforeTool',
        timestamp: new Date(0).toISOString(),
        tool_name: 'run_shell_command',
        tool_input: { command, dir_path: cwd },
      });
    case 'codex':
      return JSON.stringify({
        session_id: 'airlock-doctor',
        transcript_path: '',
        cwd,
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command },
        turn_id: 'airlock-doctor',
      });
    case 'claude-code':
      return JSON.stringify({
        session_id: 'airlock-doctor',
        transcript_path: '',
        cwd,
        permission_mode: 'default',
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command, description: 'airlock doctor probe' },
        tool_use_id: 'airlock-doctor',
      });
  }
}

/** One run of the hook command, as a client ran it. */
interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * What the client makes of one run: `deny`, `no objection` (its own permission flow decides), or
 * what else happens, in words. `handler` is the entry as installed (its fail-closed setting).
 */
export function decisionRead(
  client: HookClient,
  run: Run,
  handler: Record<string, unknown> | undefined,
): string {
  if (run.status === 2) {
    if (client === 'codex' && run.stderr.trim() === '')
      return 'exit 2 with empty stderr (Codex counts the hook as failed and runs the tool)';
    return 'deny';
  }
  if (run.status === null)
    return `no answer within ${PROBE_TIMEOUT_MS / 1000} s (the client's timeout): ${failureOutcome(client, handler)}`;
  if (run.status !== 0) return `exit code ${run.status}: ${failureOutcome(client, handler)}`;
  const out = run.stdout.trim();
  if (client === 'codex')
    return out === ''
      ? 'no objection'
      : 'unexpected output (Codex counts the hook as failed and runs the tool)';
  if (client === 'claude-code' && out === '') return 'no objection';
  if (client === 'gemini' && out === '') return 'no objection';
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(out) as Record<string, unknown>;
  } catch {
    return client === 'cursor' && handler?.failClosed === true
      ? 'output is not JSON (Cursor blocks it: failClosed)'
      : 'output is not JSON (the client runs the call)';
  }
  if (client === 'claude-code') {
    const decision = (parsed.hookSpecificOutput as Record<string, unknown> | undefined)
      ?.permissionDecision;
    return decision === 'allow'
      ? "allow (Claude Code skips the user's permission prompt)"
      : typeof decision === 'string'
        ? decision
        : 'no objection';
  }
  const decision = client === 'cursor' ? parsed.permission : parsed.decision;
  if (decision === 'allow') return 'no objection';
  if (decision === 'deny' || decision === 'block') return 'deny';
  return typeof decision === 'string' ? decision : 'no decision in the output';
}

/** What the client does when the hook fails to answer. */
function failureOutcome(client: HookClient, handler: Record<string, unknown> | undefined): string {
  if (client === 'claude-code')
    return handler?.onFailure === 'block'
      ? 'Claude Code blocks the call (onFailure: block)'
      : 'Claude Code runs the call (no onFailure: block)';
  if (client === 'cursor')
    return handler?.failClosed === true
      ? 'Cursor blocks the call (failClosed)'
      : 'Cursor runs the call (no failClosed)';
  return `${client === 'codex' ? 'Codex' : 'Gemini CLI'} runs the call (it has no fail-closed option)`;
}

/** The words of a command Airlock wrote (single-quoted words, no other shell syntax). */
function wordsOf(command: string): string[] {
  return [...command.matchAll(/(?:'[^']*'|[^\s'])+/g)].map((match) =>
    match[0].replaceAll(/'([^']*)'/g, '$1'),
  );
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** How long doctor lets one probe run: clients give the hook 30 s, then treat it as failed. */
const PROBE_TIMEOUT_MS = 30_000;

/** Runs a hook command the way every client does: `sh -c COMMAND` with the input on stdin. */
function runAsClient(command: string, input: string, cwd: string): Promise<Run> {
  return new Promise((done) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: PROBE_TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.on('error', () => undefined);
    child.on('error', () => done({ status: null, stdout, stderr }));
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The command with the Airlock program it starts (and the entry file it names) moved to a missing path. */
export function movedAway(command: string): string {
  return command.replaceAll(/(?:'[^']*'|[^\s'])+/g, (word) => {
    const path = word.replaceAll(/'([^']*)'/g, '$1');
    const airlock =
      path.startsWith('/') &&
      (path === process.execPath ||
        path.endsWith('.cjs') ||
        path.endsWith('.js') ||
        basename(path) === 'airlock-hook');
    return airlock ? `${MOVED_AWAY}/${basename(path)}` : word;
  });
}

function matcherCovers(matcher: string | undefined, tool: string): boolean {
  if (matcher === undefined || matcher === '' || matcher === '*') return true;
  try {
    return new RegExp(`^(?:${matcher})$`).test(tool);
  } catch {
    return matcher.split('|').includes(tool);
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Checks one installed hook file of one client. */
export async function checkInstalledHook(
  client: HookClient,
  scope: HookScope,
  file: string,
  project: string,
  env: NodeJS.ProcessEnv,
): Promise<ClientReport> {
  const spec = CLIENT_HOOK_SPECS[client];
  const checks: DoctorCheck[] = [];
  const fix = `run: airlock install-hooks --client ${client}${scope === 'managed' ? ' --scope managed' : ''}`;
  const report = (): ClientReport => ({ client, scope, file, failure: spec.failure, checks });
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    checks.push({ check: 'config', ok: true, detail: `${file} is valid JSON` });
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'is missing'
        : error instanceof SyntaxError
          ? 'is not valid JSON'
          : 'cannot be read';
    checks.push({ check: 'config', ok: false, detail: `${file} ${why}; ${fix}` });
    return report();
  }
  const found = airlockHandlersIn(client, config);
  for (const entry of found) {
    checks.push({
      check: `installed ${entry.event}`,
      ok: entry.command !== undefined,
      detail:
        entry.command === undefined ? `no Airlock hook for ${entry.event}; ${fix}` : entry.command,
    });
    const required = REQUIRED_TOOLS[client][entry.event] ?? [];
    const missed =
      entry.command === undefined
        ? []
        : required.filter((tool) => !matcherCovers(entry.matcher, tool));
    if (required.length > 0 && entry.command !== undefined)
      checks.push({
        check: `matches ${entry.event}`,
        ok: missed.length === 0,
        detail:
          missed.length === 0
            ? `the matcher reaches ${required.join(', ')}`
            : `the matcher \`${entry.matcher ?? ''}\` misses ${missed.join(', ')}; ${fix}`,
      });
  }
  checks.push(...failClosedChecks(client, scope, config, found, fix));
  checks.push(...willRunChecks(client, scope, file, config, found, env));
  const first = found.find((entry) => entry.command !== undefined);
  if (first?.command === undefined) return report();
  checks.push(...(await probeChecks(client, first, project, fix)));
  return report();
}

/** Claude Code's onFailure and Cursor's failClosed on every Airlock entry; Codex and Gemini have none. */
function failClosedChecks(
  client: HookClient,
  scope: HookScope,
  config: Record<string, unknown>,
  found: readonly FoundHandler[],
  fix: string,
): DoctorCheck[] {
  const installed = found.filter((entry) => entry.handler !== undefined);
  if (client === 'claude-code') {
    const open = installed.filter((entry) => entry.handler?.onFailure !== 'block');
    const checks: DoctorCheck[] = [
      {
        check: 'fail closed',
        ok: open.length === 0,
        detail:
          open.length === 0
            ? 'onFailure is "block": a hook that cannot start, crashes or times out blocks the call (Claude Code 2.1.295 and later)'
            : `onFailure is not "block": a missing or crashing hook lets the call run; ${fix}`,
      },
    ];
    if (scope === 'managed')
      checks.push({
        check: 'managed hooks only',
        ok: config.allowManagedHooksOnly === true,
        detail:
          config.allowManagedHooksOnly === true
            ? 'allowManagedHooksOnly is true: user and project hooks are ignored'
            : `allowManagedHooksOnly is not true; ${fix}`,
      });
    return checks;
  }
  if (client === 'cursor') {
    const open = installed
      .filter((entry) => entry.handler?.failClosed !== true)
      .map((entry) => entry.event);
    return [
      {
        check: 'fail closed',
        ok: open.length === 0,
        detail:
          open.length === 0
            ? 'failClosed is set'
            : `failClosed is not true for ${open.join(', ')}: a crashing hook would let commands run; ${fix}`,
      },
    ];
  }
  return [
    {
      check: 'fail closed',
      ok: false,
      warning: true,
      detail: CLIENT_HOOK_SPECS[client].failure.why,
    },
  ];
}

/** Whether the client will run the hook at all: hooks not switched off, and (Codex) trusted. */
function willRunChecks(
  client: HookClient,
  scope: HookScope,
  file: string,
  config: Record<string, unknown>,
  found: readonly FoundHandler[],
  env: NodeJS.ProcessEnv,
): DoctorCheck[] {
  if (client === 'claude-code') {
    const off = config.disableAllHooks === true;
    return [
      {
        check: 'hooks on',
        ok: !off,
        detail: off
          ? `${file} sets disableAllHooks: Claude Code runs none of its hooks`
          : 'disableAllHooks is not set',
      },
    ];
  }
  if (client === 'gemini') {
    const settings = (config.hooksConfig ?? {}) as { enabled?: unknown; disabled?: unknown };
    const off =
      settings.enabled === false ||
      (Array.isArray(settings.disabled) && settings.disabled.includes('airlock'));
    return [
      {
        check: 'hooks on',
        ok: !off,
        detail: off
          ? `${file} turns hooks (or the airlock hook) off in hooksConfig`
          : 'hooksConfig does not turn the hook off',
      },
    ];
  }
  if (client !== 'codex') return [];
  const userConfig = join(codexHome(env), 'config.toml');
  const feature = codexHooksFeature(readText(userConfig));
  const checks: DoctorCheck[] = [];
  if (scope === 'managed') {
    const requirements = join(managedRoot(env), CODEX_MANAGED_REQUIREMENTS);
    const pinned = codexHooksFeature(readText(requirements)) === 'on';
    checks.push({
      check: 'hooks on',
      ok: pinned,
      detail: pinned
        ? `${requirements} pins [features] hooks = true`
        : `${requirements} does not pin [features] hooks = true: a user or project config could turn hooks off; run: airlock install-hooks --client codex --scope managed`,
    });
    checks.push({ check: 'trusted', ok: true, detail: 'managed hooks are trusted by policy' });
    return checks;
  }
  checks.push({
    check: 'hooks on',
    ok: feature !== 'off',
    detail:
      feature === 'off'
        ? `${userConfig} turns hooks off ([features] hooks = false): set it to true`
        : feature === 'on'
          ? `${userConfig} turns hooks on`
          : 'hooks are on by default (Codex 0.124 and later; older versions need `[features] codex_hooks = true`)',
  });
  const entry = found.find((handler) => handler.handler !== undefined);
  if (entry?.command === undefined) return checks;
  const key = codexHookKey(file, entry.group, entry.index);
  const trust = codexHookTrust(readText(userConfig), key);
  const expected = codexHookHash({
    matcher: entry.matcher,
    command: entry.command,
    timeout: typeof entry.handler?.timeout === 'number' ? entry.handler.timeout : undefined,
  });
  const review = `start codex, type /hooks and trust the Airlock hook (${key})`;
  if (trust === undefined || trust.trustedHash === undefined)
    checks.push({
      check: 'trusted',
      ok: false,
      detail: `Codex skips user hooks it has not trusted, and ${userConfig} records no trust for this one: ${review}`,
    });
  else if (!trust.enabled)
    checks.push({
      check: 'trusted',
      ok: false,
      detail: `the Airlock hook is turned off in /hooks (${key}): turn it on`,
    });
  else
    checks.push({
      check: 'trusted',
      ok: trust.trustedHash === expected,
      detail:
        trust.trustedHash === expected
          ? `trusted: the recorded hash matches the installed definition (${key})`
          : `the recorded trust is for another definition (Codex skips a changed hook until it is trusted again): ${review}`,
    });
  return checks;
}

/** The hook run as the client runs it: destructive, harmless, and with Airlock moved away. */
async function probeChecks(
  client: HookClient,
  entry: FoundHandler,
  project: string,
  fix: string,
): Promise<DoctorCheck[]> {
  const command = entry.command as string;
  const words = wordsOf(command);
  const missing = words.filter(
    (word) =>
      word.startsWith('/') &&
      (word.endsWith('.js') || word.endsWith('.cjs') || word.endsWith('node')) &&
      !existsSync(word),
  );
  const runner = words[0] ?? '';
  const runs = missing.length === 0 && (!runner.startsWith('/') || executable(runner));
  const checks: DoctorCheck[] = [
    {
      check: 'executable',
      ok: runs,
      detail: runs
        ? `${runner} runs the hook entry`
        : `${missing.length > 0 ? `missing: ${missing.join(', ')}` : `${runner} is not executable`}; ${fix}`,
    },
  ];
  if (!runs) return checks;
  const dry = `${command} --dry-run`;
  // One at a time, as a client runs them: run together they would slow each other past the
  // client's timeout on a busy machine and report a failure the client would not see.
  const destructive = await runAsClient(
    dry,
    probeInput(client, DESTRUCTIVE_PROBE, project),
    project,
  );
  const harmless = await runAsClient(dry, probeInput(client, HARMLESS_PROBE, project), project);
  const away = await runAsClient(
    `${movedAway(command)} --dry-run`,
    probeInput(client, DESTRUCTIVE_PROBE, project),
    project,
  );
  const stopped = decisionRead(client, destructive, entry.handler);
  checks.push({
    check: 'destructive probe',
    ok: stopped === 'deny',
    detail:
      stopped === 'deny'
        ? `\`${DESTRUCTIVE_PROBE}\` is stopped`
        : `\`${DESTRUCTIVE_PROBE}\` was answered: ${stopped}${firstLine(destructive.stderr)}`,
  });
  const passed = decisionRead(client, harmless, entry.handler);
  checks.push({
    check: 'harmless probe',
    ok: passed === 'no objection',
    detail:
      passed === 'no objection'
        ? `\`${HARMLESS_PROBE}\` gets no objection: the client's own permissions decide`
        : `\`${HARMLESS_PROBE}\` was answered: ${passed}${firstLine(harmless.stderr)}`,
  });
  const outcome = decisionRead(client, away, entry.handler);
  const blocked = outcome === 'deny' || outcome.includes('blocks');
  const open = CLIENT_HOOK_SPECS[client].failure.mode === 'open';
  checks.push({
    check: 'with Airlock moved away',
    ok: blocked,
    ...(open ? { warning: true as const } : {}),
    detail: `\`${DESTRUCTIVE_PROBE}\` with Airlock's program at a missing path: ${outcome}`,
  });
  return checks;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0];
  return line === undefined || line === '' ? '' : ` (${line.slice(0, 300)})`;
}
