export type { CredentialRule } from './credential-rules.js';
export { CREDENTIAL_RULES } from './credential-rules.js';
export type { CredentialMatch, DetectOptions } from './detect-credentials.js';
export { detectCredentials, fingerprintOf, holdsCredential } from './detect-credentials.js';
