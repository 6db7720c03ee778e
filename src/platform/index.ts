export type { BoundaryProblem, ServerIdentity } from './home-boundary.js';
export {
  checkHomePlacement,
  checkServerUser,
  checkServiceHome,
  gitWorkTreeOf,
} from './home-boundary.js';
export type { AuditPublicKey, AuditSigner } from './audit-signing-key.js';
export {
  AUDIT_SIGNING_KEY_FILE,
  loadOrCreateAuditSigningKey,
  readAuditPublicKey,
  readAuditSigningKey,
} from './audit-signing-key.js';
export type { CheckpointSink, WitnessConfig } from './checkpoint-witnesses.js';
export {
  WITNESS_TIMEOUT_MS,
  fileSink,
  httpSink,
  readCheckpointLines,
  syslogSink,
  witnessSink,
} from './checkpoint-witnesses.js';
export { cryptoRandom, randomIds, systemClock } from './system.js';
export { guardSettingsFor } from './guard-settings.js';
export { nodeFileReader } from './shell-file-reader.js';
