export { parseDurationMs } from './duration.js';
export type { LoadedConfig } from './load.js';
export {
  CONFIG_FILE_NAME,
  DEFAULT_HOME,
  loadConfig,
  parseConfig,
  resolveCliActor,
  resolveHome,
} from './load.js';
export { redactConfig } from './redact.js';
export type { Config } from './schema.js';
export type { SecretContext, SecretRef } from './secrets.js';
export {
  CREDENTIALS_FOLDER,
  credentialPathOf,
  envSecret,
  fromSystemd,
  readSecretField,
  resolveSecret,
  secretRefOf,
} from './secrets.js';
export { configSchema } from './schema.js';
export { STARTER_CONFIG } from './starter.js';
export type { UpstreamConfig, UpstreamKind, UpstreamOf } from './upstream-sections.js';
export { upstreamSections } from './upstream-sections.js';
