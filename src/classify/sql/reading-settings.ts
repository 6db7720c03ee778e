/**
 * Settings that change how PostgreSQL reads statement text, and the values Airlock pins them to.
 * libpg-query reads text as the server does with exactly these values; the wire proxy opens
 * every upstream session with them. A session that changed one would read a text Airlock judged
 * as a SELECT of constants as something else: with standard_conforming_strings off a backslash
 * escapes a quote, in SJIS a multibyte character swallows a backslash. So every change to
 * another value is denied by the guard; returning to the startup value (RESET, DEFAULT) is not a
 * change. search_path is guarded on the same terms for another reason: a path naming pg_catalog
 * after another schema lets user objects shadow the built-ins Airlock trusts by name.
 */

/** One setting change as a statement asks for it. */
export type SettingChange =
  /** `SET name = value`, `set_config(name, value, …)`; `value` as the server receives it, undefined when computed. */
  | { readonly kind: 'set'; readonly name: string; readonly value: string | undefined }
  /** `SET name FROM CURRENT`. */
  | { readonly kind: 'current'; readonly name: string }
  /** `RESET name`, `SET name TO DEFAULT`; `RESET ALL` has no name. */
  | { readonly kind: 'reset'; readonly name: string | undefined }
  /** `set_config(expr, …)` with a name Airlock cannot compute. */
  | { readonly kind: 'computed' };

/** Why a setting change is denied, as the guarded target `setting:<name>` carries it. */
export interface GuardedSetting {
  readonly id: string;
  readonly why: string;
}

interface PinnedSetting {
  /** The value Airlock's sessions have, as PostgreSQL reports it. */
  readonly pinned: string;
  /** Whether a spelling PostgreSQL accepts means the pinned value. */
  readonly means: (value: string) => boolean;
}

// judgment: only the plain spellings of true; PostgreSQL also takes prefixes (`tr`), which are
// denied here: refusing a harmless spelling costs nothing.
const TRUE_SPELLINGS = new Set(['on', 'true', 'yes', '1']);

/** The reading settings and their pins. */
const READING_SETTINGS: ReadonlyMap<string, PinnedSetting> = new Map([
  [
    'standard_conforming_strings',
    { pinned: 'on', means: (value: string) => TRUE_SPELLINGS.has(value.toLowerCase()) },
  ],
  ['client_encoding', { pinned: 'UTF8', means: isUtf8Name }],
  [
    'backslash_quote',
    { pinned: 'safe_encoding', means: (value: string) => value.toLowerCase() === 'safe_encoding' },
  ],
]);

/**
 * Whether an encoding name means UTF-8 to PostgreSQL, which ignores case and every character
 * but ASCII letters and digits (`UTF-8`, `utf_8`, `Unicode`).
 */
export function isUtf8Name(value: string): boolean {
  const clean = value.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return clean === 'utf8' || clean === 'unicode';
}

/**
 * A setting's name as PostgreSQL looks it up: case does not matter (`SET "ROLE" = …` sets role).
 */
export function settingName(name: string): string {
  return name.toLowerCase();
}

/** The guarded target a change must be denied with, or undefined when the guard lets it pass. */
export function guardedSetting(change: SettingChange): GuardedSetting | undefined {
  if (change.kind === 'computed') {
    return {
      id: 'setting:(computed)',
      why: 'set_config with a setting name computed when it runs could change how PostgreSQL reads statement text, and Airlock cannot follow it',
    };
  }
  if (change.kind === 'reset' || change.name === undefined) return undefined;
  const name = settingName(change.name);
  const reading = READING_SETTINGS.get(name);
  if (reading !== undefined) {
    const pinned =
      change.kind === 'set' && change.value !== undefined && reading.means(change.value);
    if (pinned) return undefined;
    return {
      id: `setting:${name}`,
      why: `it changes how PostgreSQL reads statement text, which Airlock reads as the server does only with ${name} = ${reading.pinned}`,
    };
  }
  if (name === 'search_path' && change.kind === 'set' && shadowsCatalog(change.value)) {
    return {
      id: 'setting:search_path',
      why: 'a search_path naming pg_catalog after another schema (or one Airlock cannot read) lets user objects shadow the built-in functions Airlock trusts by name',
    };
  }
  return undefined;
}

/**
 * Whether a search_path value puts a schema before pg_catalog, or cannot be read. Without
 * pg_catalog in it PostgreSQL searches pg_catalog first, so only an explicit later place shadows.
 */
function shadowsCatalog(value: string | undefined): boolean {
  const schemas = value === undefined ? undefined : splitIdentifiers(value);
  if (schemas === undefined) return true;
  return schemas.indexOf('pg_catalog') > 0;
}

// PostgreSQL's scanner_isspace.
const SPACE = /[ \t\n\r\f]/;
const NAMEDATALEN_BYTES = 63;

/**
 * A list of identifiers as PostgreSQL's SplitIdentifierString reads a search_path: separated by
 * commas, double-quoted ones kept (`""` is a quote), bare ones folded to lower case, each cut to
 * 63 bytes. Undefined where PostgreSQL would reject the list.
 */
export function splitIdentifiers(value: string): string[] | undefined {
  const names: string[] = [];
  let at = skipSpace(value, 0);
  if (at === value.length) return names;
  for (;;) {
    let name = '';
    if (value[at] === '"') {
      for (at++; ; at++) {
        if (at >= value.length) return undefined;
        if (value[at] === '"') {
          if (value[at + 1] !== '"') break;
          at++;
        }
        name += value[at];
      }
      at++;
    } else {
      const start = at;
      while (at < value.length && value[at] !== ',' && !SPACE.test(value[at] ?? '')) at++;
      if (at === start) return undefined;
      name = value.slice(start, at).replace(/[A-Z]/g, (letter) => letter.toLowerCase());
    }
    names.push(truncateIdentifier(name));
    at = skipSpace(value, at);
    if (at === value.length) return names;
    if (value[at] !== ',') return undefined;
    at = skipSpace(value, at + 1);
  }
}

function skipSpace(value: string, from: number): number {
  let at = from;
  while (at < value.length && SPACE.test(value[at] ?? '')) at++;
  return at;
}

/** Cuts a name to PostgreSQL's identifier length, at a character boundary. */
function truncateIdentifier(name: string): string {
  if (Buffer.byteLength(name) <= NAMEDATALEN_BYTES) return name;
  let cut = '';
  for (const char of name) {
    if (Buffer.byteLength(cut + char) > NAMEDATALEN_BYTES) break;
    cut += char;
  }
  return cut;
}
