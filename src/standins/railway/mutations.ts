import { deleteEnvironment, deleteProject, deleteService, deleteVolume } from './cascade.js';
import { badInput, notFound } from './errors.js';
import type { ResolverContext, RootResolver } from './queries.js';
import { sameVariable } from './world.js';

type Input = Record<string, unknown>;

// Arguments arrive coerced against Railway's schema, so required ones are present and typed.
const str = (args: Input, name: string): string => String(args[name]);
const optStr = (args: Input, name: string): string | null =>
  typeof args[name] === 'string' ? args[name] : null;
const inputOf = (args: Input): Input => args['input'] as Input;

/** Resolves an environment and checks it is in the given project and in the caller's scope. */
function environmentIn(ctx: ResolverContext, projectId: string, environmentId: string): string {
  const environment = ctx.world.environment(environmentId);
  if (environment.projectId !== projectId) throw notFound('Environment');
  ctx.access.assertEnvironment(projectId, environment.id);
  return environment.id;
}

/** The implemented root mutation fields; every other one is "not implemented in the stand-in". */
export const MUTATION_RESOLVERS: Record<string, RootResolver> = {
  // Faithful to the incident: one call removes the volume in every environment, and its backups.
  // Only the project is checked, not which environments the volume spans: the unscoped access
  // that let a staging task reach production data. Airlock, not the stand-in, must stop it.
  volumeDelete: (args, ctx) => {
    ctx.access.assertAuthenticated();
    const volume = ctx.world.volume(str(args, 'volumeId'));
    ctx.access.assertProject(volume.projectId);
    deleteVolume(ctx.world.state, volume.id);
    return true;
  },

  volumeCreate: (args, ctx) => {
    ctx.access.assertAuthenticated();
    const input = inputOf(args);
    const project = ctx.world.project(str(input, 'projectId'));
    ctx.access.assertProject(project.id);
    // Per the schema: an absent environmentId deploys to every environment, null to none.
    const environmentIds = !('environmentId' in input)
      ? ctx.world.environmentsOf(project.id).map((e) => e.id)
      : input['environmentId'] === null
        ? []
        : [environmentIn(ctx, project.id, str(input, 'environmentId'))];
    const serviceId = optStr(input, 'serviceId');
    const service = serviceId === null ? null : ctx.world.service(serviceId);
    if (service !== null && service.projectId !== project.id) throw notFound('Service');
    const volume = ctx.world.addVolume({
      projectId: project.id,
      name: service === null ? `volume-${ctx.world.state.nextId}` : `${service.name}-volume`,
      environmentIds,
      serviceId,
      mountPath: str(input, 'mountPath'),
      region: optStr(input, 'region') ?? 'us-west2',
    });
    return ctx.views.volume(volume);
  },

  volumeInstanceBackupCreate: (args, ctx) => {
    ctx.access.assertAuthenticated();
    const instance = ctx.world.volumeInstance(str(args, 'volumeInstanceId'));
    ctx.access.assertEnvironment(
      ctx.world.volume(instance.volumeId).projectId,
      instance.environmentId,
    );
    ctx.world.addBackup(instance.id, optStr(args, 'name'));
    return { workflowId: ctx.world.nextId('wf') };
  },

  volumeInstanceBackupDelete: (args, ctx) => {
    ctx.access.assertAuthenticated();
    const instance = ctx.world.volumeInstance(str(args, 'volumeInstanceId'));
    ctx.access.assertEnvironment(
      ctx.world.volume(instance.volumeId).projectId,
      instance.environmentId,
    );
    const backupId = str(args, 'volumeInstanceBackupId');
    const state = ctx.world.state;
    if (!state.backups.some((b) => b.id === backupId && b.volumeInstanceId === instance.id))
      throw notFound('Backup');
    state.backups = state.backups.filter((b) => b.id !== backupId);
    return { workflowId: ctx.world.nextId('wf') };
  },

  serviceCreate: (args, ctx) => {
    ctx.access.assertAuthenticated();
    const input = inputOf(args);
    const project = ctx.world.project(str(input, 'projectId'));
    ctx.access.assertProject(project.id);
    const environmentId = optStr(input, 'environmentId');
    const environmentIds =
      environmentId === null
        ? ctx.world
            .environmentsOf(project.id)
            .filter((e) => !e.isEphemeral)
            .map((e) => e.id)
        : [environmentIn(ctx, project.id, environmentId)];
    const name = optStr(input, 'name') ?? `service-${ctx.world.state.nextId}`;
    const service = ctx.world.addService({ projectId: project.id, name, environmentIds });
    const variables = input['variables'];
    if (typeof variables === 'object' && variables !== null) {
      for (const envId of environmentIds) {
        for (const [key, value] of Object.entries(variables)) {
          ctx.world.upsertVariable({
            projectId: project.id,
            environmentId: envId,
            serviceId: service.id,
            name: key,
            value: String(value),
          });
        }
      }
    }
    return ctx.views.service(service);
  },

  serviceDelete: (args, ctx) => {
    ctx.access.assertAuthenticated();
    const service = ctx.world.service(str(args, 'id'));
    const environmentId = optStr(args, 'environmentId');
    if (environmentId === null) ctx.access.assertProject(service.projectId);
    else environmentIn(ctx, service.projectId, environmentId);
    deleteService(ctx.world.state, service.id, environmentId);
    return true;
  },

  environmentCreate: (args, ctx) => {
    ctx.access.assertAccount();
    const input = inputOf(args);
    const project = ctx.world.project(str(input, 'projectId'));
    const sourceId = optStr(input, 'sourceEnvironmentId');
    const source =
      sourceId === null ? null : ctx.world.environment(environmentIn(ctx, project.id, sourceId));
    const environment = ctx.world.addEnvironment({
      projectId: project.id,
      name: str(input, 'name'),
      isEphemeral: input['ephemeral'] === true,
    });
    if (source !== null) copyEnvironment(ctx, source.id, environment.id);
    return ctx.views.environment(environment);
  },

  environmentDelete: (args, ctx) => {
    ctx.access.assertAccount();
    deleteEnvironment(ctx.world.state, ctx.world.environment(str(args, 'id')).id);
    return true;
  },

  projectCreate: (args, ctx) => {
    ctx.access.assertAccount();
    const input = inputOf(args);
    const project = ctx.world.addProject({
      name: optStr(input, 'name') ?? `project-${ctx.world.state.nextId}`,
      description: optStr(input, 'description'),
      environmentName: optStr(input, 'defaultEnvironmentName') ?? 'production',
    });
    return ctx.views.project(project);
  },

  projectDelete: (args, ctx) => {
    ctx.access.assertAccount();
    deleteProject(ctx.world.state, ctx.world.project(str(args, 'id')).id);
    return true;
  },

  variableUpsert: (args, ctx) => {
    ctx.access.assertAuthenticated();
    const input = inputOf(args);
    const projectId = ctx.world.project(str(input, 'projectId')).id;
    const environmentId = environmentIn(ctx, projectId, str(input, 'environmentId'));
    const serviceId = optStr(input, 'serviceId');
    if (serviceId !== null) ctx.world.service(serviceId);
    ctx.world.upsertVariable({
      projectId,
      environmentId,
      serviceId,
      name: str(input, 'name'),
      value: str(input, 'value'),
    });
    return true;
  },

  variableDelete: (args, ctx) => {
    ctx.access.assertAuthenticated();
    const input = inputOf(args);
    const projectId = ctx.world.project(str(input, 'projectId')).id;
    const key = {
      environmentId: environmentIn(ctx, projectId, str(input, 'environmentId')),
      serviceId: optStr(input, 'serviceId'),
      name: str(input, 'name'),
    };
    const state = ctx.world.state;
    if (!state.variables.some((v) => sameVariable(v, key))) throw notFound('Variable');
    state.variables = state.variables.filter((v) => !sameVariable(v, key));
    return true;
  },

  customDomainCreate: (args, ctx) => {
    ctx.access.assertAuthenticated();
    const input = inputOf(args);
    const projectId = ctx.world.project(str(input, 'projectId')).id;
    const environmentId = environmentIn(ctx, projectId, str(input, 'environmentId'));
    const serviceId = ctx.world.serviceInstance(environmentId, str(input, 'serviceId')).serviceId;
    const domain = str(input, 'domain').toLowerCase();
    if (ctx.world.state.customDomains.some((d) => d.domain === domain))
      throw badInput(`Domain ${domain} is not available`);
    const targetPort = typeof input['targetPort'] === 'number' ? input['targetPort'] : null;
    const record = {
      id: ctx.world.nextId('cd'),
      domain,
      projectId,
      environmentId,
      serviceId,
      targetPort,
      createdAt: ctx.world.timestamp(),
    };
    ctx.world.state.customDomains.push(record);
    return ctx.views.customDomain(record);
  },

  // Deployments are not modelled; a restart is accepted so clients that call it keep working.
  deploymentRestart: (_args, ctx) => {
    ctx.access.assertAuthenticated();
    return true;
  },

  projectTokenCreate: (args, ctx) => {
    ctx.access.assertAccount();
    const input = inputOf(args);
    const projectId = ctx.world.project(str(input, 'projectId')).id;
    const environmentId = environmentIn(ctx, projectId, str(input, 'environmentId'));
    return ctx.world.addProjectToken({ projectId, environmentId, name: str(input, 'name') }).token;
  },
};

/** Duplicates an environment's services, volumes (as new, empty instances) and variables. */
function copyEnvironment(ctx: ResolverContext, sourceId: string, targetId: string): void {
  const { world } = ctx;
  for (const instance of world.state.serviceInstances.filter((s) => s.environmentId === sourceId)) {
    world.addServiceInstance(instance.serviceId, targetId);
  }
  for (const instance of world.state.volumeInstances.filter((v) => v.environmentId === sourceId)) {
    world.state.volumeInstances.push({
      ...instance,
      id: world.nextId('vi'),
      environmentId: targetId,
      currentSizeMB: 0,
      createdAt: world.timestamp(),
    });
  }
  for (const variable of world.state.variables.filter((v) => v.environmentId === sourceId)) {
    world.upsertVariable({ ...variable, environmentId: targetId });
  }
}
