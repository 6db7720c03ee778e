import type { ShellContext } from '../classify/index.js';
import { guardSettingsFor, nodeFileReader } from '../platform/index.js';

/** What the hooks' shell classifier may consult on this machine: its files, and what Airlock guards. */
export function hookShellContext(airlockHome: string | undefined): ShellContext {
  const files = nodeFileReader();
  const guard = guardSettingsFor(airlockHome);
  return { ...(files === undefined ? {} : { files }), ...(guard === undefined ? {} : { guard }) };
}
