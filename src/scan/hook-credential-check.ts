import type { Action } from '../core/index.js';
import type { FileToolCall } from '../classify/index.js';
import { withCredentialReads } from '../classify/index.js';
import { nodeCredentialProbe } from './credential-probe.js';

/** The two hook classifiers the credential check wraps (the shape of `HookDeps`' members). */
export interface HookFileClassifiers {
  classifyShell(command: string, cwd: string): Promise<Action[]>;
  classifyFile(call: FileToolCall): Promise<Action[]>;
}

/**
 * The hooks' shell and file-tool classifiers, each call followed by the credential check
 * (issue 24 part 3): a call that would read a file holding a provider credential gets a held
 * action naming the finding. One probe per call, so its cache never outlives what it saw.
 */
export function withCredentialChecks<T extends HookFileClassifiers>(
  classifiers: T,
  userHome: string | undefined,
): T {
  const probe = () => nodeCredentialProbe(userHome === undefined ? {} : { userHome });
  return {
    ...classifiers,
    classifyShell: async (command: string, cwd: string) =>
      withCredentialReads(await classifiers.classifyShell(command, cwd), { command, cwd }, probe()),
    classifyFile: async (call: FileToolCall) =>
      withCredentialReads(await classifiers.classifyFile(call), { cwd: call.cwd }, probe()),
  };
}
