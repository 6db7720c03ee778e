import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/index.js';
import { ClassificationCache } from './classification-cache.js';

const INPUT = {
  method: 'POST',
  contentType: 'application/json',
  body: '{"query":"{ me { id } }"}',
  query: {},
};

function counting(): {
  classify: (input: Readonly<Record<string, unknown>>) => Promise<Action[]>;
  calls: () => number;
} {
  let calls = 0;
  return {
    classify: async (input) => {
      calls++;
      return [
        {
          upstream: 'railway',
          surface: 'graphql',
          operation: String(input['body']),
          effect: 'read',
          reversible: true,
          targets: [{ type: 'project', id: 'p1', attrs: { arg: 'id' } }],
          digest: 'd',
        },
      ];
    },
    calls: () => calls,
  };
}

describe('ClassificationCache', () => {
  it('classifies a repeated input once and shares deeply frozen actions', async () => {
    const cache = new ClassificationCache<readonly Action[]>();
    const { classify, calls } = counting();
    const first = await cache.classify(INPUT, classify);
    const second = await cache.classify({ ...INPUT }, classify);
    expect(calls()).toBe(1);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first[0]?.targets[0]?.attrs)).toBe(true);
    expect(() => {
      (first[0] as { operation: string }).operation = 'volumeDelete';
    }).toThrow(TypeError);
  });

  it('classifies again when any part of the input differs', async () => {
    const cache = new ClassificationCache<readonly Action[]>();
    const { classify, calls } = counting();
    await cache.classify(INPUT, classify);
    await cache.classify({ ...INPUT, method: 'GET' }, classify);
    await cache.classify({ ...INPUT, contentType: 'text/plain' }, classify);
    await cache.classify({ method: 'POST', body: INPUT.body, query: {} }, classify);
    await cache.classify({ ...INPUT, body: `${INPUT.body} ` }, classify);
    await cache.classify({ ...INPUT, query: { operationName: 'x' } }, classify);
    await cache.classify({ ...INPUT, query: { operationName: ['x', 'y'] } }, classify);
    expect(calls()).toBe(7);
  });

  it('does not keep large bodies', async () => {
    const cache = new ClassificationCache<readonly Action[]>();
    const { classify, calls } = counting();
    const large = { ...INPUT, body: `{"query":"{ me { id } }","pad":"${'x'.repeat(20_000)}"}` };
    await cache.classify(large, classify);
    await cache.classify(large, classify);
    expect(calls()).toBe(2);
  });

  it('does not keep a failed classification', async () => {
    const cache = new ClassificationCache<readonly Action[]>();
    let calls = 0;
    const failing = async (): Promise<Action[]> => {
      calls++;
      throw new Error('classifier failed');
    };
    await expect(cache.classify(INPUT, failing)).rejects.toThrow('classifier failed');
    await expect(cache.classify(INPUT, failing)).rejects.toThrow('classifier failed');
    expect(calls).toBe(2);
  });
});
