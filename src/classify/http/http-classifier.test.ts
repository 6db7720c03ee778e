import { describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import type { Action } from '../../core/index.js';
import { BUILTIN_CATALOGS } from './builtin-catalogs.js';
import { createHttpClassifier } from './http-classifier.js';

const classify = createHttpClassifier({ catalogs: BUILTIN_CATALOGS });

function request(
  method: string,
  host: string,
  path: string,
  headers: Record<string, string> = {},
  body: unknown = null,
) {
  return { method, path, headers: { Host: host, Authorization: 'Bearer x', ...headers }, body };
}

async function one(input: unknown): Promise<Action> {
  const { actions } = await classify(input);
  expect(actions).toHaveLength(1);
  return actions[0] as Action;
}

const GITHUB = 'api.github.com';
const PAAS = 'api.paas.example';

describe('requests Airlock cannot read as the upstream would', () => {
  it.each([
    [
      'conflicting Host headers',
      {
        method: 'GET',
        path: '/v1/projects',
        headers: { Host: PAAS, host: 'evil.example' },
        body: null,
      },
    ],
    [
      'X-Forwarded-Host naming another host',
      request('GET', PAAS, '/v1/projects', { 'X-Forwarded-Host': 'admin.internal' }),
    ],
    [
      'absolute-form target naming another host',
      request('GET', PAAS, 'http://admin.internal/v1/projects'),
    ],
    [
      'X-Original-URL path override',
      request('GET', PAAS, '/v1/health', { 'X-Original-URL': '/v1/projects/prj_prod' }),
    ],
    [
      'Transfer-Encoding other than chunked',
      request('POST', PAAS, '/v1/health', { 'Transfer-Encoding': 'gzip, chunked' }, 'x'),
    ],
    [
      'Content-Length not matching the body',
      request(
        'POST',
        PAAS,
        '/v1/projects',
        { 'Content-Type': 'application/json', 'Content-Length': '2' },
        '{"a":1}',
      ),
    ],
    [
      'X-HTTP-Method on a GET',
      request('GET', PAAS, '/v1/projects/prj_prod', { 'X-HTTP-Method': 'DELETE' }),
    ],
    [
      '_method in a JSON body',
      request(
        'POST',
        PAAS,
        '/v1/projects/prj_prod/deployments',
        { 'Content-Type': 'application/json' },
        { _method: 'DELETE' },
      ),
    ],
    ['encoded slash', request('GET', GITHUB, '/repos/acme%2Fapi')],
    [
      'double percent-encoding',
      request(
        'POST',
        PAAS,
        '/v1/projects/prj%252fprod/deployments',
        { 'Content-Type': 'application/json' },
        {},
      ),
    ],
    ['backslash', request('DELETE', PAAS, '/v1/sessions/x\\..\\..\\projects\\prj_prod')],
    [
      'matrix parameter',
      request(
        'POST',
        PAAS,
        '/v1/projects;x=1/prj_prod/deployments',
        { 'Content-Type': 'application/json' },
        {},
      ),
    ],
    [
      'dot segments on a write',
      request(
        'POST',
        PAAS,
        '/v1/audit-logs/../projects/prj_prod/deployments',
        { 'Content-Type': 'application/json' },
        {},
      ),
    ],
    ['a path climbing above the root', request('GET', PAAS, '/../../etc/passwd')],
    [
      'a JSON body repeating a key',
      request(
        'PATCH',
        GITHUB,
        '/repos/acme/api/git/refs/heads/main',
        { 'Content-Type': 'application/json' },
        '{"sha":"a","force":false,"force":true}',
      ),
    ],
    [
      'a rule field in an untyped text body',
      request(
        'PATCH',
        GITHUB,
        '/repos/acme/api/git/refs/heads/main',
        { 'Content-Type': 'text/plain' },
        '{"sha":"a","force":true}',
      ),
    ],
    ['a method Airlock does not classify', request('PURGE', PAAS, '/v1/projects/prj_prod')],
    ['a request without a host', { method: 'GET', path: '/v1/projects', headers: {}, body: null }],
    ['not a request at all', 'DELETE /v1/projects/prj_prod'],
  ])('%s is unknown', async (_name, input) => {
    verifies('http.ambiguous-is-unknown');
    const action = await one(input);
    expect(action.effect).toBe('unknown');
  });

  it('takes a lower-case method as the method it names', async () => {
    expect((await one(request('delete', GITHUB, '/repos/acme/api'))).effect).toBe('destructive');
  });

  it('gives the same request the same digest whatever the agent credential, and another request another one', async () => {
    const a = await one(
      request('DELETE', GITHUB, '/repos/acme/api', { Authorization: 'Bearer one' }),
    );
    const b = await one(
      request('DELETE', GITHUB, '/repos/acme/api', { Authorization: 'Bearer two' }),
    );
    const c = await one(request('DELETE', GITHUB, '/repos/acme/web'));
    expect(a.digest).toBe(b.digest);
    expect(c.digest).not.toBe(a.digest);
  });
});

describe('unlisted endpoints and hosts', () => {
  it('reads an unlisted GET of a known platform, holds every other unlisted method', async () => {
    verifies('http.unlisted-write-held');
    expect((await one(request('GET', GITHUB, '/repos/acme/api/traffic/views'))).effect).toBe(
      'read',
    );
    expect((await one(request('HEAD', GITHUB, '/repos/acme/api/traffic/views'))).effect).toBe(
      'read',
    );
    expect(
      (
        await one(
          request(
            'POST',
            GITHUB,
            '/repos/acme/api/new-thing',
            { 'Content-Type': 'application/json' },
            {},
          ),
        )
      ).effect,
    ).toBe('unknown');
    expect((await one(request('PUT', 'api.stripe.com', '/v1/not_a_thing/x'))).effect).toBe(
      'unknown',
    );
    expect((await one(request('DELETE', 'api.vercel.com', '/v1/unknown/thing'))).effect).toBe(
      'destructive',
    );
  });

  it('is unknown for a host no catalog describes, even for a GET', async () => {
    verifies('http.unlisted-write-held');
    const action = await one(request('GET', 'api.unknown.example', '/v1/things'));
    expect(action.effect).toBe('unknown');
    expect(action.targets[0]).toMatchObject({ type: 'http-host', id: 'api.unknown.example' });
  });

  it('treats exec through a GET on Kubernetes as unknown, not a read', async () => {
    const action = await one(
      request(
        'GET',
        'kubernetes.default.svc',
        '/api/v1/namespaces/prod/pods/api-0/exec?command=rm',
      ),
    );
    expect(action.effect).toBe('unknown');
  });
});

describe('bodies that carry the operation', () => {
  it('sees a GitHub ref update as a fast-forward unless it forces', async () => {
    verifies('http.body-carries-operation');
    const path = '/repos/Acme/API/git/refs/heads/main';
    const plain = await one(
      request('PATCH', GITHUB, path, { 'Content-Type': 'application/json' }, { sha: 'abc' }),
    );
    expect(plain).toMatchObject({
      effect: 'write',
      targets: [{ type: 'github-ref', id: 'acme/api:heads/main' }],
    });
    const forced = await one(
      request(
        'PATCH',
        GITHUB,
        path,
        { 'Content-Type': 'application/json' },
        '{"sha":"abc","force":"TRUE"}',
      ),
    );
    expect(forced).toMatchObject({
      operation: 'git/force-update-ref',
      effect: 'destructive',
      reversible: false,
    });
  });

  it('reads AWS Query protocol Action from a form body, with SkipFinalSnapshot deciding reversibility', async () => {
    verifies('http.body-carries-operation');
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const host = 'rds.us-east-1.amazonaws.com';
    const kept = await one(
      request(
        'POST',
        host,
        '/',
        form,
        'Action=DeleteDBInstance&DBInstanceIdentifier=prod-db&Version=2014-10-31',
      ),
    );
    expect(kept).toMatchObject({
      operation: 'rds:DeleteDBInstance',
      effect: 'destructive',
      reversible: true,
      targets: [{ type: 'rds-db-instance', id: 'prod-db' }],
    });
    const skipped = await one(
      request(
        'POST',
        host,
        '/',
        form,
        'Action=DeleteDBInstance&DBInstanceIdentifier=prod-db&SkipFinalSnapshot=true',
      ),
    );
    expect(skipped).toMatchObject({ effect: 'destructive', reversible: false });
    const twice = await one(
      request('POST', host, '/', form, 'Action=DescribeDBInstances&Action=DeleteDBInstance'),
    );
    expect(twice.effect).toBe('unknown');
    const both = await one(
      request('POST', host, '/?Action=DescribeDBInstances', form, 'Action=DeleteDBInstance'),
    );
    expect(both.effect).toBe('unknown');
    const untyped = await one(
      request(
        'POST',
        host,
        '/',
        { 'Content-Type': 'text/plain' },
        'Action=DeleteDBInstance&DBInstanceIdentifier=prod-db',
      ),
    );
    expect(untyped.effect).toBe('unknown');
    const read = await one(request('POST', host, '/', form, 'Action=DescribeDBInstances'));
    expect(read.effect).toBe('read');
  });

  it('reads EC2 TerminateInstances lists and CloudFormation DeleteStack', async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const { actions: ec2 } = await classify(
      request(
        'POST',
        'ec2.eu-west-1.amazonaws.com',
        '/',
        form,
        'Action=TerminateInstances&InstanceId.1=i-1&InstanceId.2=i-2',
      ),
    );
    expect(ec2.map((a) => [a.effect, a.targets.map((t) => t.id)])).toEqual([
      ['destructive', ['i-1', 'i-2']],
    ]);
    const stack = await one(
      request(
        'GET',
        'cloudformation.us-east-1.amazonaws.com',
        '/?Action=DeleteStack&StackName=prod',
      ),
    );
    expect(stack).toMatchObject({ operation: 'cloudformation:DeleteStack', effect: 'destructive' });
  });

  it('reads the AWS JSON protocol operation from X-Amz-Target', async () => {
    const json = { 'Content-Type': 'application/x-amz-json-1.0' };
    const host = 'dynamodb.us-east-1.amazonaws.com';
    const drop = await one(
      request(
        'POST',
        host,
        '/',
        { ...json, 'X-Amz-Target': 'DynamoDB_20120810.DeleteTable' },
        '{"TableName":"orders"}',
      ),
    );
    expect(drop).toMatchObject({
      operation: 'dynamodb:DeleteTable',
      effect: 'destructive',
      targets: [{ id: 'orders' }],
    });
    const get = await one(
      request(
        'POST',
        host,
        '/',
        { ...json, 'X-Amz-Target': 'DynamoDB_20120810.GetItem' },
        '{"TableName":"orders"}',
      ),
    );
    expect(get.effect).toBe('read');
    const uncatalogued = await one(
      request(
        'POST',
        host,
        '/',
        { ...json, 'X-Amz-Target': 'DynamoDB_20120810.FrobnicateTable' },
        '{}',
      ),
    );
    expect(uncatalogued.effect).toBe('unknown');
    const lambda = await one(
      request('DELETE', 'lambda.us-east-1.amazonaws.com', '/2015-03-31/functions/billing'),
    );
    expect(lambda).toMatchObject({ operation: 'lambda:DeleteFunction', effect: 'destructive' });
  });

  it('reads S3 deletes in path and virtual-hosted style', async () => {
    const object = await one(
      request('DELETE', 'prod-backups.s3.us-east-1.amazonaws.com', '/db//2025.dump'),
    );
    expect(object).toMatchObject({
      operation: 's3:DeleteObject',
      targets: [{ type: 's3-object', id: 'prod-backups/db//2025.dump' }],
    });
    const bucket = await one(request('DELETE', 's3.amazonaws.com', '/prod-backups/'));
    expect(bucket.operation).toBe('s3:DeleteBucket');
    const multi = await one(
      request(
        'POST',
        'prod-backups.s3.amazonaws.com',
        '/?delete',
        { 'Content-Type': 'application/xml' },
        '<Delete><Object><Key>a&amp;b</Key></Object></Delete>',
      ),
    );
    expect(multi.targets.map((t) => t.id)).toEqual(['prod-backups', 'prod-backups/a&b']);
    const get = await one(request('GET', 'prod-backups.s3.amazonaws.com', '/db/2025.dump'));
    expect(get.effect).toBe('read');
  });

  it('holds an unfiltered or range-filtered PostgREST write, allows an equality-bounded one', async () => {
    const host = 'ref.supabase.co';
    expect(
      (
        await one(
          request(
            'PATCH',
            host,
            '/rest/v1/users',
            { 'Content-Type': 'application/json' },
            { plan: 'free' },
          ),
        )
      ).effect,
    ).toBe('destructive');
    expect((await one(request('DELETE', host, '/rest/v1/users?id=gte.0'))).effect).toBe(
      'destructive',
    );
    expect((await one(request('DELETE', host, '/rest/v1/users?or=(id.eq.1,id.gt.0)'))).effect).toBe(
      'destructive',
    );
    expect((await one(request('DELETE', host, '/rest/v1/users?id=in.(1,2)'))).effect).toBe('write');
  });

  it('reads GitHub GraphQL queries, holds mutations', async () => {
    const json = { 'Content-Type': 'application/json' };
    expect(
      (await one(request('POST', GITHUB, '/graphql', json, { query: '{ viewer { login } }' })))
        .effect,
    ).toBe('read');
    expect(
      (
        await one(
          request('POST', GITHUB, '/graphql', json, {
            query: 'mutation { deleteRepository(input: {}) { clientMutationId } }',
          }),
        )
      ).effect,
    ).toBe('unknown');
  });

  it('reads a Stripe form update, escalating a cancellation', async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    expect(
      (
        await one(
          request('POST', 'api.stripe.com', '/v1/subscriptions/sub_1', form, 'metadata[a]=b'),
        )
      ).effect,
    ).toBe('write');
    expect(
      (
        await one(
          request(
            'POST',
            'api.stripe.com',
            '/v1/subscriptions/sub_1',
            form,
            'cancel_at_period_end=true',
          ),
        )
      ).effect,
    ).toBe('destructive');
    expect((await one(request('DELETE', 'api.stripe.com', '/v1/customers/cus_1'))).effect).toBe(
      'destructive',
    );
  });
});
