import { randomBytes } from 'node:crypto';
import { notFound } from './errors.js';
import type {
  BackupRecord,
  EnvironmentRecord,
  ProjectRecord,
  ProjectTokenRecord,
  RailwayStateV1,
  ServiceInstanceRecord,
  ServiceRecord,
  VariableRecord,
  VolumeInstanceRecord,
  VolumeRecord,
} from './state.js';

/**
 * The stand-in's world: lookups and record creation over one `RailwayStateV1`. Deletions, which
 * cascade, live in `cascade.ts`. Lookups of a missing id throw Railway's not-found error.
 */
export class RailwayWorld {
  readonly #now: () => string;
  constructor(
    readonly state: RailwayStateV1,
    now: () => string = () => new Date().toISOString(),
  ) {
    this.#now = now;
  }

  /** A fresh id with Railway-like prefix; deterministic for a given sequence of calls. */
  nextId(prefix: string): string {
    const id = `${prefix}_${this.state.nextId}`;
    this.state.nextId += 1;
    return id;
  }

  /** The current time, as Railway's DateTime string. */
  timestamp(): string {
    return this.#now();
  }

  /** The project, or Railway's `Project not found`. */
  project(id: string): ProjectRecord {
    return found(
      this.state.projects.find((p) => p.id === id),
      'Project',
    );
  }

  /** The environment, or `Environment not found`. */
  environment(id: string): EnvironmentRecord {
    return found(
      this.state.environments.find((e) => e.id === id),
      'Environment',
    );
  }

  /** The service, or `Service not found`. */
  service(id: string): ServiceRecord {
    return found(
      this.state.services.find((s) => s.id === id),
      'Service',
    );
  }

  /** The volume, or `Volume not found`. */
  volume(id: string): VolumeRecord {
    return found(
      this.state.volumes.find((v) => v.id === id),
      'Volume',
    );
  }

  /** The volume instance, or `Volume instance not found`. */
  volumeInstance(id: string): VolumeInstanceRecord {
    return found(
      this.state.volumeInstances.find((v) => v.id === id),
      'Volume instance',
    );
  }

  /** The service's instance in an environment, or `Service instance not found`. */
  serviceInstance(environmentId: string, serviceId: string): ServiceInstanceRecord {
    const instance = this.state.serviceInstances.find(
      (s) => s.environmentId === environmentId && s.serviceId === serviceId,
    );
    return found(instance, 'Service instance');
  }

  /** The project token with this secret value, if any. */
  projectTokenByValue(token: string): ProjectTokenRecord | undefined {
    return this.state.projectTokens.find((t) => t.token === token);
  }

  /** Railway's primary environment: the oldest non-ephemeral one (see `Project.primaryEnvironmentId`). */
  primaryEnvironmentOf(projectId: string): EnvironmentRecord | undefined {
    const candidates = this.environmentsOf(projectId).filter((e) => !e.isEphemeral);
    return candidates.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  }

  /** The project's environments, oldest first. */
  environmentsOf(projectId: string): EnvironmentRecord[] {
    return this.state.environments.filter((e) => e.projectId === projectId);
  }

  /** The backups of one volume instance. */
  backupsOf(volumeInstanceId: string): BackupRecord[] {
    return this.state.backups.filter((b) => b.volumeInstanceId === volumeInstanceId);
  }

  /** Adds a project with one environment, as Railway's `projectCreate` does. */
  addProject(input: {
    name: string;
    description: string | null;
    environmentName: string;
  }): ProjectRecord {
    const project: ProjectRecord = {
      id: this.nextId('prj'),
      name: input.name,
      description: input.description,
      workspaceId: this.state.user.workspaceId,
      createdAt: this.#now(),
    };
    this.state.projects.push(project);
    this.addEnvironment({ projectId: project.id, name: input.environmentName, isEphemeral: false });
    return project;
  }

  /** Adds an empty environment to a project. */
  addEnvironment(input: {
    projectId: string;
    name: string;
    isEphemeral: boolean;
  }): EnvironmentRecord {
    const environment: EnvironmentRecord = {
      id: this.nextId('env'),
      ...input,
      createdAt: this.#now(),
    };
    this.state.environments.push(environment);
    return environment;
  }

  /** Adds a service and its instances in the given environments. */
  addService(input: {
    projectId: string;
    name: string;
    environmentIds: readonly string[];
  }): ServiceRecord {
    const service: ServiceRecord = {
      id: this.nextId('svc'),
      projectId: input.projectId,
      name: input.name,
      icon: null,
      createdAt: this.#now(),
    };
    this.state.services.push(service);
    for (const environmentId of input.environmentIds)
      this.addServiceInstance(service.id, environmentId);
    return service;
  }

  /** Deploys a service into an environment. */
  addServiceInstance(serviceId: string, environmentId: string): ServiceInstanceRecord {
    const instance = { id: this.nextId('si'), serviceId, environmentId, createdAt: this.#now() };
    this.state.serviceInstances.push(instance);
    return instance;
  }

  /** Adds a volume with one instance per listed environment. */
  addVolume(input: {
    projectId: string;
    name: string;
    environmentIds: readonly string[];
    serviceId: string | null;
    mountPath: string;
    region: string;
  }): VolumeRecord {
    const volume = {
      id: this.nextId('vol'),
      projectId: input.projectId,
      name: input.name,
      createdAt: this.#now(),
    };
    this.state.volumes.push(volume);
    for (const environmentId of input.environmentIds) {
      this.state.volumeInstances.push({
        id: this.nextId('vi'),
        volumeId: volume.id,
        environmentId,
        serviceId: input.serviceId,
        mountPath: input.mountPath,
        region: input.region,
        sizeMB: 5000,
        currentSizeMB: 0,
        createdAt: this.#now(),
      });
    }
    return volume;
  }

  /** Takes a backup of a volume instance; like Railway's, it is stored with the volume. */
  addBackup(volumeInstanceId: string, name: string | null): BackupRecord {
    const instance = this.volumeInstance(volumeInstanceId);
    const backup = {
      id: this.nextId('bak'),
      volumeInstanceId,
      name,
      usedMB: instance.currentSizeMB,
      createdAt: this.#now(),
    };
    this.state.backups.push(backup);
    return backup;
  }

  /** Sets a variable, replacing any with the same name in the same scope. */
  upsertVariable(variable: VariableRecord): void {
    const existing = this.state.variables.find((v) => sameVariable(v, variable));
    if (existing !== undefined) existing.value = variable.value;
    else this.state.variables.push({ ...variable });
  }

  /** Creates a project token; its value is a random secret, never derived from the seed. */
  addProjectToken(input: {
    projectId: string;
    environmentId: string;
    name: string;
  }): ProjectTokenRecord {
    const record = {
      id: this.nextId('ptk'),
      name: input.name,
      // SECURITY: a credential must be unguessable even though every other id is deterministic.
      token: randomBytes(24).toString('hex'),
      projectId: input.projectId,
      environmentId: input.environmentId,
      createdAt: this.#now(),
    };
    this.state.projectTokens.push(record);
    return record;
  }
}

/** Whether two variables share a scope and name (the key `variableUpsert` writes to). */
export function sameVariable(
  a: Pick<VariableRecord, 'environmentId' | 'serviceId' | 'name'>,
  b: Pick<VariableRecord, 'environmentId' | 'serviceId' | 'name'>,
): boolean {
  return a.environmentId === b.environmentId && a.serviceId === b.serviceId && a.name === b.name;
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw notFound(what);
  return value;
}
