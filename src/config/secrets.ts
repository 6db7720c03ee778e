import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Result } from '../core/index.js';
import { err, ok } from '../core/index.js';

/** Where a secret is: an environment variable (development) or a file only the server may read. */
export type SecretRef = { readonly env: string } | { readonly file: string };

/** What a secret is resolved against. */
export interface SecretContext {
  readonly env: NodeJS.ProcessEnv;
  /** The server's home; a relative credential file is under `HOME/credentials` unless systemd hands them over. */
  readonly home: string;
}

/** The folder under the home that holds credential files when systemd's `$CREDENTIALS_DIRECTORY` is not set. */
export const CREDENTIALS_FOLDER = 'credentials';

/** A credential file larger than this is not a credential. */
const MAX_SECRET_BYTES = 64 * 1024;

/**
 * The absolute path of a credential file: as written when absolute, else under
 * `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`) when set, else under `HOME/credentials`.
 */
export function credentialPathOf(file: string, context: SecretContext): string {
  if (isAbsolute(file)) return file;
  return join(
    fromSystemd(file, context)
      ? (context.env['CREDENTIALS_DIRECTORY'] ?? '')
      : join(context.home, CREDENTIALS_FOLDER),
    file,
  );
}

/** Whether a credential file is one systemd hands over (`LoadCredential=`), not one of the home. */
export function fromSystemd(file: string, context: SecretContext): boolean {
  const systemd = context.env['CREDENTIALS_DIRECTORY'];
  return !isAbsolute(file) && systemd !== undefined && systemd !== '';
}

/**
 * Reads one secret, trimmed of surrounding white space: the one way every secret is read, from
 * the environment or a file, for every surface (through `readSecretField`) and the CLI (`envSecret`). Refused: an unset or blank variable, a
 * file that cannot be read, is empty, or that group or others may read or write.
 * SECURITY: an error names the variable or the file, never the value.
 * @example resolveSecret({ file: 'railway-token' }, { env: process.env, home: '/var/lib/airlock' })
 */
export function resolveSecret(ref: SecretRef, context: SecretContext): Result<string, string> {
  if ('env' in ref) {
    const value = (context.env[ref.env] ?? '').trim();
    return value === '' ? err(`$${ref.env} is unset`) : ok(value);
  }
  const path = credentialPathOf(ref.file, context);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return err(
      `credential file \`${path}\` cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    // One open file for the check and the read: the mode checked is the mode of what is read.
    const stats = fstatSync(fd);
    if (!stats.isFile()) return err(`credential file \`${path}\` is not a file`);
    // SECURITY: a credential other users could read is no longer the server's alone. systemd
    // writes `$CREDENTIALS_DIRECTORY` files as root, 0400 with an ACL for the service's user,
    // which shows as group read (the ACL mask): there only "others" must have nothing.
    const closedTo = fromSystemd(ref.file, context) ? 0o007 : 0o077;
    if ((stats.mode & closedTo) !== 0) {
      return err(
        `credential file \`${path}\` is open to other users (mode 0${(stats.mode & 0o777).toString(8)}): run \`chmod 600 ${path}\``,
      );
    }
    if (stats.size > MAX_SECRET_BYTES)
      return err(`credential file \`${path}\` is larger than ${MAX_SECRET_BYTES} bytes`);
    const buffer = Buffer.alloc(stats.size);
    const read = readSync(fd, buffer, 0, stats.size, 0);
    const value = buffer.subarray(0, read).toString('utf8').trim();
    return value === '' ? err(`credential file \`${path}\` is empty`) : ok(value);
  } finally {
    closeSync(fd);
  }
}

/**
 * A secret from one environment variable, trimmed as every secret is; undefined when the
 * variable is unset or blank. For what the CLI reads from its own environment (an agent's
 * `$AIRLOCK_TOKEN`), where the caller words its own refusal.
 */
export function envSecret(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const value = resolveSecret({ env: name }, { env, home: '' });
  return value.ok ? value.value : undefined;
}

/** The secret named by a section's `${base}Env` or `${base}File` field (e.g. `credentialEnv`), if either is set. */
export function secretRefOf(section: object, base: string): SecretRef | undefined {
  const fields = section as Readonly<Record<string, unknown>>;
  const file = fields[`${base}File`];
  if (typeof file === 'string') return { file };
  const env = fields[`${base}Env`];
  return typeof env === 'string' ? { env } : undefined;
}

/**
 * Resolves the secret of a section's `${base}Env`/`${base}File` pair for a caller that lists
 * every problem: on failure pushes `WHERE.FIELD: why` (e.g. `upstreams.railway.credentialEnv:
 * $RAILWAY_TOKEN is unset`) and returns undefined; so does a required pair with neither set.
 */
export function readSecretField(
  section: object,
  base: string,
  where: string,
  context: SecretContext,
  problems: string[],
  required = true,
): string | undefined {
  const ref = secretRefOf(section, base);
  if (ref === undefined) {
    if (required) problems.push(`${where}.${base}Env: required (or ${base}File)`);
    return undefined;
  }
  const resolved = resolveSecret(ref, context);
  if (resolved.ok) return resolved.value;
  problems.push(`${where}.${base}${'env' in ref ? 'Env' : 'File'}: ${resolved.error}`);
  return undefined;
}
