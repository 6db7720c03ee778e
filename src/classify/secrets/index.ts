export type { CredentialMatch } from './detect-credentials.js';
export { detectCredentials } from './detect-credentials.js';
export type { CredentialProbe, ProbedCredential } from './credential-reads.js';
export { withCredentialReads } from './credential-reads.js';
