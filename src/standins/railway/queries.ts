import type { RailwayAccess } from './auth.js';
import { notFound } from './errors.js';
import type { View, Views } from './views.js';
import { toConnection } from './views.js';
import type { RailwayWorld } from './world.js';

/** What every resolver receives: the world, its views and the caller's scope. */
export interface ResolverContext {
  readonly world: RailwayWorld;
  readonly views: Views;
  readonly access: RailwayAccess;
}

/** A root field's resolver: graphql-js passes coerced arguments and the context. */
export type RootResolver = (args: Record<string, unknown>, ctx: ResolverContext) => unknown;

// Arguments arrive already coerced against Railway's schema, so required ones are present.
const str = (args: Record<string, unknown>, name: string): string => String(args[name]);
const optStr = (args: Record<string, unknown>, name: string): string | null =>
  typeof args[name] === 'string' ? args[name] : null;

/** The implemented root query fields; every other one is "not implemented in the stand-in". */
export const QUERY_RESOLVERS: Record<string, RootResolver> = {
  me: (_args, { access, views }) => {
    access.assertAccount();
    return views.user();
  },

  project: (args, { access, world, views }) => {
    access.assertAuthenticated();
    const project = world.project(str(args, 'id'));
    access.assertProject(project.id);
    return views.project(project);
  },

  projects: (args, { access, world, views }) => {
    access.assertAuthenticated();
    const workspaceId = optStr(args, 'workspaceId');
    const visible = world.state.projects.filter(
      (p) => access.canSeeProject(p.id) && (workspaceId === null || p.workspaceId === workspaceId),
    );
    return toConnection(visible.map(views.project), args);
  },

  environment: (args, { access, world, views }) => {
    access.assertAuthenticated();
    const environment = world.environment(str(args, 'id'));
    const projectId = optStr(args, 'projectId');
    if (projectId !== null && projectId !== environment.projectId) throw notFound('Environment');
    access.assertEnvironment(environment.projectId, environment.id);
    return views.environment(environment);
  },

  environments: (args, { access, world, views }) => {
    access.assertAuthenticated();
    const project = world.project(str(args, 'projectId'));
    access.assertProject(project.id);
    const isEphemeral = args['isEphemeral'];
    const environments = world
      .environmentsOf(project.id)
      .filter((e) => typeof isEphemeral !== 'boolean' || e.isEphemeral === isEphemeral);
    return toConnection(environments.map(views.environment), args);
  },

  service: (args, { access, world, views }) => {
    access.assertAuthenticated();
    const service = world.service(str(args, 'id'));
    access.assertProject(service.projectId);
    return views.service(service);
  },

  serviceInstance: (args, { access, world, views }) => {
    access.assertAuthenticated();
    const environment = world.environment(str(args, 'environmentId'));
    access.assertEnvironment(environment.projectId, environment.id);
    return views.serviceInstance(world.serviceInstance(environment.id, str(args, 'serviceId')));
  },

  volumeInstance: (args, { access, world, views }) => {
    access.assertAuthenticated();
    const instance = world.volumeInstance(str(args, 'id'));
    access.assertEnvironment(world.volume(instance.volumeId).projectId, instance.environmentId);
    return views.volumeInstance(instance);
  },

  volumeInstanceBackupList: (args, { access, world, views }) => {
    access.assertAuthenticated();
    const instance = world.volumeInstance(str(args, 'volumeInstanceId'));
    access.assertEnvironment(world.volume(instance.volumeId).projectId, instance.environmentId);
    const backups = world
      .backupsOf(instance.id)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return backups.map(views.backup);
  },

  variables: (args, { access, world }) => {
    access.assertAuthenticated();
    const environment = world.environment(str(args, 'environmentId'));
    if (environment.projectId !== str(args, 'projectId')) throw notFound('Environment');
    access.assertEnvironment(environment.projectId, environment.id);
    const serviceId = optStr(args, 'serviceId');
    if (serviceId !== null) world.service(serviceId);
    // EnvironmentVariables is a scalar: a plain name → value map.
    const variables: Record<string, string> = {};
    for (const v of world.state.variables) {
      if (v.environmentId === environment.id && v.serviceId === serviceId)
        variables[v.name] = v.value;
    }
    return variables;
  },

  projectToken: (_args, { access, world, views }): View => {
    access.assertAuthenticated();
    const caller = access.caller;
    // Railway's exact answer when the credential is not a project token.
    if (caller.kind !== 'project') throw notFound('Project Token');
    const record = world.state.projectTokens.find((t) => t.id === caller.tokenId);
    if (record === undefined) throw notFound('Project Token');
    return views.projectToken(record);
  },
};
