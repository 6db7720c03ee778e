import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Action, SurfaceKind } from '../src/core/index.js';

/** One case of the adversarial corpus (`shared/corpus/README.md`). */
export interface CorpusCase {
  readonly id: string;
  readonly surface: SurfaceKind;
  readonly input: unknown;
  readonly expect: 'block' | 'allow';
  readonly why: string;
  readonly technique: string;
}

const SHARED = join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'public.jsonl');
const VENDORED = join(import.meta.dirname, 'corpus', 'public.jsonl');

/** The corpus file: the shared one when it is beside the checkout, else the vendored copy. */
export const CORPUS_FILE = existsSync(SHARED) ? SHARED : VENDORED;

/** Every case of one surface, with its JSON line as `airlock check` reads it. */
export function corpusCases(surface: SurfaceKind): (CorpusCase & { readonly line: string })[] {
  return readFileSync(CORPUS_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ ...(JSON.parse(line) as CorpusCase), line }))
    .filter((item) => item.surface === surface);
}

/**
 * What a case's actions mean for the gate under the default policy: anything destructive or
 * unknown (or nothing understood at all) needs a human, so it blocks.
 */
export function corpusOutcome(actions: readonly Action[]): 'block' | 'allow' {
  const risky = actions.some(
    (action) => action.effect === 'destructive' || action.effect === 'unknown',
  );
  return actions.length === 0 || risky ? 'block' : 'allow';
}
