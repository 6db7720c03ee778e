import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Action } from '../../core/index.js';
import { RailwayResolver } from './railway-resolver.js';

const READ: Action = {
  upstream: 'railway',
  surface: 'graphql',
  operation: 'project',
  effect: 'read',
  reversible: true,
  digest: 'd',
  targets: [{ type: 'project', id: 'p1', attrs: {} }],
};

// A Railway stand-in for the topology query alone: project p1 lives in `environment`, and each
// answer waits until `release` is called when `hold` is set.
function topologyAnswer(environment: string): string {
  const page = (edges: unknown[]) => ({ pageInfo: { hasNextPage: false }, edges });
  const project = {
    id: 'p1',
    primaryEnvironmentId: null,
    environments: page([{ node: { id: 'e1', name: environment } }]),
    services: page([]),
    volumes: page([]),
  };
  return JSON.stringify({ data: { projects: page([{ node: project }]) } });
}

const servers: Server[] = [];
const dispatchers: Agent[] = [];

afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.close()));
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

async function fakeRailway() {
  const state = { environment: 'staging', asked: 0, hold: false, waiting: [] as (() => void)[] };
  const server = createServer((req, res) => {
    state.asked++;
    const answer = topologyAnswer(state.environment);
    const send = (): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer);
    };
    req.resume();
    req.on('end', () => (state.hold ? state.waiting.push(send) : send()));
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql/v2`;
  const release = (): void => {
    for (const send of state.waiting.splice(0)) send();
  };
  return { url, state, release };
}

function resolverFor(url: string, clock: { now: number }): RailwayResolver {
  const dispatcher = new Agent();
  dispatchers.push(dispatcher);
  return new RailwayResolver({
    upstreams: { railway: { kind: 'graphql', url, credential: 'railway-secret' } },
    productionEnvironments: ['production'],
    dispatcher,
    cacheMs: 5_000,
    timeoutMs: 500,
    now: () => clock.now,
  });
}

const placedIn = async (resolver: RailwayResolver): Promise<(string | undefined)[]> =>
  (await resolver.resolve('railway', [READ])).flatMap((action) =>
    action.targets.map((target) => target.environment),
  );

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((done) => setTimeout(done, 5));
};

describe('RailwayResolver', () => {
  it('asks again ahead of expiry while the cached answer serves, then uses the new answer', async () => {
    const railway = await fakeRailway();
    const clock = { now: 0 };
    const resolver = resolverFor(railway.url, clock);
    expect(await placedIn(resolver)).toEqual(['staging']);
    clock.now = 3_000;
    expect(await placedIn(resolver)).toEqual(['staging']);
    expect(railway.state.asked).toBe(1);

    railway.state.environment = 'production';
    railway.state.hold = true;
    clock.now = 4_100;
    // Answered from the cache at once, though the upstream has not answered the new question.
    expect(await placedIn(resolver)).toEqual(['staging']);
    await until(() => railway.state.asked === 2);
    expect(await placedIn(resolver)).toEqual(['staging']);
    expect(railway.state.asked).toBe(2);
    railway.release();
    await until(() => railway.state.waiting.length === 0);
    await new Promise((done) => setTimeout(done, 20));
    // The new answer counts from when it was asked (4 100), so it serves until 9 100.
    clock.now = 9_000;
    expect(await placedIn(resolver)).toEqual(['production']);
    expect(railway.state.asked).toBe(2);
  });

  it('never uses an answer once it is as old as the cache period, even while a refresh is out', async () => {
    const railway = await fakeRailway();
    const clock = { now: 0 };
    const resolver = resolverFor(railway.url, clock);
    expect(await placedIn(resolver)).toEqual(['staging']);
    railway.state.environment = 'production';
    railway.state.hold = true;
    clock.now = 4_500;
    expect(await placedIn(resolver)).toEqual(['staging']);
    clock.now = 5_000;
    const waited = placedIn(resolver);
    await until(() => railway.state.asked === 3);
    railway.release();
    expect(await waited).toEqual(['production']);
  });

  it('drops a refresh asked before an invalidation', async () => {
    const railway = await fakeRailway();
    const clock = { now: 0 };
    const resolver = resolverFor(railway.url, clock);
    expect(await placedIn(resolver)).toEqual(['staging']);
    railway.state.hold = true;
    clock.now = 4_500;
    expect(await placedIn(resolver)).toEqual(['staging']);
    await until(() => railway.state.asked === 2);
    // A write may have moved things after the refresh was asked: its answer must not be used.
    resolver.invalidate('railway');
    railway.release();
    await new Promise((done) => setTimeout(done, 20));
    railway.state.hold = false;
    railway.state.environment = 'production';
    expect(await placedIn(resolver)).toEqual(['production']);
    expect(railway.state.asked).toBe(3);
  });
});
