import { describe, expect, it } from 'vitest';
import { corpusCases, corpusOutcome } from '../../../test/corpus-cases.js';
import type { Action } from '../../core/index.js';
import { classifierFor } from '../classifier.js';
import { classifyGraphqlRequest } from './graphql-classifier.js';
import { TEST_CATALOG } from './test-catalog.js';

const CASES = corpusCases('graphql');

describe('graphql corpus cases', () => {
  it('holds every graphql case of the corpus', () => {
    expect(CASES.length).toBe(32);
  });

  describe.each([
    ['the test catalog', (input: unknown) => classifyGraphqlRequest(input, TEST_CATALOG)],
    [
      'the registered classifier',
      (input: unknown) => classifierFor('graphql')?.(input) as Action[],
    ],
  ])('through %s', (_name, classify) => {
    it.each(CASES.map((item) => [item.id, item.technique, item] as const))(
      '%s (%s) is judged as the corpus expects',
      (_id, _technique, item) => {
        const actions = classify(item.input);
        expect(corpusOutcome(actions)).toBe(item.expect);
        for (const action of actions) expect(action.surface).toBe('graphql');
      },
    );
  });
});
