import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RailwayStandin } from '../src/standins/index.js';
import { INCIDENT_IDS } from '../src/standins/index.js';
import type { TestGateway } from './gateway-harness.js';
import { plantedSecret, startGatewayOverRailway, volumeDelete } from './gateway-harness.js';
import { verifies } from './requirements.js';

// The agent's side of a hold over real HTTP: it polls its own approval with its own token.

const SECRET = plantedSecret();
let world: Awaited<ReturnType<typeof startGatewayOverRailway>>;
let airlock: TestGateway;
let railway: RailwayStandin;

beforeAll(async () => {
  world = await startGatewayOverRailway(SECRET);
  ({ airlock, railway } = world);
});

afterAll(() => world?.close());

const approvalIdOf = (json: unknown): string =>
  String(
    (json as { errors: { extensions: Record<string, unknown> }[] }).errors[0]?.extensions[
      'approvalId'
    ],
  );

async function poll(
  id: string,
  token: string | undefined,
  suffix = '',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const reply = await fetch(`${airlock.gateway.url}/approvals/${id}${suffix}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
}

describe('an agent polling its approval', () => {
  it('reads its own approval in plain words; another grant, no token and no approval all get the same 404', async () => {
    verifies('agent.reads-own-approval-only');
    const mine = await airlock.token(['staging'], ['read', 'write', 'destructive']);
    const other = await airlock.token(['staging'], ['read', 'write', 'destructive']);
    const held = await airlock.send(mine, volumeDelete(INCIDENT_IDS.stagingScratchVolume));
    expect(held.status).toBe(409);
    const id = approvalIdOf(held.json);
    const own = await poll(id, mine);
    expect(own).toMatchObject({
      status: 200,
      body: {
        id,
        state: 'pending',
        needed: 1,
        approvals: 0,
        message: expect.stringContaining('waiting for 1 more human approval'),
      },
    });
    const refusals = [
      await poll(id, other),
      await poll(id, undefined),
      await poll(id, 'alk_not_a_token'),
      await poll('apr_none', mine),
    ];
    for (const refusal of refusals)
      expect(refusal).toEqual({ status: 404, body: { error: 'no such approval for this token' } });
    expect(JSON.stringify(own.body)).not.toMatch(/bob|alice|grt_/);

    await airlock.approve(id);
    expect((await poll(id, mine)).body).toMatchObject({
      state: 'approved',
      message: expect.stringContaining('send the identical request once more'),
    });
    const passed = await airlock.send(mine, volumeDelete(INCIDENT_IDS.stagingScratchVolume));
    expect(passed.status).toBe(200);
    expect((await poll(id, mine)).body).toMatchObject({
      state: 'executed',
      message: expect.stringContaining('passed once'),
    });
    expect((await poll(id, mine, '/result')).status).toBe(404);
  });

  it("does not pass a request one byte different in canonical form on another's approval", async () => {
    verifies('approval.modified-request-held');
    const token = await airlock.token(['staging'], ['read', 'write', 'destructive']);
    const created = railway.state.addVolume({
      projectId: INCIDENT_IDS.project,
      name: 'scratch-2',
      environmentIds: [INCIDENT_IDS.staging],
      serviceId: null,
      mountPath: '/data',
      region: 'us-west2',
    }).id;
    const original = {
      query: 'mutation Undo($id: String!) { volumeDelete(volumeId: $id) }',
      variables: { id: created },
    };
    const modified = {
      query: 'mutation Undp($id: String!) { volumeDelete(volumeId: $id) }',
      variables: { id: created },
    };
    const heldOriginal = await airlock.send(token, original);
    expect(heldOriginal.status).toBe(409);
    const id = approvalIdOf(heldOriginal.json);
    await airlock.approve(id);
    const other = await airlock.send(token, modified);
    expect(other.status).toBe(409);
    expect(approvalIdOf(other.json)).not.toBe(id);
    expect(railway.state.state.volumes.some((v) => v.id === created)).toBe(true);
    expect((await airlock.send(token, original)).status).toBe(200);
    expect(railway.state.state.volumes.some((v) => v.id === created)).toBe(false);
  });
});
