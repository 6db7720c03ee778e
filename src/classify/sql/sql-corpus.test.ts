import { describe, expect, it } from 'vitest';
import { corpusCases, corpusOutcome } from '../../../test/corpus-cases.js';
import { verifies } from '../../../test/requirements.js';
import { classifierFor } from '../classifier.js';
import { classifySqlCorpusInput } from './corpus-classifier.js';

const CASES = corpusCases('sql');

describe('sql corpus cases', () => {
  it('holds every sql case of the corpus', () => {
    expect(CASES.length).toBe(55);
  });

  describe.each([
    ['the sql classifier', classifySqlCorpusInput],
    [
      'the registered classifier',
      async (input: unknown) => (await classifierFor('sql')?.(input)) ?? [],
    ],
  ])('through %s', (_name, classify) => {
    it.each(CASES.map((item) => [item.id, item.technique, item] as const))(
      '%s (%s) is judged as the corpus expects',
      async (_id, _technique, item) => {
        verifies('check.sql-corpus-exact');
        const actions = await classify(item.input);
        expect(corpusOutcome(actions)).toBe(item.expect);
        for (const action of actions) expect(action.surface).toBe('sql');
      },
    );
  });
});
