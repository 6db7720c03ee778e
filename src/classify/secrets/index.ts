export type { CredentialRule } from './credential-rules.js';
export { CREDENTIAL_RULES } from './credential-rules.js';
export type { CredentialMatch, DetectOptions } from './detect-credentials.js';
export { detectCredentials, fingerprintOf, holdsCredential } from './detect-credentials.js';
export type { CredentialProbe, CredentialReadCall, ProbedCredential } from './credential-reads.js';
export { withCredentialReads } from './credential-reads.js';
