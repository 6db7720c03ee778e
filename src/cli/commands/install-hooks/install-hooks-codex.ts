import { createHash } from 'node:crypto';

/**
 * What decides whether Codex runs an installed hook (docs/agent-hooks.md), read from and written
 * to its TOML files with a deliberately small line reader (no TOML dependency): the `[features]`
 * switch (`hooks`, formerly `codex_hooks`; on by default since Codex 0.124), and the trust Codex
 * records per non-managed hook in `[hooks.state."FILE:pre_tool_use:GROUP:HANDLER"]` as
 * `trusted_hash`, a SHA-256 over the hook's definition. A changed definition no longer matches,
 * and Codex skips the hook until it is trusted again (`/hooks`).
 */

interface TomlLine {
  /** The table the line is in (`features`, `hooks.state."…"`); '' before any header. */
  readonly table: string;
  readonly key?: string;
  readonly value?: string;
  /** The line is a table header. */
  readonly header?: boolean;
}

/** Splits TOML text into tables and `key = value` lines; arrays of tables and multi-line values are skipped. */
function tomlLines(text: string): TomlLine[] {
  let table = '';
  const lines: TomlLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([^[\]].*)\]\s*(#.*)?$/.exec(line);
    if (header !== null) {
      table = (header[1] ?? '').trim();
      lines.push({ table, header: true });
      continue;
    }
    if (line.startsWith('[[')) {
      table = `[[${line}]]`;
      continue;
    }
    const pair = /^([A-Za-z0-9_.-]+)\s*=\s*(.+?)\s*(#[^"']*)?$/.exec(line);
    if (pair !== null) lines.push({ table, key: pair[1] as string, value: pair[2] as string });
  }
  return lines;
}

/** A TOML string value (basic or literal), else undefined. */
function tomlString(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) return value.slice(1, -1);
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    try {
      return JSON.parse(value) as string;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Whether Codex's `[features]` turn hooks on, off, or leave the default (on since 0.124). */
export function codexHooksFeature(text: string | undefined): 'on' | 'off' | 'default' {
  if (text === undefined) return 'default';
  let state: 'on' | 'off' | 'default' = 'default';
  for (const line of tomlLines(text)) {
    const key =
      line.table === 'features'
        ? line.key
        : line.table === ''
          ? line.key?.replace(/^features\./, '')
          : undefined;
    if (key !== 'hooks' && key !== 'codex_hooks') continue;
    if (line.table === '' && line.key?.startsWith('features.') !== true) continue;
    if (line.value === 'false') return 'off';
    if (line.value === 'true') state = 'on';
  }
  return state;
}

/**
 * Pins `[features] hooks = true` in Codex's requirements.toml, so no user or project config can
 * turn hooks off. Adds only what is missing; refuses a file that turns them off or spells
 * `features` in a form it will not edit, saying what to write instead.
 */
export function pinCodexHooksOn(
  text: string | undefined,
): { text: string; changed: boolean } | { problem: string } {
  const wanted = '[features]\nhooks = true\n';
  if (text === undefined || text.trim() === '') return { text: wanted, changed: true };
  const state = codexHooksFeature(text);
  if (state === 'off')
    return {
      problem:
        'it turns hooks off (`[features] hooks = false`): set `hooks = true` under `[features]`',
    };
  if (state === 'on') return { text, changed: false };
  const lines = text.split('\n');
  const at = lines.findIndex((line) => /^\s*\[features\]\s*(#.*)?$/.test(line));
  if (at >= 0) {
    lines.splice(at + 1, 0, 'hooks = true');
    return { text: lines.join('\n'), changed: true };
  }
  if (/^\s*features\s*[.=]/m.test(text))
    return {
      problem:
        'it spells `features` in a form Airlock does not edit: add `hooks = true` to it by hand',
    };
  return { text: `${text.endsWith('\n') ? text : `${text}\n`}\n${wanted}`, changed: true };
}

/** The trust Codex recorded for one hook key, if any. */
export interface CodexHookTrust {
  readonly trustedHash: string | undefined;
  /** False when the hook was turned off in `/hooks`. */
  readonly enabled: boolean;
}

/** The `[hooks.state."KEY"]` entry for a hook key in Codex's config.toml, if there is one. */
export function codexHookTrust(
  configText: string | undefined,
  key: string,
): CodexHookTrust | undefined {
  if (configText === undefined) return undefined;
  let found: { trustedHash: string | undefined; enabled: boolean } | undefined;
  for (const line of tomlLines(configText)) {
    const state = /^hooks\.state\.(.+)$/.exec(line.table);
    if (state === null || tomlString(state[1]?.trim()) !== key) continue;
    found ??= { trustedHash: undefined, enabled: true };
    if (line.key === 'trusted_hash') found.trustedHash = tomlString(line.value);
    if (line.key === 'enabled' && line.value === 'false') found.enabled = false;
  }
  return found;
}

/** The key Codex records a hook's trust under: `FILE:pre_tool_use:GROUP:HANDLER`. */
export function codexHookKey(file: string, group: number, index: number): string {
  return `${file}:pre_tool_use:${group}:${index}`;
}

/**
 * The hash Codex records when a user trusts a `PreToolUse` command hook: SHA-256 over the compact
 * JSON of its definition with sorted keys and Codex's defaults filled in, as public
 * reimplementations of Codex's hook identity reproduce it. If Codex changes the recipe, doctor
 * reports a mismatch and says to review the hook in `/hooks`: it never reports a false "trusted".
 */
export function codexHookHash(hook: {
  matcher: string | undefined;
  command: string;
  timeout: number | undefined;
}): string {
  const handler = `{"async":false,"command":${JSON.stringify(hook.command)},"timeout":${hook.timeout ?? 600},"type":"command"}`;
  const identity = `{"event_name":"pre_tool_use","hooks":[${handler}]${hook.matcher === undefined ? '' : `,"matcher":${JSON.stringify(hook.matcher)}`}}`;
  return `sha256:${createHash('sha256').update(identity).digest('hex')}`;
}
