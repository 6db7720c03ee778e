import { existsSync } from 'node:fs';
import type { PolicyEngine } from '../core/index.js';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './output.js';

/**
 * The engine for a policy folder. A folder that does not exist means the shipped default,
 * unless the user named it explicitly; an invalid set refuses with every problem listed.
 */
export async function loadEngineFor(dir: string, explicit = false): Promise<PolicyEngine> {
  // Imported on demand: compiling the Cedar wasm module costs every other command startup time.
  const { CedarPolicyEngine, loadDefaultPolicyFiles, loadPolicyFiles } = await import('../policy/index.js');
  if (!existsSync(dir) && explicit) {
    throw new CliFailure(`policy folder \`${dir}\` does not exist`, EXIT.invalidInput);
  }
  const files = existsSync(dir) ? loadPolicyFiles(dir) : loadDefaultPolicyFiles();
  const engine = CedarPolicyEngine.create(files);
  if (!engine.ok) {
    throw new CliFailure(
      `the policies in \`${dir}\` are invalid; nothing was loaded`,
      EXIT.invalidInput,
      engine.error.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`),
    );
  }
  return engine.value;
}
