import type { Action } from '../../core/index.js';
import { digestRequest } from '../../core/index.js';
import type { Classifier } from '../classifier.js';

/** The shell surface's classifier (corpus input shape); undefined until it is built. */
export const SHELL_CLASSIFIER: Classifier | undefined = undefined;

/**
 * Classifies one shell command line run in `cwd` with a real shell parser. Shared by the agent
 * hooks and the MCP proxy (command arguments).
 * PLACEHOLDER until the shell classifier lands: everything is `unknown`.
 */
export async function classifyShellCommand(command: string, cwd: string, upstream: string): Promise<Action[]> {
  return [{ upstream, surface: 'shell', operation: 'shell', effect: 'unknown', reversible: false, targets: [], digest: digestRequest({ command, cwd }) }];
}
