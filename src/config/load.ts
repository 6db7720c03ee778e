import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Result } from '../core/index.js';
import { err, ok } from '../core/index.js';
import type { Config } from './schema.js';
import { configSchema } from './schema.js';

/** The folder Airlock keeps its state in when neither --home nor AIRLOCK_HOME says otherwise. */
export const DEFAULT_HOME = '.airlock';
/** The config file's name inside the home folder. */
export const CONFIG_FILE_NAME = 'airlock.yaml';

/** Configuration with the folder it was loaded for; paths inside are absolute. */
export interface LoadedConfig {
  readonly home: string;
  readonly file: string | undefined;
  readonly config: Config;
  /** Absolute path of the policy folder. */
  readonly policyDir: string;
  /** Absolute path of the SQLite file. */
  readonly storeFile: string;
}

/** Picks the home folder: the flag, then AIRLOCK_HOME, then ./.airlock. */
export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(flag ?? env['AIRLOCK_HOME'] ?? DEFAULT_HOME);
}

/**
 * Loads `HOME/airlock.yaml` (or defaults when there is none), validates it against the one
 * schema, and returns it deeply frozen; every problem is listed with the field it concerns.
 */
export function loadConfig(home: string): Result<LoadedConfig> {
  const file = join(home, CONFIG_FILE_NAME);
  const found = existsSync(file);
  let raw: unknown = {};
  if (found) {
    try {
      raw = parseYaml(readFileSync(file, 'utf8')) ?? {};
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return err([`${file}: not valid YAML: ${message}`]);
    }
  }
  const parsed = parseConfig(raw);
  if (!parsed.ok)
    return err(parsed.error.map((problem) => `${found ? file : 'defaults'}: ${problem}`));
  const config = parsed.value;
  return ok(
    deepFreeze({
      home,
      file: found ? file : undefined,
      config,
      policyDir: within(home, config.policy.dir),
      storeFile: within(home, config.store.file),
    }),
  );
}

/** Validates an already-parsed config value; problems name the field, e.g. `freeze.window: …`. */
export function parseConfig(raw: unknown): Result<Config> {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return ok(parsed.data);
  return err(
    parsed.error.issues.map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return `${field}: ${issue.message}`;
    }),
  );
}

function within(home: string, path: string): string {
  return isAbsolute(path) ? path : join(home, path);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** Who a CLI user is, for the audit record: `human:$USER`. */
export function resolveCliActor(env: NodeJS.ProcessEnv): string {
  return `human:${env['AIRLOCK_ACTOR'] ?? env['USER'] ?? env['LOGNAME'] ?? 'cli'}`;
}
