import { describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { sha256Hex } from '../../core/index.js';
import { classify, post, summary } from './graphql-test-requests.js';

const DELETE = 'mutation { volumeDelete(volumeId: "v") }';
const AMBIGUOUS = ['graphql:ambiguous-request:unknown'];
const INVALID = ['graphql:invalid-request:unknown'];

describe('classifyGraphqlRequest: how the request carries its document', () => {
  it('reads an application/graphql body as the raw document, with url variables', () => {
    const request = {
      method: 'POST',
      contentType: 'application/graphql; charset=utf-8',
      body: 'mutation D($id: String!) { volumeDelete(volumeId: $id) }',
      query: { variables: '{"id":"vol_1"}' },
    };
    expect(classify(request)[0]?.targets[0]?.id).toBe('vol_1');
  });

  it('reads a GET query string, with variables as json text', () => {
    const request = {
      method: 'GET',
      contentType: null,
      body: null,
      query: {
        query: 'query P($id: String!) { project(id: $id) { id } }',
        variables: '{"id":"prj"}',
        operationName: 'P',
      },
    };
    expect(summary(request)).toEqual(['project:read']);
    expect(classify(request)[0]?.targets[0]?.id).toBe('prj');
  });

  it('refuses a mutation over GET', () => {
    expect(
      summary({ method: 'GET', contentType: null, body: null, query: { query: DELETE } }),
    ).toEqual(['graphql:mutation-over-get:unknown']);
    expect(
      summary({
        method: 'GET',
        contentType: null,
        body: null,
        query: { query: 'mutation { deploymentRestart(id: "d") }' },
      }),
    ).toEqual(['graphql:mutation-over-get:unknown']);
  });

  it('classifies every element of a batch and returns all their actions', () => {
    const request = {
      method: 'POST',
      contentType: 'application/json',
      body: [
        { query: '{ me { id } }' },
        { query: 'mutation { environmentDelete(id: "env_prod") }' },
        7,
      ],
    };
    expect(summary(request)).toEqual([
      'me:read',
      'environmentDelete:destructive',
      'graphql:invalid-request:unknown',
    ]);
    const digests = new Set(classify(request).map((action) => action.digest));
    expect(digests.size).toBe(1);
  });

  it('reads a raw json text body like the same json value', () => {
    const text = {
      method: 'POST',
      contentType: 'application/json',
      body: JSON.stringify({ query: DELETE }),
    };
    expect(classify(text)).toEqual(classify(post(DELETE)));
  });
});

describe('classifyGraphqlRequest: requests a server could read differently', () => {
  it('refuses duplicate json keys, however they are spelled', () => {
    verifies('graphql.ambiguous-is-unknown');
    const body =
      '{"query": "query { me { id } }", "query": "mutation { projectDelete(id: \\"p\\") }"}';
    expect(summary({ method: 'POST', contentType: 'application/json', body })).toEqual(AMBIGUOUS);
    const escaped =
      '{"query": "{ me { id } }", "\\u0071uery": "mutation { projectDelete(id: \\"p\\") }"}';
    expect(summary({ method: 'POST', contentType: 'application/json', body: escaped })).toEqual(
      AMBIGUOUS,
    );
    const inVariables = post('mutation D($id: String!) { volumeDelete(volumeId: $id) }', {
      variables: '{"id":"a","id":"b"}',
    });
    expect(summary(inVariables)).toEqual(AMBIGUOUS);
  });

  it('refuses a query both in the url and in the body', () => {
    verifies('graphql.ambiguous-is-unknown');
    expect(
      summary({
        ...post('{ me { id } }'),
        query: { query: 'mutation { projectDelete(id: "p") }' },
      }),
    ).toEqual(AMBIGUOUS);
    expect(summary({ ...post('{ me { id } }'), query: { operationName: 'X' } })).toEqual(AMBIGUOUS);
    const graphqlBody = {
      method: 'POST',
      contentType: 'application/graphql',
      body: '{ me { id } }',
      query: { query: DELETE },
    };
    expect(summary(graphqlBody)).toEqual(AMBIGUOUS);
  });

  it('refuses repeated url parameters and a GET with a body', () => {
    expect(
      summary({
        method: 'GET',
        contentType: null,
        body: null,
        query: { query: ['{ me { id } }', DELETE] },
      }),
    ).toEqual(AMBIGUOUS);
    expect(
      summary({
        method: 'GET',
        contentType: null,
        body: { query: DELETE },
        query: { query: '{ me { id } }' },
      }),
    ).toEqual(AMBIGUOUS);
  });

  it('refuses a POST body of a missing or unexpected content type', () => {
    for (const contentType of [null, 'text/plain', 'application/x-www-form-urlencoded', 42]) {
      expect(summary({ method: 'POST', contentType, body: { query: '{ me { id } }' } })).toEqual(
        AMBIGUOUS,
      );
    }
  });

  it('refuses a persisted query whose document it cannot see or check', () => {
    verifies('graphql.ambiguous-is-unknown');
    const hashOnly = {
      operationName: 'D',
      extensions: { persistedQuery: { version: 1, sha256Hash: 'f3591ac2' } },
    };
    expect(summary({ method: 'POST', contentType: 'application/json', body: hashOnly })).toEqual([
      'graphql:persisted-query:unknown',
    ]);
    expect(
      summary({ method: 'POST', contentType: 'application/json', body: { documentId: 'abc' } }),
    ).toEqual(['graphql:persisted-query:unknown']);
    const wrongHash = post('{ me { id } }', {
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(DELETE) } },
    });
    expect(summary(wrongHash)).toEqual(AMBIGUOUS);
    expect(summary(post('{ me { id } }', { id: 'stored-doc' }))).toEqual(AMBIGUOUS);
  });

  it('classifies a persisted query sent with its own document', () => {
    const matching = post(DELETE, {
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(DELETE) } },
    });
    expect(summary(matching)).toEqual(['volumeDelete:destructive']);
  });
});

describe('classifyGraphqlRequest: bad input', () => {
  it('turns unparsable bodies and documents into unknown actions', () => {
    expect(
      summary({ method: 'POST', contentType: 'application/json', body: '{"query": ' }),
    ).toEqual(INVALID);
    expect(summary(post('mutation { volumeDelete(volumeId: "v" }'))).toEqual(INVALID);
    expect(summary(post(''))).toEqual(INVALID);
  });

  it('turns malformed request shapes into unknown actions', () => {
    for (const request of [
      null,
      'mutation { volumeDelete(volumeId: "v") }',
      { method: 'PUT', contentType: 'application/json', body: { query: DELETE } },
      { method: 'POST', contentType: 'application/json', body: { query: { $ne: null } } },
      { method: 'POST', contentType: 'application/json', body: { query: DELETE, variables: [1] } },
      {
        method: 'POST',
        contentType: 'application/json',
        body: { query: DELETE, operationName: 3 },
      },
      { method: 'POST', contentType: 'application/json', body: [] },
      { method: 'POST', contentType: 'application/json', body: 5 },
      { method: 'POST', contentType: 'application/json', body: { variables: {} } },
      { method: 'POST', contentType: 'application/graphql', body: { query: DELETE } },
    ]) {
      const actions = classify(request);
      expect(actions.length).toBe(1);
      expect(actions[0]?.effect).toBe('unknown');
    }
  });
});
