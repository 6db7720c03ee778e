/** Records of the stand-in's world: plain JSON, so the whole state can be written to disk. */
export interface ProjectRecord {
  id: string;
  name: string;
  description: string | null;
  workspaceId: string;
  createdAt: string;
}

/** One environment of a project; the primary one is derived, not stored (see `primaryEnvironmentOf`). */
export interface EnvironmentRecord {
  id: string;
  projectId: string;
  name: string;
  isEphemeral: boolean;
  createdAt: string;
}

/** A service: project-wide; it runs in environments through service instances. */
export interface ServiceRecord {
  id: string;
  projectId: string;
  name: string;
  icon: string | null;
  createdAt: string;
}

/** A service deployed in one environment. */
export interface ServiceInstanceRecord {
  id: string;
  serviceId: string;
  environmentId: string;
  createdAt: string;
}

/** A volume: project-wide; its data lives in per-environment volume instances. */
export interface VolumeRecord {
  id: string;
  projectId: string;
  name: string;
  createdAt: string;
}

/** The volume's disk in one environment, optionally mounted into a service. */
export interface VolumeInstanceRecord {
  id: string;
  volumeId: string;
  environmentId: string;
  serviceId: string | null;
  mountPath: string;
  region: string;
  sizeMB: number;
  currentSizeMB: number;
  createdAt: string;
}

/** A backup of a volume instance. Like Railway's, it lives with the volume and dies with it. */
export interface BackupRecord {
  id: string;
  volumeInstanceId: string;
  name: string | null;
  usedMB: number;
  createdAt: string;
}

/** A variable: shared in an environment when `serviceId` is null, else the service's own. */
export interface VariableRecord {
  projectId: string;
  environmentId: string;
  serviceId: string | null;
  name: string;
  value: string;
}

/** A custom domain routed to a service in one environment. */
export interface CustomDomainRecord {
  id: string;
  domain: string;
  projectId: string;
  environmentId: string;
  serviceId: string;
  targetPort: number | null;
  createdAt: string;
}

/** A project token: a credential scoped to one project and one environment. */
export interface ProjectTokenRecord {
  id: string;
  name: string;
  token: string;
  projectId: string;
  environmentId: string;
  createdAt: string;
}

/** The account every account token acts as. */
export interface UserRecord {
  id: string;
  name: string;
  email: string;
  username: string;
  workspaceId: string;
  workspaceName: string;
  createdAt: string;
}

/** The whole persisted state, versioned so a later shape can migrate an older file. */
export interface RailwayStateV1 {
  version: 1;
  /** Counter behind generated ids, so ids are deterministic for a given sequence of calls. */
  nextId: number;
  user: UserRecord;
  projects: ProjectRecord[];
  environments: EnvironmentRecord[];
  services: ServiceRecord[];
  serviceInstances: ServiceInstanceRecord[];
  volumes: VolumeRecord[];
  volumeInstances: VolumeInstanceRecord[];
  backups: BackupRecord[];
  variables: VariableRecord[];
  customDomains: CustomDomainRecord[];
  projectTokens: ProjectTokenRecord[];
}

/** A fixed timestamp for seeded records, so a seeded world is identical on every run. */
export const SEED_TIME = '2026-01-15T09:00:00.000Z';

/** Builds an empty world with its single user and workspace. */
export function createEmptyState(): RailwayStateV1 {
  return {
    version: 1,
    nextId: 1,
    user: {
      id: 'usr_standin',
      name: 'Stand-in Operator',
      email: 'operator@acme-rentals.example',
      username: 'operator',
      workspaceId: 'ws_acme',
      workspaceName: 'Acme Rentals',
      createdAt: SEED_TIME,
    },
    projects: [],
    environments: [],
    services: [],
    serviceInstances: [],
    volumes: [],
    volumeInstances: [],
    backups: [],
    variables: [],
    customDomains: [],
    projectTokens: [],
  };
}

const ARRAY_KEYS = [
  'projects',
  'environments',
  'services',
  'serviceInstances',
  'volumes',
  'volumeInstances',
  'backups',
  'variables',
  'customDomains',
  'projectTokens',
] as const;

/** Checks a loaded state file's outline; throws with the first problem found. */
export function parseRailwayState(value: unknown): RailwayStateV1 {
  if (typeof value !== 'object' || value === null)
    throw new Error('railway stand-in state: not an object');
  const record = value as Record<string, unknown>;
  if (record['version'] !== 1) throw new Error('railway stand-in state: unsupported `version`');
  if (typeof record['nextId'] !== 'number')
    throw new Error('railway stand-in state: missing `nextId`');
  if (typeof record['user'] !== 'object' || record['user'] === null) {
    throw new Error('railway stand-in state: missing `user`');
  }
  for (const key of ARRAY_KEYS) {
    if (!Array.isArray(record[key]))
      throw new Error(`railway stand-in state: \`${key}\` is not a list`);
  }
  return value as RailwayStateV1;
}
