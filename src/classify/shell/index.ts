export {
  classifyShellCommand,
  digestShellCommand,
  SHELL_CLASSIFIER,
  SHELL_UPSTREAM,
  shellClassifier,
  toAction as shellFindingAction,
} from './classify.js';
export { guardFindings } from './guard.js';
export { deletionLoss, isHarmlessDevice, resolvePath } from './paths.js';
export type {
  FileRead,
  FileReader,
  Finding,
  FindingTarget,
  GuardSettings,
  ShellContext,
} from './types.js';
