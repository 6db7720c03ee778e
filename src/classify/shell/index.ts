export { classifyShellCommand, SHELL_CLASSIFIER, SHELL_UPSTREAM, shellClassifier } from './classify.js';
export type { FileRead, FileReader, Finding, FindingTarget, GuardSettings, ShellContext } from './types.js';
