export { classifyShellCommand, SHELL_CLASSIFIER, SHELL_UPSTREAM } from './classify.js';
export type { Finding, FindingTarget } from './types.js';
