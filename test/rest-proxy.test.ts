import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { request as rawRequest } from 'node:http';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeSha256 } from '../src/adapters/http/index.js';
import type { RestUpstream } from '../src/adapters/http/index.js';
import { BUILTIN_CATALOGS } from '../src/classify/index.js';
import type { Arrival } from './rest-harness.js';
import { plantedRestSecret, startRecordingUpstream, startRestGateway } from './rest-harness.js';
import { verifies } from './requirements.js';

const catalog = (platform: string) => BUILTIN_CATALOGS.filter((c) => c.platform === platform);
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function githubSetup(environment?: string) {
  const upstream = await startRecordingUpstream();
  const secret = plantedRestSecret('ghp_');
  const config: RestUpstream = {
    url: upstream.url,
    catalogs: catalog('github'),
    credential: { kind: 'header', secret, headers: [{ name: 'authorization', scheme: 'bearer' }] },
    ...(environment === undefined ? {} : { environment }),
  };
  const gateway = await startRestGateway({ github: config });
  closers.push(upstream.close, gateway.close);
  return { upstream, gateway, secret };
}

async function send(url: string, method: string, headers: Record<string, string>, body?: string) {
  const response = await request(url, {
    method: method as 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: JSON.parse(text) as Record<string, any>,
  };
}

function assertNoAgentCredential(arrival: Arrival | undefined, token: string): void {
  expect(arrival).toBeDefined();
  const all = JSON.stringify(arrival?.headers) + (arrival?.body.toString('utf8') ?? '');
  expect(all).not.toContain(token);
  expect(arrival?.headers.cookie).toBeUndefined();
  expect(arrival?.headers['x-api-key']).toBeUndefined();
  expect(arrival?.headers['x-http-method-override']).toBeUndefined();
}

describe('REST proxy', () => {
  it("forwards an allowed read with the real credential, none of the agent's, the path unchanged, and scrubs a reflected secret", async () => {
    verifies('rest.agent-credentials-stripped');
    verifies('rest.credential-never-leaks');
    const { upstream, gateway, secret } = await githubSetup('staging');
    const token = await gateway.token('github', ['staging'], ['read', 'write']);
    const reply = await send(
      `${gateway.url}/http/github/repos/acme/api/git/refs/heads/main?per_page=5`,
      'GET',
      {
        authorization: `Bearer ${token}`,
        cookie: 'session=agent',
        'x-api-key': 'agent-key',
        accept: 'application/vnd.github+json',
      },
    );
    expect(reply.status).toBe(200);
    expect(upstream.arrivals).toHaveLength(1);
    const arrival = upstream.arrivals[0];
    expect(arrival?.url).toBe('/repos/acme/api/git/refs/heads/main?per_page=5');
    expect(arrival?.headers.authorization).toBe(`Bearer ${secret}`);
    expect(arrival?.headers.accept).toBe('application/vnd.github+json');
    assertNoAgentCredential(arrival, token);
    // The upstream echoed the credential in its body and a header: the agent sees neither.
    expect(reply.text).not.toContain(secret);
    expect(JSON.stringify(reply.headers)).not.toContain(secret);
    expect(reply.json['youSent']).toContain('[redacted by airlock]');
  });

  it('holds a destructive request without forwarding it, then passes the identical request once after approval', async () => {
    verifies('rest.held-not-forwarded');
    const { upstream, gateway, secret } = await githubSetup('staging');
    const token = await gateway.token('github', ['staging'], ['read', 'write', 'destructive']);
    const url = `${gateway.url}/http/github/repos/acme/api`;
    const held = await send(url, 'DELETE', { authorization: `Bearer ${token}` });
    expect(held.status).toBe(409);
    expect(held.json['error']).toMatchObject({ code: 'AIRLOCK_HELD', approvalsNeeded: 1 });
    expect(held.json['error'].message).toMatch(/stop and wait for a human/);
    expect(held.json['error'].pollUrl).toBe(
      `${gateway.url}/approvals/${held.json['error'].approvalId}`,
    );
    expect(upstream.arrivals).toHaveLength(0);
    await gateway.approve(held.json['error'].approvalId);
    const passed = await send(url, 'DELETE', { authorization: `Bearer ${token}` });
    expect(passed.status).toBe(200);
    expect(upstream.arrivals.map((a) => [a.method, a.url, a.headers.authorization])).toEqual([
      ['DELETE', '/repos/acme/api', `Bearer ${secret}`],
    ]);
    const replay = await send(url, 'DELETE', { authorization: `Bearer ${token}` });
    expect(replay.status).toBe(409);
    expect(upstream.arrivals).toHaveLength(1);
  });

  it('holds what it cannot read as the upstream would (method override, force push) and denies out of scope, forwarding nothing', async () => {
    verifies('rest.held-not-forwarded');
    const { upstream, gateway } = await githubSetup();
    const token = await gateway.token('github', ['*'], ['read', 'write', 'destructive', 'unknown']);
    const json = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // `_method` travels in the URL, so the upstream would see it: held.
    const override = await send(
      `${gateway.url}/http/github/repos/acme/api/issues?_method=DELETE`,
      'POST',
      json,
      '{}',
    );
    expect(override.status).toBe(409);
    const forced = await send(
      `${gateway.url}/http/github/repos/acme/api/git/refs/heads/main`,
      'PATCH',
      json,
      '{"sha":"abc","force":true}',
    );
    expect(forced.status).toBe(409);
    const readOnly = await gateway.token('github', ['*'], ['read']);
    const denied = await send(`${gateway.url}/http/github/repos/acme/api`, 'DELETE', {
      authorization: `Bearer ${readOnly}`,
    });
    expect(denied.status).toBe(403);
    expect(denied.json['error']).toMatchObject({ code: 'AIRLOCK_DENIED' });
    expect(denied.json['error'].policyIds.length).toBeGreaterThan(0);
    const noToken = await send(`${gateway.url}/http/github/repos/acme/api`, 'GET', {});
    expect(noToken.status).toBe(403);
    expect(upstream.arrivals).toHaveLength(0);
    // An override header is never forwarded, so the upstream runs the method that was judged.
    const header = await send(
      `${gateway.url}/http/github/repos/acme/api/issues`,
      'POST',
      { ...json, 'x-http-method-override': 'DELETE' },
      '{}',
    );
    expect(header.status).toBe(200);
    expect(upstream.arrivals.map((a) => [a.method, a.headers['x-http-method-override']])).toEqual([
      ['POST', undefined],
    ]);
  });

  it('refuses a raw path that only reached this upstream by dot segments', async () => {
    const { upstream, gateway } = await githubSetup();
    const token = await gateway.token('github', ['*'], ['read']);
    const status = await new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(gateway.url);
      const req = rawRequest(
        {
          hostname,
          port,
          method: 'GET',
          path: '/inbox/../http/github/repos/acme/api',
          headers: { authorization: `Bearer ${token}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
    expect(upstream.arrivals).toHaveLength(0);
  });
});

describe('REST proxy for AWS', () => {
  const REAL = {
    accessKeyId: 'AKIAREALKEY000000001',
    secretAccessKey: plantedRestSecret('real-secret-'),
  };

  async function awsSetup() {
    const upstream = await startRecordingUpstream();
    const config: RestUpstream = {
      url: upstream.url,
      catalogs: catalog('aws'),
      credential: { kind: 'aws', keys: { ...REAL, region: 'us-east-1', service: 'rds' } },
      environment: 'staging',
    };
    const gateway = await startRestGateway({ rds: config });
    closers.push(upstream.close, gateway.close);
    return { upstream, gateway };
  }

  /** Sends a Query-protocol request signed as an AWS SDK would, with the Airlock token as access key id. */
  async function sendSigned(gatewayUrl: string, token: string, body: string) {
    const url = new URL(`${gatewayUrl}/http/rds/`);
    const agentSigner = new SignatureV4({
      credentials: { accessKeyId: token, secretAccessKey: 'anything' },
      region: 'us-east-1',
      service: 'rds',
      sha256: NodeSha256,
    });
    const signed = await agentSigner.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
    );
    const { host: _host, ...headers } = signed.headers;
    return send(url.toString(), 'POST', headers, body);
  }

  /** Recomputes the SigV4 signature of what arrived, with the real secret. */
  async function signatureVerifies(arrival: Arrival, secretAccessKey: string): Promise<boolean> {
    const auth = String(arrival.headers.authorization);
    const parts =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (parts === null) return false;
    const [, keyId, , region, service, signedHeaders, signature] = parts as unknown as string[];
    const headers: Record<string, string> = {};
    for (const name of (signedHeaders ?? '').split(';'))
      headers[name] = String(arrival.headers[name]);
    const date = String(arrival.headers['x-amz-date']);
    const when = new Date(
      Date.UTC(
        +date.slice(0, 4),
        +date.slice(4, 6) - 1,
        +date.slice(6, 8),
        +date.slice(9, 11),
        +date.slice(11, 13),
        +date.slice(13, 15),
      ),
    );
    const [path, query] = arrival.url.split('?');
    const verifier = new SignatureV4({
      credentials: { accessKeyId: keyId ?? '', secretAccessKey },
      region: region ?? '',
      service: service ?? '',
      sha256: NodeSha256,
    });
    const again = await verifier.sign(
      new HttpRequest({
        method: arrival.method,
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: path ?? '/',
        query: Object.fromEntries(new URLSearchParams(query ?? '')),
        headers,
        body: arrival.body,
      }),
      { signingDate: when },
    );
    return String(again.headers['authorization']).endsWith(`Signature=${signature}`);
  }

  it("re-signs an allowed request with the real keys: the signature verifies, the agent's token is gone", async () => {
    verifies('rest.sigv4-resigned');
    const { upstream, gateway } = await awsSetup();
    const token = await gateway.token('rds', ['staging'], ['read', 'write']);
    const body = 'Action=DescribeDBInstances&Version=2014-10-31';
    const reply = await sendSigned(gateway.url, token, body);
    expect(reply.status).toBe(200);
    const arrival = upstream.arrivals[0] as Arrival;
    expect(arrival.body.toString('utf8')).toBe(body);
    expect(String(arrival.headers.authorization)).toContain(`Credential=${REAL.accessKeyId}/`);
    assertNoAgentCredential(arrival, token);
    expect(await signatureVerifies(arrival, REAL.secretAccessKey)).toBe(true);
    expect(await signatureVerifies(arrival, 'some-other-secret')).toBe(false);
    expect(reply.text).not.toContain(REAL.accessKeyId);
  });

  it('holds DeleteDBInstance with SkipFinalSnapshot and forwards nothing', async () => {
    verifies('rest.held-not-forwarded');
    const { upstream, gateway } = await awsSetup();
    const token = await gateway.token('rds', ['staging'], ['read', 'write', 'destructive']);
    const reply = await sendSigned(
      gateway.url,
      token,
      'Action=DeleteDBInstance&DBInstanceIdentifier=prod-db&SkipFinalSnapshot=true',
    );
    expect(reply.status).toBe(409);
    expect(reply.json['error'].code).toBe('AIRLOCK_HELD');
    expect(upstream.arrivals).toHaveLength(0);
  });
});
