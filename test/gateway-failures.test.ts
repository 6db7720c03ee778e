import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { RailwayResolver } from '../src/adapters/graphql/index.js';
import { INCIDENT_IDS, startRailwayStandin } from '../src/standins/index.js';
import { plantedSecret, startTestGateway, volumeDelete } from './gateway-harness.js';
import { verifies } from './requirements.js';

// What the gateway does when the upstream fails it: down, hanging, or reflecting the credential.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startUpstream(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql/v2`;
}

const codeOf = (json: unknown): unknown =>
  (json as { errors: { extensions: { code: string; approvalsNeeded?: number } }[] }).errors[0]
    ?.extensions;

describe('the gateway when the upstream cannot place a target', () => {
  it('counts a volume as production when Railway is down: held for two, denied for staging', async () => {
    verifies('gateway.resolution-failure-is-production');
    const secret = plantedSecret();
    const railway = await startRailwayStandin({
      port: 0,
      tokens: { account: [secret] },
      seed: true,
    });
    const url = railway.url;
    await railway.close();
    const airlock = await startTestGateway({ upstreamUrl: url, secret });
    cleanups.push(airlock.close);
    const staging = await airlock.token(['staging'], ['read', 'write', 'destructive']);
    const denied = await airlock.send(staging, volumeDelete(INCIDENT_IDS.stagingScratchVolume));
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('in an unknown environment');
    const broad = await airlock.token(['*'], ['read', 'write', 'destructive']);
    const held = await airlock.send(broad, volumeDelete(INCIDENT_IDS.stagingScratchVolume));
    expect(held.status).toBe(409);
    expect(codeOf(held.json)).toMatchObject({ code: 'AIRLOCK_HELD', approvalsNeeded: 2 });
  });

  it('counts a volume as production when Railway does not answer in time', async () => {
    verifies('gateway.resolution-failure-is-production');
    const secret = plantedSecret();
    let asked = 0;
    // Hangs on every request: the resolver must give up, not wait or allow.
    const url = await startUpstream(() => {
      asked += 1;
    });
    const dispatcher = new Agent();
    cleanups.push(() => dispatcher.destroy());
    const resolver = new RailwayResolver({
      upstreams: { railway: { kind: 'graphql', url, credential: secret } },
      productionEnvironments: ['production'],
      dispatcher,
      timeoutMs: 100,
    });
    const airlock = await startTestGateway({ upstreamUrl: url, secret, resolver });
    cleanups.push(airlock.close);
    const broad = await airlock.token(['*'], ['read', 'write', 'destructive']);
    const started = performance.now();
    const held = await airlock.send(broad, volumeDelete(INCIDENT_IDS.stagingScratchVolume));
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(held.status).toBe(409);
    expect(codeOf(held.json)).toMatchObject({ code: 'AIRLOCK_HELD', approvalsNeeded: 2 });
    expect(asked).toBe(1);
  });

  it("counts a volume as production when Railway refuses Airlock's credential", async () => {
    verifies('gateway.resolution-failure-is-production');
    const railway = await startRailwayStandin({
      port: 0,
      tokens: { account: [plantedSecret()] },
      seed: true,
    });
    cleanups.push(railway.close);
    const airlock = await startTestGateway({ upstreamUrl: railway.url, secret: plantedSecret() });
    cleanups.push(airlock.close);
    const broad = await airlock.token(['*'], ['read', 'write', 'destructive']);
    const held = await airlock.send(broad, volumeDelete(INCIDENT_IDS.stagingScratchVolume));
    expect(codeOf(held.json)).toMatchObject({ code: 'AIRLOCK_HELD', approvalsNeeded: 2 });
  });
});

describe('the gateway in front of an upstream that reflects what it is sent', () => {
  it('scrubs the reflected credential from body and headers, and forwards no agent credential', async () => {
    verifies('gateway.credential-never-leaks');
    verifies('gateway.agent-credentials-stripped');
    const secret = plantedSecret();
    const seen: IncomingMessage['headers'][] = [];
    const url = await startUpstream((req, res, body) => {
      seen.push(req.headers);
      // A careless upstream: echoes the headers it got, in a header and split across writes.
      const echo = JSON.stringify({ data: { echo: { headers: req.headers, body } } });
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-echo-auth': String(req.headers.authorization),
        'set-cookie': `s=${secret}`,
      });
      const middle = echo.indexOf(secret) + 5;
      res.write(echo.slice(0, middle));
      setImmediate(() => res.end(echo.slice(middle)));
    });
    const airlock = await startTestGateway({ upstreamUrl: url, secret });
    cleanups.push(airlock.close);
    const reader = await airlock.token(['*'], ['read']);
    const reply = await airlock.send(
      reader,
      { query: '{ me { id } }' },
      {
        'project-access-token': 'agent-project-token',
        cookie: 'agent=cookie',
        'x-api-key': 'agent-key',
      },
    );
    expect(reply.status).toBe(200);
    expect(reply.text).not.toContain(secret);
    expect(reply.text).toContain('[redacted by airlock]');
    expect(JSON.stringify(reply.headers)).not.toContain(secret);
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ authorization: `Bearer ${secret}` });
    for (const header of ['project-access-token', 'cookie', 'x-api-key'])
      expect(seen[0]?.[header]).toBeUndefined();
    expect(JSON.stringify(await airlock.store.readAudit())).not.toContain(secret);
  });
});
