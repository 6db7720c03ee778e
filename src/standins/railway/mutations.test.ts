import { afterEach, describe, expect, it } from 'vitest';
import type { RailwayStandin } from './index.js';
import { startRailwayStandin } from './index.js';

const TOKEN = 'standin-account-token';
let railway: RailwayStandin | undefined;

afterEach(async () => {
  await railway?.close();
  railway = undefined;
});

async function gql(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data?: any; errors?: { message: string }[] }> {
  if (railway === undefined)
    railway = await startRailwayStandin({ tokens: { account: [TOKEN] }, seed: true });
  const res = await fetch(railway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { message: string }[] };
}

describe('railway stand-in mutations', () => {
  it('creates a volume in every environment when environmentId is absent, and in one when given', async () => {
    const all = await gql(
      'mutation { volumeCreate(input: { projectId: "prj_acme_rentals", serviceId: "svc_web", mountPath: "/data" }) { id name volumeInstances { edges { node { environmentId mountPath } } } } }',
    );
    expect(all.errors).toBeUndefined();
    expect(all.data.volumeCreate.name).toBe('web-volume');
    expect(all.data.volumeCreate.volumeInstances.edges).toHaveLength(2);
    const one = await gql(
      'mutation { volumeCreate(input: { projectId: "prj_acme_rentals", environmentId: "env_staging", mountPath: "/tmp" }) { volumeInstances { edges { node { environmentId } } } } }',
    );
    expect(one.data.volumeCreate.volumeInstances.edges).toEqual([
      { node: { environmentId: 'env_staging' } },
    ]);
  });

  it('creates and deletes backups of a volume instance', async () => {
    const created = await gql(
      'mutation { volumeInstanceBackupCreate(volumeInstanceId: "vi_shared_staging", name: "before-migration") { workflowId } }',
    );
    expect(created.data.volumeInstanceBackupCreate.workflowId).toMatch(/^wf_/);
    const listed = await gql(
      '{ volumeInstanceBackupList(volumeInstanceId: "vi_shared_staging") { id name } }',
    );
    expect(listed.data.volumeInstanceBackupList).toHaveLength(1);
    const id = listed.data.volumeInstanceBackupList[0].id as string;
    await gql(
      'mutation($id: String!) { volumeInstanceBackupDelete(volumeInstanceId: "vi_shared_staging", volumeInstanceBackupId: $id) { workflowId } }',
      { id },
    );
    const after = await gql(
      '{ volumeInstanceBackupList(volumeInstanceId: "vi_shared_staging") { id } }',
    );
    expect(after.data.volumeInstanceBackupList).toEqual([]);
  });

  it('duplicates an environment from a source and deletes it with its volume data', async () => {
    const created = await gql(
      'mutation { environmentCreate(input: { projectId: "prj_acme_rentals", name: "pr-7", sourceEnvironmentId: "env_staging", ephemeral: true }) { id name isEphemeral volumeInstances { edges { node { id volumeId } } } } }',
    );
    const env = created.data.environmentCreate;
    expect(env.isEphemeral).toBe(true);
    expect(env.volumeInstances.edges.map((e: any) => e.node.volumeId).sort()).toEqual([
      'vol_shared',
      'vol_staging_scratch',
    ]);
    const vars = await gql(
      'query($env: String!) { variables(projectId: "prj_acme_rentals", environmentId: $env) }',
      { env: env.id },
    );
    expect(vars.data.variables).toEqual({ APP_ENV: 'staging' });
    expect(
      (await gql('{ project(id: "prj_acme_rentals") { primaryEnvironmentId } }')).data.project
        .primaryEnvironmentId,
    ).toBe('env_production');
    await gql('mutation($id: String!) { environmentDelete(id: $id) }', { id: env.id });
    const gone = await gql('query($id: String!) { volumeInstance(id: $id) { id } }', {
      id: env.volumeInstances.edges[0].node.id,
    });
    expect(gone.errors?.[0]?.message).toBe('Volume instance not found');
  });

  it('creates services, domains and variables, and deletes a service from one environment', async () => {
    const svc = await gql(
      'mutation { serviceCreate(input: { projectId: "prj_acme_rentals", name: "worker", variables: { QUEUE: "jobs" } }) { id name } }',
    );
    const id = svc.data.serviceCreate.id as string;
    const vars = await gql(
      'query($id: String) { variables(projectId: "prj_acme_rentals", environmentId: "env_production", serviceId: $id) }',
      { id },
    );
    expect(vars.data.variables).toEqual({ QUEUE: 'jobs' });
    const domain = await gql(
      'mutation { customDomainCreate(input: { projectId: "prj_acme_rentals", environmentId: "env_staging", serviceId: "svc_web", domain: "Staging.Acme.Example" }) { domain environmentId } }',
    );
    expect(domain.data.customDomainCreate).toEqual({
      domain: 'staging.acme.example',
      environmentId: 'env_staging',
    });
    await gql('mutation($id: String!) { serviceDelete(id: $id, environmentId: "env_staging") }', {
      id,
    });
    const inStaging = await gql(
      'query($id: String!) { serviceInstance(environmentId: "env_staging", serviceId: $id) { id } }',
      { id },
    );
    expect(inStaging.errors?.[0]?.message).toBe('Service instance not found');
    const inProduction = await gql(
      'query($id: String!) { serviceInstance(environmentId: "env_production", serviceId: $id) { serviceName } }',
      { id },
    );
    expect(inProduction.data.serviceInstance.serviceName).toBe('worker');
    expect((await gql('mutation { deploymentRestart(id: "dep_1") }')).data).toEqual({
      deploymentRestart: true,
    });
  });

  it('refuses variables that do not match the schema with HTTP 400 and BAD_USER_INPUT', async () => {
    railway = await startRailwayStandin({ tokens: { account: [TOKEN] }, seed: true });
    const res = await fetch(railway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        query: 'mutation($id: String!) { volumeDelete(volumeId: $id) }',
        variables: { id: 42 },
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(railway.state.state.volumes).toHaveLength(3);
  });
});
