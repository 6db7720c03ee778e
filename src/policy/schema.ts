import { readFileSync } from 'node:fs';

/** Cedar type names in the schema Airlock ships (`airlock.cedarschema`). */
export const CEDAR_TYPES = {
  agent: 'Airlock::Agent',
  target: 'Airlock::Target',
  upstream: 'Airlock::Upstream',
  action: 'Airlock::Action',
} as const;

/** The target type that stands for the upstream itself when an action names no target. */
export const UPSTREAM_TARGET_TYPE = 'upstream';

/** The environment attribute of a target whose environment the resolver could not find. */
export const UNKNOWN_ENVIRONMENT = 'unknown';

let schemaText: string | undefined;

/** The text of the shipped Cedar schema; read once, on first use, from beside this module. */
export function airlockSchemaText(): string {
  schemaText ??= readFileSync(new URL('./airlock.cedarschema', import.meta.url), 'utf8');
  return schemaText;
}
