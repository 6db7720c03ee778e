import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Result } from '../core/index.js';
import { FirewallError, describeError, err } from '../core/index.js';
import type { CompiledPolicySet } from './compile-policy-set.js';
import { compilePolicySet } from './compile-policy-set.js';
import type { PolicyFile, PolicyProblem } from './policy-problem.js';

/** The folder holding the shipped default policy (`default.cedar`) and its cases. */
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('./default-policy/', import.meta.url));

/**
 * Reads every `*.cedar` file directly in a folder, sorted by name so that a set loads the same
 * way everywhere. Throws FirewallError `policy.invalid` when the folder or a file cannot be read.
 */
export function loadPolicyFiles(dir: string): PolicyFile[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.cedar'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const message = `cannot read policy folder \`${dir}\`: ${describeError(error)}`;
    throw new FirewallError('policy.invalid', message, { cause: error });
  }
  return names.map((name) => {
    try {
      return { name, text: readFileSync(join(dir, name), 'utf8') };
    } catch (error) {
      const message = `cannot read policy file \`${name}\`: ${describeError(error)}`;
      throw new FirewallError('policy.invalid', message, { cause: error });
    }
  });
}

/** The files of the shipped default policy. */
export function loadDefaultPolicyFiles(): PolicyFile[] {
  return loadPolicyFiles(DEFAULT_POLICY_DIR);
}

/** Reads and compiles every `*.cedar` file in a folder: the compiled set, or every problem. */
export function loadPolicyDir(dir: string): Result<CompiledPolicySet, PolicyProblem[]> {
  let files: PolicyFile[];
  try {
    files = loadPolicyFiles(dir);
  } catch (error) {
    return err([{ file: dir, line: 0, column: 0, message: describeError(error) }]);
  }
  return compilePolicySet(files);
}

/** Compiles the shipped default policy. */
export function loadDefaultPolicy(): Result<CompiledPolicySet, PolicyProblem[]> {
  return loadPolicyDir(DEFAULT_POLICY_DIR);
}
