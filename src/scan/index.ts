export type { HomeLocation } from './home-locations.js';
export { HOME_LOCATIONS, hintForPath, isSensitiveName } from './home-locations.js';
export type { FindingSource, ScanFindingV1, ScanOptions, ScanReportV1, ScanSkipV1 } from './scan-credentials.js';
export { ScanInputError, scanCredentials, scanEnvironment } from './scan-credentials.js';
export { MAX_PROBED_FILE_BYTES, MAX_PROBED_FOLDER_FILES, nodeCredentialProbe } from './credential-probe.js';
export type { HookFileClassifiers } from './hook-credential-check.js';
export { withCredentialChecks } from './hook-credential-check.js';
