import type {
  BackupRecord,
  CustomDomainRecord,
  EnvironmentRecord,
  ProjectRecord,
  ProjectTokenRecord,
  ServiceInstanceRecord,
  ServiceRecord,
  VolumeInstanceRecord,
  VolumeRecord,
} from './state.js';
import type { RailwayWorld } from './world.js';

/**
 * Records seen as GraphQL objects of Railway's schema. A view holds a value or a function per
 * implemented field; a field a view lacks is answered "not implemented in the stand-in" by the
 * executor, so every field below is one the stand-in really models. `__typename` lets graphql-js
 * resolve the schema's interfaces (`Node`, `Domain`).
 */
export type View = Record<string, unknown>;

type PageArgs = { first?: number | null; after?: string | null };

/** A Relay connection over already-ordered nodes, honouring `first` and `after`. */
export function toConnection(nodes: readonly View[], args: PageArgs = {}): View {
  const cursors = nodes.map((n) => Buffer.from(String(n['id'])).toString('base64url'));
  const start = args.after == null ? 0 : cursors.indexOf(args.after) + 1;
  const end =
    args.first == null ? nodes.length : Math.min(nodes.length, start + Math.max(0, args.first));
  const edges = nodes.slice(start, end).map((node, i) => ({ node, cursor: cursors[start + i] }));
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasPreviousPage: start > 0,
      hasNextPage: end < nodes.length,
    },
  };
}

/** Builds the view functions over one world. */
export function createViews(world: RailwayWorld) {
  const s = world.state;
  const stamps = (createdAt: string): View => ({
    createdAt,
    updatedAt: createdAt,
    deletedAt: null,
  });

  const workspace = (): View => ({
    __typename: 'Workspace',
    id: s.user.workspaceId,
    name: s.user.workspaceName,
    avatar: null,
    preferredRegion: 'us-west2',
    ...stamps(s.user.createdAt),
    projects: (args: PageArgs) => toConnection(s.projects.map(project), args),
  });

  const project = (p: ProjectRecord): View => {
    const primary = world.primaryEnvironmentOf(p.id);
    return {
      __typename: 'Project',
      id: p.id,
      name: p.name,
      description: p.description,
      ...stamps(p.createdAt),
      expiredAt: null,
      isPublic: false,
      isTempProject: false,
      prDeploys: false,
      botPrEnvironments: false,
      focusedPrEnvironments: false,
      primaryEnvironmentId: primary?.id ?? null,
      baseEnvironmentId: primary?.id ?? null,
      baseEnvironment: () => (primary === undefined ? null : environment(primary)),
      workspaceId: p.workspaceId,
      workspace,
      environments: (args: PageArgs & { isEphemeral?: boolean | null }) =>
        toConnection(
          world
            .environmentsOf(p.id)
            .filter((e) => args.isEphemeral == null || e.isEphemeral === args.isEphemeral)
            .map(environment),
          args,
        ),
      services: (args: PageArgs) =>
        toConnection(s.services.filter((x) => x.projectId === p.id).map(service), args),
      volumes: (args: PageArgs) =>
        toConnection(s.volumes.filter((x) => x.projectId === p.id).map(volume), args),
    };
  };

  const environment = (e: EnvironmentRecord): View => ({
    __typename: 'Environment',
    id: e.id,
    name: e.name,
    projectId: e.projectId,
    isEphemeral: e.isEphemeral,
    canAccess: true,
    sourceEnvironment: null,
    unmergedChangesCount: 0,
    ...stamps(e.createdAt),
    serviceInstances: (args: PageArgs) =>
      toConnection(
        s.serviceInstances.filter((x) => x.environmentId === e.id).map(serviceInstance),
        args,
      ),
    volumeInstances: (args: PageArgs) =>
      toConnection(
        s.volumeInstances.filter((x) => x.environmentId === e.id).map(volumeInstance),
        args,
      ),
  });

  const service = (x: ServiceRecord): View => ({
    __typename: 'Service',
    id: x.id,
    name: x.name,
    icon: x.icon,
    projectId: x.projectId,
    project: () => project(world.project(x.projectId)),
    ...stamps(x.createdAt),
    groupId: null,
    templateId: null,
    templateServiceId: null,
    templateThreadSlug: null,
    isRestricted: false,
    hasHiddenRegistryCredentialsFromTemplate: false,
    serviceInstances: (args: PageArgs) =>
      toConnection(
        s.serviceInstances.filter((i) => i.serviceId === x.id).map(serviceInstance),
        args,
      ),
  });

  const serviceInstance = (i: ServiceInstanceRecord): View => {
    const svc = world.service(i.serviceId);
    return {
      __typename: 'ServiceInstance',
      id: i.id,
      serviceId: i.serviceId,
      serviceName: svc.name,
      service: () => service(svc),
      environmentId: i.environmentId,
      ...stamps(i.createdAt),
      region: 'us-west2',
      numReplicas: 1,
      builder: 'RAILPACK',
      buildCommand: null,
      startCommand: null,
      rootDirectory: null,
      healthcheckPath: null,
      healthcheckTimeout: null,
      cronSchedule: null,
      nextCronRunAt: null,
      sleepApplication: false,
      restartPolicyType: 'ON_FAILURE',
      restartPolicyMaxRetries: 10,
      watchPatterns: [],
      isUpdatable: false,
      upstreamUrl: null,
      domains: () => ({
        customDomains: s.customDomains
          .filter((d) => d.serviceId === i.serviceId && d.environmentId === i.environmentId)
          .map(customDomain),
        serviceDomains: [],
      }),
    };
  };

  const volume = (v: VolumeRecord): View => ({
    __typename: 'Volume',
    id: v.id,
    name: v.name,
    projectId: v.projectId,
    project: () => project(world.project(v.projectId)),
    createdAt: v.createdAt,
    volumeInstances: (args: PageArgs) =>
      toConnection(s.volumeInstances.filter((i) => i.volumeId === v.id).map(volumeInstance), args),
  });

  const volumeInstance = (i: VolumeInstanceRecord): View => ({
    __typename: 'VolumeInstance',
    id: i.id,
    volumeId: i.volumeId,
    volume: () => volume(world.volume(i.volumeId)),
    environmentId: i.environmentId,
    environment: () => environment(world.environment(i.environmentId)),
    serviceId: i.serviceId,
    // The schema makes `service` non-null; a detached instance answers with Railway's not-found.
    service: () => service(world.service(i.serviceId ?? '')),
    mountPath: i.mountPath,
    region: i.region,
    sizeMB: i.sizeMB,
    currentSizeMB: i.currentSizeMB,
    state: 'READY',
    externalId: null,
    isPendingDeletion: false,
    ...stamps(i.createdAt),
  });

  const backup = (b: BackupRecord): View => ({
    __typename: 'VolumeInstanceBackup',
    id: b.id,
    name: b.name,
    createdAt: b.createdAt,
    creatorId: s.user.id,
    expiresAt: null,
    externalId: `ext_${b.id}`,
    referencedMB: b.usedMB,
    usedMB: b.usedMB,
    scheduleId: null,
    volumeInstanceSizeMB: world.volumeInstance(b.volumeInstanceId).sizeMB,
  });

  const customDomain = (d: CustomDomainRecord): View => ({
    __typename: 'CustomDomain',
    id: d.id,
    domain: d.domain,
    projectId: d.projectId,
    environmentId: d.environmentId,
    serviceId: d.serviceId,
    targetPort: d.targetPort,
    isRailwayDomain: false,
    edgeId: null,
    cdnMode: null,
    ...stamps(d.createdAt),
  });

  const projectToken = (t: ProjectTokenRecord): View => ({
    __typename: 'ProjectToken',
    id: t.id,
    name: t.name,
    // SECURITY: like Railway's dashboard, never show the secret again after creation.
    displayToken: `${'*'.repeat(8)}${t.token.slice(-4)}`,
    projectId: t.projectId,
    project: () => project(world.project(t.projectId)),
    environmentId: t.environmentId,
    environment: () => environment(world.environment(t.environmentId)),
    createdAt: t.createdAt,
  });

  const user = (): View => ({
    __typename: 'User',
    id: s.user.id,
    name: s.user.name,
    email: s.user.email,
    username: s.user.username,
    avatar: null,
    createdAt: s.user.createdAt,
    lastLogin: s.user.createdAt,
    isAdmin: false,
    isVerified: true,
    has2FA: false,
    hasPasskeys: false,
    agreedFairUse: true,
    workspaces: () => [workspace()],
  });

  return {
    workspace,
    project,
    environment,
    service,
    serviceInstance,
    volume,
    volumeInstance,
    backup,
    customDomain,
    projectToken,
    user,
  };
}

/** The view functions of one world. */
export type Views = ReturnType<typeof createViews>;
