import { isUtf8 } from 'node:buffer';
import { parseStartupOptions } from './startup-options.js';

/**
 * The wire side of "one reading" (issue 16): Airlock's classifier reads statement text as
 * PostgreSQL does with standard_conforming_strings on, client_encoding UTF8 and backslash_quote
 * safe_encoding, so every upstream session is opened with exactly those, checked by what the
 * server reports, and watched afterwards; an agent cannot ask for anything else at startup.
 */

/**
 * The startup parameters of every upstream session. Startup parameters outrank ALTER ROLE /
 * ALTER DATABASE … SET and the server's configuration, and RESET returns to them.
 */
export const PINNED_READING_SETTINGS: Readonly<Record<string, string>> = {
  client_encoding: 'UTF8',
  standard_conforming_strings: 'on',
  backslash_quote: 'safe_encoding',
};

// The reading settings PostgreSQL reports in ParameterStatus (backslash_quote is not reported),
// with their pinned values as the server spells them.
const REPORTED: ReadonlyMap<string, string> = new Map([
  ['client_encoding', 'UTF8'],
  ['standard_conforming_strings', 'on'],
]);

/**
 * The problem with a backend ParameterStatus message (body: name and value, NUL-terminated)
 * when it reports a reading setting off its pin, e.g. "the server reports
 * standard_conforming_strings = `off`"; undefined when it reports anything else.
 */
export function parameterStatusProblem(body: Buffer): string | undefined {
  const nameEnd = body.indexOf(0);
  const valueEnd = nameEnd < 0 ? -1 : body.indexOf(0, nameEnd + 1);
  // SECURITY: a report Airlock cannot read could be the one that matters.
  if (valueEnd < 0) return 'the server sent a ParameterStatus message airlock cannot read';
  const name = body.toString('utf8', 0, nameEnd);
  const pinned =
    REPORTED.get(name) ??
    (name === 'backslash_quote' ? PINNED_READING_SETTINGS['backslash_quote'] : undefined);
  const value = body.toString('utf8', nameEnd + 1, valueEnd);
  if (pinned === undefined || value === pinned) return undefined;
  return `the server reports ${name} = \`${shown(value)}\``;
}

/**
 * The problem with the ParameterStatus messages (bodies) a server sent at startup: a reading
 * setting off its pin, or one it did not report at all.
 */
export function startupReportProblem(bodies: readonly Buffer[]): string | undefined {
  const reported = new Set<string>();
  for (const body of bodies) {
    const problem = parameterStatusProblem(body);
    if (problem !== undefined) return problem;
    reported.add(body.toString('utf8', 0, Math.max(0, body.indexOf(0))));
  }
  const missing = [...REPORTED.keys()].find((name) => !reported.has(name));
  return missing === undefined ? undefined : `the server did not report ${missing}`;
}

/**
 * Statement text (the bytes of a Query or Parse string, without its terminating NUL) as
 * Airlock reads it: undefined unless it is valid UTF-8, the encoding of every session through
 * Airlock, and free of NUL (the server would end the text there).
 */
export function decodeStatementText(bytes: Buffer): string | undefined {
  if (bytes.includes(0) || !isUtf8(bytes)) return undefined;
  return bytes.toString('utf8');
}

/**
 * Why an agent's startup parameters must be refused: a reading setting other than its pinned
 * value, as a parameter of its own or inside `options` (`-c name=value`, `--name=value`), or a
 * client_encoding that is not UTF-8 (or libpq's `auto`). Airlock's upstream session never takes
 * these from the agent; refusing says so rather than leaving the client to believe otherwise.
 */
export function startupParametersProblem(
  parameters: ReadonlyMap<string, string>,
): string | undefined {
  for (const [key, value] of parameters) {
    const name = key.toLowerCase();
    if (name === 'options') {
      const problem = optionsProblem(value);
      if (problem !== undefined) return problem;
    } else if (name === 'client_encoding') {
      if (!isUtf8Name(value) && value.toLowerCase() !== 'auto') return encodingProblem(value);
    } else if (!meansPinned(name, value)) {
      return `startup parameter \`${shown(`${key}=${value}`)}\` would make the server read statement text differently from airlock: connect without it (${pinnedSentence(name)})`;
    }
  }
  return undefined;
}

function optionsProblem(options: string): string | undefined {
  const parsed = parseStartupOptions(options);
  if (!parsed.ok) return `airlock cannot read the startup options: ${parsed.error}`;
  for (const setting of parsed.value) {
    const name = setting.name.toLowerCase();
    if (meansPinned(name, setting.value)) continue;
    if (name === 'client_encoding') return encodingProblem(setting.value);
    return `startup option \`${shown(setting.written)}\` would make the server read statement text differently from airlock: remove it from the options (PGOPTIONS) (${pinnedSentence(name)})`;
  }
  return undefined;
}

function encodingProblem(value: string): string {
  return `client_encoding \`${shown(value)}\` is not supported: airlock reads every session as UTF-8; connect with client_encoding UTF8 (PGCLIENTENCODING=UTF8)`;
}

function pinnedSentence(name: string): string {
  return `airlock sessions always have ${name} = ${PINNED_READING_SETTINGS[name] ?? '?'}`;
}

// The spellings PostgreSQL reads as each pinned value. INVARIANT: the same rules as the SQL
// classifier's reading-settings.ts (a test compares them), which judges SET and set_config.
const TRUE_SPELLINGS = new Set(['on', 'true', 'yes', '1']);

/** Whether a setting is not a reading setting, or is one given its pinned value. */
function meansPinned(name: string, value: string): boolean {
  switch (name) {
    case 'standard_conforming_strings':
      return TRUE_SPELLINGS.has(value.toLowerCase());
    case 'client_encoding':
      return isUtf8Name(value);
    case 'backslash_quote':
      return value.toLowerCase() === 'safe_encoding';
    default:
      return true;
  }
}

/** PostgreSQL ignores case and all but ASCII letters and digits in encoding names. */
function isUtf8Name(value: string): boolean {
  const clean = value.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return clean === 'utf8' || clean === 'unicode';
}

const SHOWN_MAX_CHARS = 80;

/** Agent or server text in a message, cut short. */
function shown(text: string): string {
  return text.length > SHOWN_MAX_CHARS ? `${text.slice(0, SHOWN_MAX_CHARS)}…` : text;
}
