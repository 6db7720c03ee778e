import type { Action } from '../../core/index.js';
import type { HookDeps } from './run-hook.js';
import { HOOK_SHELL_UPSTREAM } from './run-hook.js';

/** The classifiers a hook judges with. */
export type HookClassifiers = Pick<HookDeps, 'classifyShell' | 'classifyFile' | 'classifyMcp'>;

/** Where the config puts what the hooks' shell guards besides the home. */
export interface HookPaths {
  readonly home: string;
  readonly policyDir: string;
  readonly storeFile: string;
}

/**
 * The classifiers a hook judges with: the shell surface's registered classifier (its upstream is
 * the hooks' shell upstream), the file-tool classifier under the same upstream, and the MCP
 * tool-call classifier the MCP proxy uses. The shell consults this machine's files and guards
 * the home, and the policy folder and store when the config puts them elsewhere.
 */
export async function loadHookClassifiers(paths: HookPaths): Promise<HookClassifiers> {
  // Loaded on first use: the hook's client mode forwards to the server and needs none of them.
  const [classifiers, platform, scan] = await Promise.all([
    import('../../classify/index.js'),
    import('../../platform/index.js'),
    import('../../scan/index.js'),
  ]);
  const files = platform.nodeFileReader();
  const context = {
    ...(files === undefined ? {} : { files }),
    guard: platform.guardSettingsFor(paths.home, [paths.policyDir, paths.storeFile]),
  };
  const shell = classifiers.shellClassifier(context);
  const own: HookClassifiers = {
    classifyShell: async (line: string, cwd: string): Promise<Action[]> => {
      const actions = await shell({ command: line, cwd });
      // Grants name the hooks' shell upstream; the registered classifier uses the same name.
      return actions.map((action) =>
        action.upstream === HOOK_SHELL_UPSTREAM
          ? action
          : { ...action, upstream: HOOK_SHELL_UPSTREAM },
      );
    },
    // File tools are judged like the shell's writes, against the same guarded paths.
    classifyFile: async (call) => classifiers.classifyFileTool(call, HOOK_SHELL_UPSTREAM, context),
    classifyMcp: async (call) => classifiers.classifyMcpToolCall({ ...call, annotations: {} }),
  };
  // Issue 24: a call that would read a provider credential is held, whatever it is (src/scan).
  return scan.withCredentialChecks(own, context.guard?.userHome);
}
