import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/index.js';
import { isEffect } from '../../core/index.js';
import { classify, post } from './graphql-test-requests.js';

const digestOf = (request: unknown): string | undefined => classify(request)[0]?.digest;

describe('classifyGraphqlRequest: digest', () => {
  const document = 'mutation D($id: String!, $env: String) { volumeDelete(volumeId: $id) }';

  it('ignores whitespace, commas and comments in the document', () => {
    const spaced =
      '# delete it\nmutation D(\n  $id: String!,\n  $env: String\n) {\n  volumeDelete( volumeId: $id ) # now\n}';
    const variables = { id: 'v', env: 'e' };
    expect(digestOf(post(spaced, { variables }))).toBe(digestOf(post(document, { variables })));
  });

  it('ignores the key order of variables and of the body', () => {
    const a = post(document, { variables: { id: 'v', env: 'e' } });
    const b = {
      method: 'POST',
      contentType: 'application/json',
      body: { variables: { env: 'e', id: 'v' }, query: document },
    };
    expect(digestOf(a)).toBe(digestOf(b));
  });

  it('changes when a variable, the operation name, the method or the document changes', () => {
    const base = digestOf(post(document, { variables: { id: 'v' } }));
    expect(digestOf(post(document, { variables: { id: 'w' } }))).not.toBe(base);
    expect(digestOf(post(document, { variables: { id: 'v' }, operationName: 'D' }))).not.toBe(base);
    expect(
      digestOf(
        post(document.replace('volumeDelete', 'x: volumeDelete'), { variables: { id: 'v' } }),
      ),
    ).not.toBe(base);
    const read = '{ me { id } }';
    const get = { method: 'GET', contentType: null, body: null, query: { query: read } };
    expect(digestOf(get)).not.toBe(digestOf(post(read)));
  });

  it('binds requests that cannot be taken apart to their raw form', () => {
    const body = (text: string) => ({
      method: 'POST',
      contentType: 'application/json',
      body: text,
    });
    expect(digestOf(body('{"query": 1'))).not.toBe(digestOf(body('{"query": 2')));
    expect(digestOf(body('{"query": 1'))).toBe(digestOf(body('{"query": 1')));
  });
});

describe('classifyGraphqlRequest: never throws', () => {
  const wellFormed = (actions: unknown): void => {
    expect(Array.isArray(actions)).toBe(true);
    for (const action of actions as { effect: unknown; digest: unknown }[]) {
      expect(isEffect(action.effect)).toBe(true);
      expect(action.digest).toMatch(/^[0-9a-f]{64}$/);
    }
    expect((actions as unknown[]).length).toBeGreaterThan(0);
  };

  it('returns actions for any value', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => wellFormed(classify(input))),
      { numRuns: 500 },
    );
  });

  it('returns actions for request-shaped values with arbitrary parts', () => {
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'post', 'DELETE'),
      contentType: fc.constantFrom('application/json', 'application/graphql', null, 'text/plain'),
      body: fc.oneof(fc.string(), fc.json(), fc.jsonValue(), fc.constant(null)),
      query: fc.dictionary(
        fc.constantFrom('query', 'variables', 'operationName', 'extensions'),
        fc.oneof(fc.string(), fc.json()),
      ),
    });
    fc.assert(
      fc.property(request, (input) => wellFormed(classify(input))),
      { numRuns: 500 },
    );
  });

  it('returns actions for arbitrary and hostile documents', () => {
    const pieces = fc.constantFrom(
      'mutation',
      'query',
      '{',
      '}',
      '(',
      ')',
      '...',
      'on',
      'F',
      'fragment',
      '$v',
      ':',
      '@skip',
      'volumeDelete',
      '"x"',
      ',',
      '[',
      ']',
    );
    const document = fc.oneof(
      fc.string(),
      fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join(' ')),
    );
    fc.assert(
      fc.property(document, fc.jsonValue(), (query, variables) =>
        wellFormed(classify(post(query, { variables: variables as JsonValue }))),
      ),
      {
        numRuns: 500,
      },
    );
    wellFormed(classify(post(`${'{ a '.repeat(5000)}${'}'.repeat(5000)}`)));
    wellFormed(
      classify(
        post('{ me }', {
          variables: { id: JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) as [] },
        }),
      ),
    );
  });
});
