import { describe, expect, it } from 'vitest';
import { RAILWAY_CATALOG } from '../catalogs/railway-catalog.js';
import { classifyGraphqlRequest } from './graphql-classifier.js';
import { classify, post, summary, targetKeys } from './graphql-test-requests.js';

describe('classifyGraphqlRequest: operations and fields', () => {
  it('turns a destructive mutation into a destructive action on its target', () => {
    const [action, ...rest] = classify(post('mutation { volumeDelete(volumeId: "vol_9f2") }'));
    expect(rest).toEqual([]);
    expect(action).toMatchObject({
      upstream: 'railway',
      surface: 'graphql',
      operation: 'volumeDelete',
      effect: 'destructive',
      reversible: false,
      targets: [{ type: 'volume', id: 'vol_9f2', attrs: { arg: 'volumeId' } }],
    });
    expect(action?.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the action after the field, never its alias', () => {
    expect(summary(post('mutation { cleanup: volumeDelete(volumeId: "v") }'))).toEqual([
      'volumeDelete:destructive',
    ]);
    expect(summary(post('mutation { deploymentRestart: projectDelete(id: "p") }'))).toEqual([
      'projectDelete:destructive',
    ]);
    expect(summary(post('query { volumeDelete: project(id: "p") { id } }'))).toEqual([
      'project:read',
    ]);
  });

  it('returns one action per root field', () => {
    const request = post(
      'mutation { deploymentRestart(id: "d") serviceDelete(id: "s", environmentId: "e") }',
    );
    expect(summary(request)).toEqual(['deploymentRestart:write', 'serviceDelete:destructive']);
    expect(targetKeys(request)).toEqual(['deployment:d', 'service:s', 'environment:e']);
  });

  it('reads a field the catalog does not know as unknown, prototype names included', () => {
    expect(summary(post('mutation { volumeWipe(id: "v") }'))).toEqual(['volumeWipe:unknown']);
    expect(summary(post('mutation { constructor }'))).toEqual(['constructor:unknown']);
    expect(summary(post('{ __proto__ toString }'))).toEqual([
      '__proto__:unknown',
      'toString:unknown',
    ]);
  });

  it('sees __typename as no action and introspection as a read without targets', () => {
    expect(summary(post('mutation { __typename volumeDelete(volumeId: "v") }'))).toEqual([
      'volumeDelete:destructive',
    ]);
    expect(summary(post('{ __typename }'))).toEqual(['__typename:read']);
    expect(
      summary(post('{ __schema { mutationType { fields { name } } } __type(name: "X") { name } }')),
    ).toEqual(['__schema:read', '__type:read']);
    expect(summary(post('mutation { __schema { types { name } } }'))).toEqual(['__schema:unknown']);
  });

  it('ignores destructive names in comments, strings and nested selections', () => {
    expect(summary(post('# mutation { projectDelete(id: "p") }\nquery { me { id } }'))).toEqual([
      'me:read',
    ]);
    expect(summary(post('{ templateSearch(query: "projectDelete volumeDelete") { id } }'))).toEqual(
      ['templateSearch:read'],
    );
    expect(
      summary(post('{ volumeInstance(id: "vi") { isPendingDeletion volumeDelete } }')),
    ).toEqual(['volumeInstance:read']);
  });

  it('is not fooled by comments or commas inside a field', () => {
    expect(summary(post('mutation {\n volumeDelete # harmless\n (volumeId: "v")\n}'))).toEqual([
      'volumeDelete:destructive',
    ]);
    expect(summary(post('mutation,{,volumeDelete,(,volumeId:"v",),}'))).toEqual([
      'volumeDelete:destructive',
    ]);
  });

  it('refuses subscriptions until they are proxied', () => {
    expect(summary(post('subscription { deploymentLogs(deploymentId: "d") { message } }'))).toEqual(
      ['graphql:subscription:unknown'],
    );
  });
});

describe('classifyGraphqlRequest: operation selection', () => {
  const document = 'query Safe { me { id } }\nmutation Boom { projectDelete(id: "p") }';

  it('runs the operation operationName selects', () => {
    expect(summary(post(document, { operationName: 'Boom' }))).toEqual([
      'projectDelete:destructive',
    ]);
    expect(summary(post(document, { operationName: 'Safe' }))).toEqual(['me:read']);
  });

  it('refuses a missing, unknown or repeated operation name among several operations', () => {
    expect(summary(post(document))).toEqual(['graphql:ambiguous-request:unknown']);
    expect(summary(post(document, { operationName: null }))).toEqual([
      'graphql:ambiguous-request:unknown',
    ]);
    expect(summary(post(document, { operationName: 'Other' }))).toEqual([
      'graphql:invalid-request:unknown',
    ]);
    expect(
      summary(
        post('query A { me { id } } mutation A { projectDelete(id: "p") }', { operationName: 'A' }),
      ),
    ).toEqual(['graphql:ambiguous-request:unknown']);
  });

  it('refuses documents with type definitions or without operations', () => {
    expect(summary(post('type Q { a: Int } query { me { id } }'))).toEqual([
      'graphql:invalid-request:unknown',
    ]);
    expect(summary(post('fragment F on Query { me { id } }'))).toEqual([
      'graphql:invalid-request:unknown',
    ]);
  });
});

describe('classifyGraphqlRequest: fragments', () => {
  it('sees fields inside named and inline fragments on the root type', () => {
    expect(
      summary(post('mutation { ...F }\nfragment F on Mutation { serviceDelete(id: "s") }')),
    ).toEqual(['serviceDelete:destructive']);
    expect(summary(post('mutation { ... on Mutation { volumeDelete(volumeId: "v") } }'))).toEqual([
      'volumeDelete:destructive',
    ]);
    expect(
      summary(
        post(
          'mutation { ... { ...A } } fragment A on Mutation { ...B } fragment B on Mutation { volumeDelete(volumeId: "v") }',
        ),
      ),
    ).toEqual(['volumeDelete:destructive']);
  });

  it('counts fields under a type condition that is not the root type', () => {
    expect(summary(post('mutation { ... on Query { volumeDelete(volumeId: "v") } }'))).toEqual([
      'volumeDelete:destructive',
    ]);
  });

  it('stops on fragment cycles and stays linear on fragment fan-out', () => {
    const cycle =
      'mutation { ...A } fragment A on Mutation { ...B volumeDelete(volumeId: "v") } fragment B on Mutation { ...A }';
    expect(summary(post(cycle))).toEqual(['volumeDelete:destructive']);
    const names = Array.from({ length: 40 }, (_, i) => `F${i}`);
    const bomb = names
      .map((name, i) => `fragment ${name} on Query { ...F${i + 1} ...F${i + 1} me { id } }`)
      .join('\n');
    const actions = classify(post(`{ ...F0 }\n${bomb}\nfragment F40 on Query { me { id } }`));
    expect(actions.length).toBe(41);
  });

  it('refuses undefined and repeated fragments', () => {
    expect(summary(post('mutation { ...Missing }'))).toEqual(['graphql:invalid-request:unknown']);
    const twice =
      'mutation { ...F } fragment F on Mutation { me } fragment F on Mutation { volumeDelete(volumeId: "v") }';
    expect(summary(post(twice))).toEqual(['graphql:ambiguous-request:unknown']);
  });
});

describe('classifyGraphqlRequest: directives', () => {
  const skipped = (
    directive: string,
    variables: Record<string, boolean | string> = {},
    declaration = '($s: Boolean)',
  ) =>
    summary(
      post(
        `mutation M${declaration} { deploymentRestart(id: "d") volumeDelete(volumeId: "v") ${directive} }`,
        { variables },
      ),
    );

  it('keeps a field whose skip condition is false or whose include condition is true', () => {
    expect(skipped('@skip(if: false)')).toContain('volumeDelete:destructive');
    expect(skipped('@include(if: true)')).toContain('volumeDelete:destructive');
    expect(skipped('@skip(if: $s)', { s: false })).toContain('volumeDelete:destructive');
  });

  it('drops a field that is certainly skipped, from literals, variables or defaults', () => {
    expect(skipped('@skip(if: true)')).toEqual(['deploymentRestart:write']);
    expect(skipped('@include(if: false)')).toEqual(['deploymentRestart:write']);
    expect(skipped('@skip(if: $s)', { s: true })).toEqual(['deploymentRestart:write']);
    expect(skipped('@skip(if: $s)', {}, '($s: Boolean = true)')).toEqual([
      'deploymentRestart:write',
    ]);
  });

  it('keeps a field whose condition is uncertain', () => {
    expect(skipped('@skip(if: $s)')).toContain('volumeDelete:destructive');
    expect(skipped('@skip(if: $s)', { s: 'true' })).toContain('volumeDelete:destructive');
    expect(skipped('@skip(if: $undeclared)', { undeclared: true })).toContain(
      'volumeDelete:destructive',
    );
    expect(skipped('@skip(if: true) @skip(if: false)')).toContain('volumeDelete:destructive');
    expect(skipped('@skip')).toContain('volumeDelete:destructive');
    expect(skipped('@custom(if: true)')).toContain('volumeDelete:destructive');
  });

  it('applies directives on fragment spreads and inline fragments', () => {
    const spread =
      'mutation { me ...F @skip(if: true) } fragment F on Mutation { volumeDelete(volumeId: "v") }';
    expect(summary(post(spread))).toEqual(['me:unknown']);
    const inline =
      'mutation { ... @include(if: false) { volumeDelete(volumeId: "v") } ...F } fragment F on Mutation { volumeDelete(volumeId: "w") }';
    expect(targetKeys(post(inline))).toEqual(['volume:w']);
  });
});

describe('classifyGraphqlRequest: targets', () => {
  it('takes ids from variables', () => {
    const request = post('mutation D($id: String!) { volumeDelete(volumeId: $id) }', {
      variables: { id: 'vol_9f2' },
    });
    expect(targetKeys(request)).toEqual(['volume:vol_9f2']);
  });

  it('takes ids from input objects, literal or in a variable', () => {
    const literal =
      'mutation M($e: String!) { customDomainCreate(input: { serviceId: "svc", environmentId: $e }) { id } }';
    expect(targetKeys(post(literal, { variables: { e: 'env_prod' } }))).toEqual([
      'service:svc',
      'environment:env_prod',
    ]);
    const whole =
      'mutation M($input: CustomDomainCreateInput!) { customDomainCreate(input: $input) { id } }';
    const variables = { input: { domain: 'a.b', serviceId: 'svc', environmentId: 'env_prod' } };
    expect(targetKeys(post(whole, { variables }))).toEqual(['service:svc', 'environment:env_prod']);
  });

  it('uses variable defaults and ignores undeclared variables', () => {
    expect(
      targetKeys(post('mutation M($id: String = "vol_d") { volumeDelete(volumeId: $id) }')),
    ).toEqual(['volume:vol_d']);
    expect(
      targetKeys(post('mutation { volumeDelete(volumeId: $id) }', { variables: { id: 'x' } })),
    ).toEqual(['volume:?']);
  });

  it('gives one target per id of a list', () => {
    const request = post(
      'mutation M($b: String!) { variableCollectionUpsert(input: { serviceIds: ["a", $b, "a"] }) }',
      {
        variables: { b: 'b' },
      },
    );
    expect(targetKeys(request)).toEqual(['service:a', 'service:b']);
  });

  it('gives a read no target for an optional argument it does not write, but keeps one it cannot see', () => {
    const railwayTargets = (query: string): string[] =>
      classifyGraphqlRequest(post(query), RAILWAY_CATALOG).flatMap((action) =>
        action.targets.map((target) => `${target.type}:${target.id}`),
      );
    expect(railwayTargets('query { environment(id: "env_1") { name } }')).toEqual([
      'environment:env_1',
    ]);
    expect(
      railwayTargets('query Q($p: String) { environment(id: "env_1", projectId: $p) { name } }'),
    ).toEqual(['environment:env_1', 'project:?']);
    // A destructive operation keeps the unseen target even when its argument is not written.
    expect(targetKeys(post('mutation { volumeDelete }'))).toEqual(['volume:?']);
  });

  it('marks a target it cannot see as unresolved', () => {
    const [action] = classify(post('mutation M($id: String!) { volumeDelete(volumeId: $id) }'));
    expect(action?.targets).toEqual([
      { type: 'volume', id: '?', attrs: { arg: 'volumeId', unresolved: true } },
    ]);
  });

  it('refuses a repeated argument or input field, which servers read differently', () => {
    expect(summary(post('mutation { deploymentRestart(id: "staging", id: "prod") }'))).toEqual([
      'deploymentRestart:unknown',
    ]);
    expect(
      summary(
        post('mutation { customDomainCreate(input: { serviceId: "a", serviceId: "b" }) { id } }'),
      ),
    ).toEqual(['customDomainCreate:unknown']);
  });
});
