import type { RailwayStateV1, VolumeInstanceRecord } from './state.js';
import { SEED_TIME, createEmptyState } from './state.js';

const LATER = '2026-02-01T09:00:00.000Z';

/** Ids of the seeded incident world, for the demo and tests to name targets by. */
export const INCIDENT_IDS = {
  project: 'prj_acme_rentals',
  production: 'env_production',
  staging: 'env_staging',
  postgres: 'svc_postgres',
  web: 'svc_web',
  prodDbVolume: 'vol_prod_db',
  prodDbInstance: 'vi_prod_db_production',
  stagingScratchVolume: 'vol_staging_scratch',
  stagingScratchInstance: 'vi_staging_scratch_staging',
  sharedVolume: 'vol_shared',
  sharedProductionInstance: 'vi_shared_production',
  sharedStagingInstance: 'vi_shared_staging',
} as const;

/**
 * The incident's world: project `acme-rentals` with `production` (the primary environment, being
 * the oldest) and `staging`; the production database volume `vol_prod_db` with two backups; a
 * staging-only volume; and `vol_shared`, present in both environments.
 */
export function seedIncidentWorld(): RailwayStateV1 {
  const ids = INCIDENT_IDS;
  const state = createEmptyState();
  state.projects.push({
    id: ids.project,
    name: 'acme-rentals',
    description: 'car rental bookings',
    workspaceId: state.user.workspaceId,
    createdAt: SEED_TIME,
  });
  state.environments.push(
    {
      id: ids.production,
      projectId: ids.project,
      name: 'production',
      isEphemeral: false,
      createdAt: SEED_TIME,
    },
    {
      id: ids.staging,
      projectId: ids.project,
      name: 'staging',
      isEphemeral: false,
      createdAt: LATER,
    },
  );
  state.services.push(
    {
      id: ids.postgres,
      projectId: ids.project,
      name: 'postgres',
      icon: null,
      createdAt: SEED_TIME,
    },
    { id: ids.web, projectId: ids.project, name: 'web', icon: null, createdAt: SEED_TIME },
  );
  for (const [service, env] of [
    [ids.postgres, ids.production],
    [ids.postgres, ids.staging],
    [ids.web, ids.production],
    [ids.web, ids.staging],
  ] as const) {
    const id = `si_${service.slice(4)}_${env.slice(4)}`;
    state.serviceInstances.push({
      id,
      serviceId: service,
      environmentId: env,
      createdAt: SEED_TIME,
    });
  }
  state.volumes.push(
    { id: ids.prodDbVolume, projectId: ids.project, name: 'postgres-volume', createdAt: SEED_TIME },
    {
      id: ids.stagingScratchVolume,
      projectId: ids.project,
      name: 'scratch-volume',
      createdAt: LATER,
    },
    { id: ids.sharedVolume, projectId: ids.project, name: 'shared-uploads', createdAt: SEED_TIME },
  );
  state.volumeInstances.push(
    volumeInstance(
      ids.prodDbInstance,
      ids.prodDbVolume,
      ids.production,
      ids.postgres,
      '/var/lib/postgresql/data',
      2150,
    ),
    volumeInstance(
      ids.stagingScratchInstance,
      ids.stagingScratchVolume,
      ids.staging,
      ids.web,
      '/scratch',
      12,
    ),
    volumeInstance(
      ids.sharedProductionInstance,
      ids.sharedVolume,
      ids.production,
      ids.web,
      '/uploads',
      640,
    ),
    volumeInstance(
      ids.sharedStagingInstance,
      ids.sharedVolume,
      ids.staging,
      ids.web,
      '/uploads',
      35,
    ),
  );
  state.backups.push(
    {
      id: 'bak_prod_db_1',
      volumeInstanceId: ids.prodDbInstance,
      name: 'nightly',
      usedMB: 2010,
      createdAt: '2026-01-20T03:00:00.000Z',
    },
    {
      id: 'bak_prod_db_2',
      volumeInstanceId: ids.prodDbInstance,
      name: 'nightly',
      usedMB: 2140,
      createdAt: '2026-01-21T03:00:00.000Z',
    },
  );
  state.variables.push(
    {
      projectId: ids.project,
      environmentId: ids.production,
      serviceId: null,
      name: 'APP_ENV',
      value: 'production',
    },
    {
      projectId: ids.project,
      environmentId: ids.staging,
      serviceId: null,
      name: 'APP_ENV',
      value: 'staging',
    },
    {
      projectId: ids.project,
      environmentId: ids.production,
      serviceId: ids.postgres,
      name: 'POSTGRES_DB',
      value: 'bookings',
    },
    {
      projectId: ids.project,
      environmentId: ids.staging,
      serviceId: ids.postgres,
      name: 'POSTGRES_DB',
      value: 'bookings_staging',
    },
  );
  state.customDomains.push({
    id: 'cd_rentals_web',
    domain: 'book.acme-rentals.example',
    projectId: ids.project,
    environmentId: ids.production,
    serviceId: ids.web,
    targetPort: 8080,
    createdAt: SEED_TIME,
  });
  return state;
}

function volumeInstance(
  id: string,
  volumeId: string,
  environmentId: string,
  serviceId: string,
  mountPath: string,
  currentSizeMB: number,
): VolumeInstanceRecord {
  return {
    id,
    volumeId,
    environmentId,
    serviceId,
    mountPath,
    region: 'us-west2',
    sizeMB: 5000,
    currentSizeMB,
    createdAt: SEED_TIME,
  };
}
