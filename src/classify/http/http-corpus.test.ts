import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/index.js';
import { classifierFor } from '../classifier.js';

interface CorpusCase {
  readonly id: string;
  readonly surface: string;
  readonly input: unknown;
  readonly expect: 'block' | 'allow';
  readonly technique: string;
}

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'test', 'corpus', 'public.jsonl');
const CASES = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusCase)
  .filter((item) => item.surface === 'http');

/** What a case's actions mean for the gate: block needs something a human must see. */
function outcome(actions: readonly Action[]): 'block' | 'allow' {
  const risky = actions.some((action) => action.effect === 'destructive' || action.effect === 'unknown');
  return actions.length === 0 || risky ? 'block' : 'allow';
}

describe('http corpus cases', () => {
  it('holds every http case of the corpus', () => {
    expect(CASES.length).toBe(29);
  });

  it.each(CASES.map((item) => [item.id, item.technique, item] as const))('%s (%s) is judged as the corpus expects', async (_id, _technique, item) => {
    const classify = classifierFor('http');
    expect(classify).toBeDefined();
    const actions = await classify?.(item.input) ?? [];
    expect(outcome(actions)).toBe(item.expect);
    for (const action of actions) {
      expect(action.surface).toBe('http');
      expect(action.digest).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
