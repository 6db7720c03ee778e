import { existsSync } from 'node:fs';
import type { PolicyEngine, Result } from '../core/index.js';
import { FirewallError, describeError, err, ok } from '../core/index.js';
import type { PolicyReload } from '../server/index.js';
import { EXIT } from './exit-codes.js';
import { CliFailure } from './output.js';

/**
 * The engine for a policy folder. A folder that does not exist means the shipped default,
 * unless the user named it explicitly; an invalid set refuses with every problem listed.
 */
export async function loadEngineFor(dir: string, explicit = false): Promise<PolicyEngine> {
  if (!existsSync(dir) && explicit) {
    throw new CliFailure(`policy folder \`${dir}\` does not exist`, EXIT.invalidInput);
  }
  const compiled = await compilePolicyDir(dir);
  if (!compiled.ok)
    throw new CliFailure(
      `the policies in \`${dir}\` are invalid; nothing was loaded`,
      EXIT.invalidInput,
      compiled.error,
    );
  return compiled.value.engine;
}

/** The whole policy set of a folder (the shipped default when it does not exist), compiled; or every problem. */
export async function compilePolicyDir(
  dir: string,
): Promise<Result<{ engine: PolicyEngine; files: number }, string[]>> {
  // Imported on demand: compiling the Cedar wasm module costs every other command startup time.
  const { CedarPolicyEngine, loadDefaultPolicyFiles, loadPolicyFiles } =
    await import('../policy/index.js');
  let files;
  try {
    files = existsSync(dir) ? loadPolicyFiles(dir) : loadDefaultPolicyFiles();
  } catch (error) {
    return err([describeError(error)]);
  }
  const engine = CedarPolicyEngine.create(files);
  if (!engine.ok)
    return err(engine.error.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`));
  return ok({ engine: engine.value, files: files.length });
}

/** A policy set `airlock serve` can swap while it runs: all or nothing. */
export interface SwappablePolicy {
  /** The engine in force now; read it per request, never keep it. */
  readonly current: () => PolicyEngine;
  /**
   * Compiles the whole folder again and swaps only once all of it compiled; on any problem it
   * throws `policy.invalid` listing them, and the set in force stays.
   */
  readonly reload: () => Promise<PolicyReload>;
}

/** Loads a folder's policy set (refusing with every problem) and makes it swappable. */
export async function loadSwappablePolicy(dir: string): Promise<SwappablePolicy> {
  let engine = await loadEngineFor(dir);
  return {
    current: () => engine,
    reload: async () => {
      const compiled = await compilePolicyDir(dir);
      if (!compiled.ok)
        throw new FirewallError(
          'policy.invalid',
          `the policies in \`${dir}\` are invalid; the set in force stays`,
          { details: compiled.error },
        );
      // INVARIANT: one assignment, after everything compiled: no request sees half a set.
      engine = compiled.value.engine;
      return {
        policyFiles: compiled.value.files,
        loadedFrom: existsSync(dir) ? dir : '(shipped default)',
      };
    },
  };
}
