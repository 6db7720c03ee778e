export type { HookAnswer, HookCall, HookClient, HookVerdict } from './protocols.js';
export {
  formatAnswer,
  formatPass,
  HOOK_CLIENTS,
  HOOK_ROUTE_PREFIX,
  HookInputError,
} from './protocols.js';
export { CURSOR_FILE_TOOLS, parseHookInput } from './hook-input.js';
export { patchPaths } from './patch-paths.js';
export type { HookDeps, HookJudgeRequest } from './run-hook.js';
export { dryRunJudge, HOOK_SHELL_UPSTREAM, runHook, verdictOf } from './run-hook.js';
export type { HookClassifiers, HookPaths } from './config.js';
export { loadHookClassifiers } from './config.js';
export { hooksSurface } from './surface.js';
