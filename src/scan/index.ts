export type { ScanFindingV1, ScanReportV1 } from './scan-credentials.js';
export { ScanInputError, scanCredentials } from './scan-credentials.js';
export { nodeCredentialProbe } from './credential-probe.js';
export { withCredentialChecks } from './hook-credential-check.js';
