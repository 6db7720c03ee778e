import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../src/core/index.js';
import type { RailwayStandin } from '../src/standins/index.js';
import { INCIDENT_IDS } from '../src/standins/index.js';
import type { TestGateway } from './gateway-harness.js';
import { plantedSecret, startGatewayOverRailway, volumeDelete } from './gateway-harness.js';
import { verifies } from './requirements.js';

// The gateway over real HTTP, in front of the Railway stand-in over real HTTP, with the shipped
// default policy: what an agent pointed at Airlock actually gets.

const SECRET = plantedSecret();
let world: Awaited<ReturnType<typeof startGatewayOverRailway>>;
let airlock: TestGateway;
let railway: RailwayStandin;

beforeAll(async () => {
  world = await startGatewayOverRailway(SECRET);
  ({ airlock, railway } = world);
});

afterAll(() => world?.close());

const volumeExists = (id: string): boolean =>
  railway.state.state.volumes.some((volume) => volume.id === id);
const extensionsOf = (json: unknown): Record<string, unknown> =>
  (json as { errors: { extensions: Record<string, unknown> }[] }).errors[0]?.extensions ?? {};

describe('the GraphQL gateway in front of Railway', () => {
  it("passes allowed reads through with the upstream's data", async () => {
    const reader = await airlock.token(['*'], ['read']);
    const reply = await airlock.send(reader, {
      query:
        'query { project(id: "prj_acme_rentals") { name environments { edges { node { name } } } } }',
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      data: {
        project: {
          name: 'acme-rentals',
          environments: {
            edges: [{ node: { name: 'production' } }, { node: { name: 'staging' } }],
          },
        },
      },
    });
    const me = await airlock.send(reader, { query: '{ me { email } }' });
    expect(me.json).toMatchObject({ data: { me: { email: expect.any(String) } } });
  });

  it('places the targets of reads too: a staging token reads staging, not production', async () => {
    verifies('gateway.environment-resolved-from-upstream');
    const staging = await airlock.token(['staging'], ['read']);
    const query = 'query Env($id: String!) { environment(id: $id) { name } }';
    const own = await airlock.send(staging, { query, variables: { id: INCIDENT_IDS.staging } });
    expect(own.status).toBe(200);
    expect(own.json).toEqual({ data: { environment: { name: 'staging' } } });
    const production = await airlock.send(staging, {
      query,
      variables: { id: INCIDENT_IDS.production },
    });
    expect(production.status).toBe(403);
    expect(production.text).toContain('is in production, which is not granted');
  });

  it('denies volumeDelete from a staging token on a volume Railway places in production', async () => {
    verifies('gateway.environment-resolved-from-upstream');
    const staging = await airlock.token(['staging'], ['read', 'write', 'destructive']);
    const reply = await airlock.send(staging, volumeDelete(INCIDENT_IDS.prodDbVolume));
    expect(reply.status).toBe(403);
    expect(extensionsOf(reply.json)).toMatchObject({
      code: 'AIRLOCK_DENIED',
      policyIds: ['airlock:grant-scope'],
    });
    expect(reply.text).toContain('is in production, which is not granted');
    expect(volumeExists(INCIDENT_IDS.prodDbVolume)).toBe(true);
  });

  it('denies a volume that lives in staging and production: it counts as in both', async () => {
    verifies('gateway.environment-resolved-from-upstream');
    const staging = await airlock.token(['staging'], ['read', 'write', 'destructive']);
    const reply = await airlock.send(staging, volumeDelete(INCIDENT_IDS.sharedVolume));
    expect(reply.status).toBe(403);
    expect(reply.text).toContain('`volume:vol_shared` is in production');
    expect(volumeExists(INCIDENT_IDS.sharedVolume)).toBe(true);
    const [record] = (await airlock.store.readAudit())
      .filter((r) => r.kind === 'decision')
      .slice(-1);
    const targets = (record?.data as { actions: { targets: { environment: string }[] }[] })
      .actions[0]?.targets;
    expect(targets?.map((t) => t.environment).sort()).toEqual(['production', 'staging']);
  });

  it('holds a staging-only volumeDelete as a GraphQL error, then passes it once after approval', async () => {
    verifies('gateway.held-is-graphql-error');
    const staging = await airlock.token(['staging'], ['read', 'write', 'destructive']);
    const held = await airlock.send(staging, volumeDelete(INCIDENT_IDS.stagingScratchVolume));
    expect(held.status).toBe(409);
    const extensions = extensionsOf(held.json);
    expect(held.json).toMatchObject({
      data: null,
      errors: [{ message: expect.stringContaining('stop and wait for a human') }],
    });
    expect(extensions).toMatchObject({
      code: 'AIRLOCK_HELD',
      approvalsNeeded: 1,
      approvalId: expect.any(String),
    });
    expect(extensions['pollUrl']).toBe(
      `${airlock.gateway.url}/approvals/${String(extensions['approvalId'])}`,
    );
    expect(volumeExists(INCIDENT_IDS.stagingScratchVolume)).toBe(true);
    // Approvers see what will run, decoded: the document and the variable holding the target.
    const approval = await airlock.store.getApproval(String(extensions['approvalId']));
    expect(approval?.request).toEqual({
      summary: 'volumeDelete (destructive)',
      details: {
        method: 'POST',
        urlQuery: {},
        body: volumeDelete(INCIDENT_IDS.stagingScratchVolume) as JsonValue,
      },
      // And the request as sent, for when a decoded reading could mislead.
      raw: {
        text: `POST\n\n${JSON.stringify(volumeDelete(INCIDENT_IDS.stagingScratchVolume))}`,
        length: 6 + JSON.stringify(volumeDelete(INCIDENT_IDS.stagingScratchVolume)).length,
      },
    });

    const poll = async () =>
      (
        await fetch(String(extensions['pollUrl']), {
          headers: { authorization: `Bearer ${staging}` },
        })
      ).json();
    expect(await poll()).toMatchObject({ state: 'pending', needed: 1, approvals: 0 });
    await airlock.approve(String(extensions['approvalId']));
    expect(await poll()).toMatchObject({ state: 'approved', approvals: 1 });
    expect(JSON.stringify(await poll())).not.toContain('bob');

    const passed = await airlock.send(staging, volumeDelete(INCIDENT_IDS.stagingScratchVolume));
    expect(passed.status).toBe(200);
    expect(passed.json).toEqual({ data: { volumeDelete: true } });
    expect(volumeExists(INCIDENT_IDS.stagingScratchVolume)).toBe(false);
    // The delete cleared the resolver's cache: Railway no longer knows the volume, so its
    // environment is unknown, which a staging token does not cover.
    const replay = await airlock.send(staging, volumeDelete(INCIDENT_IDS.stagingScratchVolume));
    expect(replay.status).toBe(403);
    expect(replay.text).toContain('in an unknown environment');
  });

  it('holds an ambiguous body (a repeated key) instead of guessing which copy Railway reads', async () => {
    const broad = await airlock.token(['*'], ['read', 'write', 'destructive', 'unknown']);
    const body = `{"query":"{ me { id } }","query":"mutation { volumeDelete(volumeId: \\"${INCIDENT_IDS.prodDbVolume}\\") }"}`;
    const reply = await airlock.send(broad, body);
    expect(reply.status).toBe(409);
    expect(extensionsOf(reply.json)).toMatchObject({ code: 'AIRLOCK_HELD', approvalsNeeded: 2 });
    expect(volumeExists(INCIDENT_IDS.prodDbVolume)).toBe(true);
  });

  it("strips the credentials an agent sends: Railway sees only Airlock's", async () => {
    verifies('gateway.agent-credentials-stripped');
    const projectToken = railway.state.addProjectToken({
      projectId: INCIDENT_IDS.project,
      environmentId: INCIDENT_IDS.staging,
      name: 'leaked',
    }).token;
    const reader = await airlock.token(['*'], ['read']);
    // Were the project token forwarded, Railway would answer as that token; as Airlock's account
    // credential, `projectToken` is "not found".
    const reply = await airlock.send(
      reader,
      { query: '{ projectToken { id } }' },
      { 'project-access-token': projectToken, cookie: `session=${projectToken}` },
    );
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('Project Token not found');
  });

  it('refuses an unknown token and never echoes it', async () => {
    const reply = await airlock.send('alk_not_a_real_token', { query: '{ me { id } }' });
    expect(reply.status).toBe(403);
    expect(extensionsOf(reply.json)).toMatchObject({
      code: 'AIRLOCK_DENIED',
      policyIds: ['airlock:authentication'],
    });
    expect(reply.text).not.toContain('alk_not_a_real_token');
  });

  it('answers health checks and unknown paths', async () => {
    expect((await fetch(`${airlock.gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${airlock.gateway.url}/graphql/nope`, { method: 'POST' })).status).toBe(
      404,
    );
    expect((await fetch(`${airlock.gateway.url}/approvals/apr_nope`)).status).toBe(404);
  });

  it("scrubs Airlock's credential and the agent's token out of the request approvers see", async () => {
    verifies('gateway.credential-never-leaks');
    const staging = await airlock.token(['*'], ['read', 'write', 'destructive']);
    const query = `mutation V($id: String!, $note: String) { volumeDelete(volumeId: $id) }`;
    const held = await airlock.send(staging, {
      query,
      variables: { id: INCIDENT_IDS.prodDbVolume, note: `${SECRET} ${staging}` },
    });
    expect(held.status).toBe(409);
    const approval = await airlock.store.getApproval(String(extensionsOf(held.json)['approvalId']));
    const shown = JSON.stringify(approval?.request);
    expect(shown).toContain('volumeDelete');
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(staging);
  });

  it("never lets Airlock's upstream credential into a reply or the audit log", async () => {
    verifies('gateway.credential-never-leaks');
    expect(airlock.replies.length).toBeGreaterThan(5);
    for (const reply of airlock.replies) {
      expect(reply.text).not.toContain(SECRET);
      expect(JSON.stringify(reply.headers)).not.toContain(SECRET);
    }
    expect(JSON.stringify(await airlock.store.readAudit())).not.toContain(SECRET);
  });
});
