import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RailwayStandin, RailwayStandinOptions } from './index.js';
import { startRailwayStandin } from './index.js';

const TOKEN = 'standin-account-token';
const running: RailwayStandin[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function start(options: Partial<RailwayStandinOptions> = {}): Promise<RailwayStandin> {
  const standin = await startRailwayStandin({
    port: 0,
    tokens: { account: [TOKEN] },
    seed: true,
    ...options,
  });
  running.push(standin);
  return standin;
}

type Body = {
  data?: Record<string, unknown> | null;
  errors?: {
    message: string;
    path?: unknown[];
    locations?: unknown[];
    extensions: { code: string };
  }[];
};

async function post(
  standin: RailwayStandin,
  payload: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<{ status: number; body: Body }> {
  const res = await fetch(standin.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

describe('railway stand-in over HTTP', () => {
  it('refuses a missing or unknown credential with Railway\'s "Not Authorized" shape', async () => {
    const railway = await start();
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { 'project-access-token': 'wrong' },
    ]) {
      const { status, body } = await post(
        railway,
        { query: '{ projects { edges { node { id } } } }' },
        headers,
      );
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]).toMatchObject({
        message: 'Not Authorized',
        path: ['projects'],
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    }
  });

  it('answers `me` and `project` from the seeded incident world', async () => {
    const railway = await start();
    const { status, body } = await post(railway, {
      query: `query Read($id: String!) {
        me { id email workspaces { id name } }
        project(id: $id) {
          name primaryEnvironmentId baseEnvironmentId
          environments { edges { node { id name } } }
          volumes { edges { node { id volumeInstances { edges { node { id environmentId } } } } } }
        }
      }`,
      variables: { id: 'prj_acme_rentals' },
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const project = body.data?.['project'] as Record<string, any>;
    expect((body.data?.['me'] as { id: string }).id).toBe('usr_standin');
    expect(project['name']).toBe('acme-rentals');
    expect(project['primaryEnvironmentId']).toBe('env_production');
    expect(project['baseEnvironmentId']).toBe('env_production');
    expect(project['environments'].edges.map((e: any) => e.node.name)).toEqual([
      'production',
      'staging',
    ]);
    const shared = project['volumes'].edges.find((e: any) => e.node.id === 'vol_shared');
    expect(shared.node.volumeInstances.edges.map((e: any) => e.node.environmentId).sort()).toEqual([
      'env_production',
      'env_staging',
    ]);
  });

  it('rejects a field Railway does not have, as Railway does: HTTP 400 and no data', async () => {
    const railway = await start();
    const { status, body } = await post(railway, { query: '{ volume(id: "vol_prod_db") { id } }' });
    expect(status).toBe(400);
    expect(body).not.toHaveProperty('data');
    expect(body.errors?.[0]?.message).toContain('Cannot query field "volume" on type "Query".');
    expect(body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers a schema field it does not model with a "not implemented" field error', async () => {
    const railway = await start();
    const { status, body } = await post(railway, { query: '{ regions { name } }' });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.message).toContain('not implemented in the stand-in');
    expect(body.errors?.[0]?.path).toEqual(['regions']);
  });

  it('deletes the volume with volumeDelete, with every instance and every backup', async () => {
    const railway = await start();
    const before = await post(railway, {
      query: '{ volumeInstanceBackupList(volumeInstanceId: "vi_prod_db_production") { id } }',
    });
    expect(before.body.data?.['volumeInstanceBackupList']).toHaveLength(2);

    const deleted = await post(railway, {
      query: 'mutation { volumeDelete(volumeId: "vol_prod_db") }',
    });
    expect(deleted.body).toEqual({ data: { volumeDelete: true } });

    const instance = await post(railway, {
      query: '{ volumeInstance(id: "vi_prod_db_production") { id } }',
    });
    expect(instance.body.errors?.[0]?.message).toBe('Volume instance not found');
    const backups = await post(railway, {
      query: '{ volumeInstanceBackupList(volumeInstanceId: "vi_prod_db_production") { id } }',
    });
    expect(backups.body.errors?.[0]?.message).toBe('Volume instance not found');
    expect(
      railway.state.state.backups.filter((b) => b.volumeInstanceId === 'vi_prod_db_production'),
    ).toEqual([]);
    const again = await post(railway, {
      query: 'mutation { volumeDelete(volumeId: "vol_prod_db") }',
    });
    expect(again.body.errors?.[0]).toMatchObject({
      message: 'Volume not found',
      path: ['volumeDelete'],
    });
    const volumes = await post(railway, {
      query: '{ project(id: "prj_acme_rentals") { volumes { edges { node { id } } } } }',
    });
    const ids = (volumes.body.data?.['project'] as any).volumes.edges.map((e: any) => e.node.id);
    expect(ids).toEqual(['vol_staging_scratch', 'vol_shared']);
  });

  it('keeps its state across a restart with a state file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'railway-standin-'));
    folders.push(folder);
    const statePath = join(folder, 'railway.json');
    const first = await start({ statePath });
    await post(first, { query: 'mutation { volumeDelete(volumeId: "vol_staging_scratch") }' });
    await post(first, {
      query:
        'mutation { variableUpsert(input: { projectId: "prj_acme_rentals", environmentId: "env_staging", name: "FEATURE", value: "on" }) }',
    });
    await first.close();
    running.splice(running.indexOf(first), 1);
    expect(readdirSync(folder)).toEqual(['railway.json']);

    const second = await start({ statePath });
    const vars = await post(second, {
      query: '{ variables(projectId: "prj_acme_rentals", environmentId: "env_staging") }',
    });
    expect(vars.body.data?.['variables']).toEqual({ APP_ENV: 'staging', FEATURE: 'on' });
    const gone = await post(second, {
      query: '{ volumeInstance(id: "vi_staging_scratch_staging") { id } }',
    });
    expect(gone.body.errors?.[0]?.message).toBe('Volume instance not found');
  });

  it('lets a project token reach only its own project and environment', async () => {
    const railway = await start();
    const created = await post(railway, {
      query: 'mutation { projectCreate(input: { name: "other" }) { id } }',
    });
    const otherId = (created.body.data?.['projectCreate'] as { id: string }).id;
    const minted = await post(railway, {
      query:
        'mutation { projectTokenCreate(input: { projectId: "prj_acme_rentals", environmentId: "env_staging", name: "domains" }) }',
    });
    const token = minted.body.data?.['projectTokenCreate'] as string;
    const asProject = { 'project-access-token': token };

    const own = await post(
      railway,
      {
        query:
          '{ projectToken { projectId environmentId } project(id: "prj_acme_rentals") { name } }',
      },
      asProject,
    );
    expect(own.body).toEqual({
      data: {
        projectToken: { projectId: 'prj_acme_rentals', environmentId: 'env_staging' },
        project: { name: 'acme-rentals' },
      },
    });
    const other = await post(
      railway,
      { query: `{ project(id: "${otherId}") { name } }` },
      asProject,
    );
    expect(other.body.errors?.[0]?.message).toBe('Not Authorized');
    const prodInstance = await post(
      railway,
      { query: '{ volumeInstance(id: "vi_prod_db_production") { id } }' },
      asProject,
    );
    expect(prodInstance.body.errors?.[0]?.message).toBe('Not Authorized');
    const me = await post(railway, { query: '{ me { id } }' }, asProject);
    expect(me.body.errors?.[0]?.message).toBe('Not Authorized');
    const listed = await post(
      railway,
      { query: '{ projects { edges { node { id } } } }' },
      asProject,
    );
    expect(listed.body.data?.['projects']).toEqual({
      edges: [{ node: { id: 'prj_acme_rentals' } }],
    });
  });

  it('answers batched arrays in order and GET ?query=, and refuses a mutation over GET', async () => {
    const railway = await start();
    const batch = await fetch(railway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify([
        { query: '{ me { id } }' },
        { query: '{ environment(id: "env_staging") { name } }' },
      ]),
    });
    expect(batch.status).toBe(200);
    expect(await batch.json()).toEqual([
      { data: { me: { id: 'usr_standin' } } },
      { data: { environment: { name: 'staging' } } },
    ]);

    const get = await fetch(
      `${railway.url}?query=${encodeURIComponent('{ service(id: "svc_postgres") { name } }')}`,
      {
        headers: { authorization: `Bearer ${TOKEN}` },
      },
    );
    expect(await get.json()).toEqual({ data: { service: { name: 'postgres' } } });

    const mutation = encodeURIComponent('mutation { volumeDelete(volumeId: "vol_prod_db") }');
    const refused = await fetch(`${railway.url}?query=${mutation}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(refused.status).toBe(405);
    expect(railway.state.state.volumes.some((v) => v.id === 'vol_prod_db')).toBe(true);
  });

  it('refuses to start without an account token', async () => {
    await expect(startRailwayStandin({ tokens: { account: [] } })).rejects.toThrow(/token/);
  });
});
