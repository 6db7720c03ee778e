import type { ShellContext } from '../../classify/index.js';
import type { LoadedConfig } from '../../config/index.js';
import { guardSettingsFor, nodeFileReader } from '../../platform/index.js';

/**
 * What the hooks' shell classifier may consult on this machine: its files, and what Airlock guards
 * (its home, and the policy folder and store of `loaded` when the config puts them elsewhere).
 */
export function hookShellContext(
  loaded: Pick<LoadedConfig, 'home' | 'policyDir' | 'storeFile'>,
): ShellContext {
  const files = nodeFileReader();
  const guard = guardSettingsFor(loaded.home, [loaded.policyDir, loaded.storeFile]);
  return { ...(files === undefined ? {} : { files }), guard };
}
