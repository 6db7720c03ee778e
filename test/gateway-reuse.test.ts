import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECISION_REUSE_LIFETIME_MS } from '../src/firewall/index.js';
import type { AuditRecord } from '../src/core/index.js';
import { INCIDENT_IDS } from '../src/standins/index.js';
import type { TestGateway } from './gateway-harness.js';
import { plantedSecret, startGatewayOverRailway, volumeDelete } from './gateway-harness.js';
import { verifies } from './requirements.js';

// Reused decisions on the gateway: an agent polling one query is judged once a second and every
// poll is counted on the record; nothing else is ever reused.

const SECRET = plantedSecret();
let world: Awaited<ReturnType<typeof startGatewayOverRailway>>;
let airlock: TestGateway;

beforeAll(async () => {
  world = await startGatewayOverRailway(SECRET);
  ({ airlock } = world);
});

afterAll(() => world?.close());

const QUERY = 'query Env($id: String!) { environment(id: $id) { name } }';

async function lastSeq(): Promise<number> {
  return (await airlock.store.tailAudit(1))[0]?.seq ?? 0;
}

async function since(fromSeq: number, kind: string): Promise<AuditRecord[]> {
  return (await airlock.store.readAudit({ fromSeq })).filter((record) => record.kind === kind);
}

/** Counts are written every lifetime of real time. */
const countsWritten = () =>
  new Promise((resolve) => setTimeout(resolve, DECISION_REUSE_LIFETIME_MS + 300));

describe('reused decisions on the GraphQL gateway', () => {
  it("judges an identical read once, passes its repeats with the upstream's data, and counts each", async () => {
    verifies('gateway.reuse-only-identical-reads');
    const reader = await airlock.token(['staging'], ['read']);
    const from = (await lastSeq()) + 1;
    for (let i = 0; i < 6; i++) {
      const reply = await airlock.send(reader, {
        query: QUERY,
        variables: { id: INCIDENT_IDS.staging },
      });
      expect(reply.json).toEqual({ data: { environment: { name: 'staging' } } });
    }
    await countsWritten();
    const decisions = await since(from, 'decision');
    const reused = await since(from, 'decision.reused');
    expect(decisions).toHaveLength(1);
    expect(reused.map((record) => record.data)).toEqual([
      expect.objectContaining({
        decisionId: decisions[0]?.data['decisionId'],
        count: 5,
        surface: 'graphql',
        shape: 'environment',
      }),
    ]);
    expect(JSON.stringify(reused)).not.toContain(reader);
  });

  it('judges anew what differs in anything the decision depends on: the token, the variables', async () => {
    verifies('gateway.reuse-only-identical-reads');
    const first = await airlock.token(['staging'], ['read']);
    const second = await airlock.token(['staging'], ['read']);
    const from = (await lastSeq()) + 1;
    await airlock.send(first, { query: QUERY, variables: { id: INCIDENT_IDS.staging } });
    await airlock.send(second, { query: QUERY, variables: { id: INCIDENT_IDS.staging } });
    // The same query on a production environment is another request, and this token may not read it.
    const production = await airlock.send(first, {
      query: QUERY,
      variables: { id: INCIDENT_IDS.production },
    });
    expect(production.status).toBe(403);
    expect(await since(from, 'decision')).toHaveLength(3);
  });

  it('never reuses anything but a read: a repeated volumeDelete is held every time', async () => {
    verifies('gateway.reuse-only-identical-reads');
    const staging = await airlock.token(['staging'], ['read', 'write', 'destructive']);
    const from = (await lastSeq()) + 1;
    const request = volumeDelete(INCIDENT_IDS.stagingScratchVolume);
    const held = [await airlock.send(staging, request), await airlock.send(staging, request)];
    for (const reply of held) expect(reply.text).toContain('AIRLOCK_HELD');
    expect(await since(from, 'decision')).toHaveLength(2);
    await countsWritten();
    expect(await since(from, 'decision.reused')).toHaveLength(0);
  });
});
