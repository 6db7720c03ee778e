import { describe, expect, it } from 'vitest';
import { corpusCases, corpusOutcome } from '../../../test/corpus-cases.js';
import { classifierFor } from '../classifier.js';

const CASES = corpusCases('http');

describe('http corpus cases', () => {
  it('holds every http case of the corpus', () => {
    expect(CASES.length).toBe(29);
  });

  it.each(CASES.map((item) => [item.id, item.technique, item] as const))(
    '%s (%s) is judged as the corpus expects',
    async (_id, _technique, item) => {
      const classify = classifierFor('http');
      expect(classify).toBeDefined();
      const actions = (await classify?.(item.input)) ?? [];
      expect(corpusOutcome(actions)).toBe(item.expect);
      for (const action of actions) {
        expect(action.surface).toBe('http');
        expect(action.digest).toMatch(/^[0-9a-f]{64}$/);
      }
    },
  );
});
