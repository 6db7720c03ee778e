export type { HookAnswer, HookCall, HookClient, HookVerdict } from './protocols.js';
export { formatAnswer, formatPass, HOOK_CLIENTS, HookInputError, parseHookInput } from './protocols.js';
export type { HookDeps } from './run-hook.js';
export { dryRunJudge, HOOK_SHELL_UPSTREAM, runHook, verdictOf } from './run-hook.js';
