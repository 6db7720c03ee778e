import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SandboxCase } from './explicit-cases.js';

/** The shape of a command catalog entry this harness reads (src/classify/shell/catalog/command-schema.ts). */
interface CatalogEntry {
  readonly name: string;
  readonly examples?: readonly { readonly command: string; readonly effect: string }[];
}

const CATALOG = new URL('../../src/classify/shell/catalog/command-catalog.ts', import.meta.url);

/**
 * Every example of the shell command catalog as a sandbox case (each needs its program), or
 * undefined while the catalog module does not exist yet. Loaded by path at run time so that
 * this harness does not depend on the catalog at compile time.
 */
export async function catalogCases(cwd = '/repo'): Promise<SandboxCase[] | undefined> {
  if (!existsSync(fileURLToPath(CATALOG))) return undefined;
  const module = (await import(/* @vite-ignore */ CATALOG.href)) as {
    COMMAND_CATALOG?: readonly CatalogEntry[];
  };
  if (module.COMMAND_CATALOG === undefined)
    throw new Error('command-catalog.ts exports no COMMAND_CATALOG');
  return module.COMMAND_CATALOG.flatMap((entry) =>
    (entry.examples ?? []).map((example, index) => ({
      label: `catalog ${entry.name} #${index + 1}`,
      command: example.command,
      cwd,
      needs: entry.name,
    })),
  );
}
