import type { RailwayStateV1 } from './state.js';

/**
 * Deletions and what they take with them. They mirror Railway's behaviour, including the part
 * the incident turned on: backups live with their volume, so deleting a volume deletes them too.
 */

/** Deletes a volume, every per-environment instance of it, and every backup of those instances. */
export function deleteVolume(state: RailwayStateV1, volumeId: string): void {
  const instanceIds = state.volumeInstances.filter((v) => v.volumeId === volumeId).map((v) => v.id);
  deleteVolumeInstances(state, instanceIds);
  state.volumes = state.volumes.filter((v) => v.id !== volumeId);
}

/** Deletes volume instances and, faithful to Railway, their backups with them. */
export function deleteVolumeInstances(state: RailwayStateV1, instanceIds: readonly string[]): void {
  const doomed = new Set(instanceIds);
  state.backups = state.backups.filter((b) => !doomed.has(b.volumeInstanceId));
  state.volumeInstances = state.volumeInstances.filter((v) => !doomed.has(v.id));
}

/**
 * Deletes a service everywhere, or only its instance in one environment. Volumes mounted into it
 * are left detached rather than deleted, as `VolumeInstance.serviceId` is nullable in the schema.
 */
export function deleteService(
  state: RailwayStateV1,
  serviceId: string,
  environmentId: string | null,
): void {
  const inScope = (envId: string): boolean => environmentId === null || envId === environmentId;
  state.serviceInstances = state.serviceInstances.filter(
    (s) => !(s.serviceId === serviceId && inScope(s.environmentId)),
  );
  state.variables = state.variables.filter(
    (v) => !(v.serviceId === serviceId && inScope(v.environmentId)),
  );
  state.customDomains = state.customDomains.filter(
    (d) => !(d.serviceId === serviceId && inScope(d.environmentId)),
  );
  for (const instance of state.volumeInstances) {
    if (instance.serviceId === serviceId && inScope(instance.environmentId))
      instance.serviceId = null;
  }
  const stillDeployed = state.serviceInstances.some((s) => s.serviceId === serviceId);
  if (environmentId === null || !stillDeployed) {
    state.services = state.services.filter((s) => s.id !== serviceId);
    for (const instance of state.volumeInstances) {
      if (instance.serviceId === serviceId) instance.serviceId = null;
    }
  }
}

/** Deletes an environment with everything deployed in it: instances, volume data and backups, variables, domains, tokens. */
export function deleteEnvironment(state: RailwayStateV1, environmentId: string): void {
  const instanceIds = state.volumeInstances
    .filter((v) => v.environmentId === environmentId)
    .map((v) => v.id);
  deleteVolumeInstances(state, instanceIds);
  state.serviceInstances = state.serviceInstances.filter((s) => s.environmentId !== environmentId);
  state.variables = state.variables.filter((v) => v.environmentId !== environmentId);
  state.customDomains = state.customDomains.filter((d) => d.environmentId !== environmentId);
  state.projectTokens = state.projectTokens.filter((t) => t.environmentId !== environmentId);
  state.environments = state.environments.filter((e) => e.id !== environmentId);
}

/** Deletes a project and everything in it. */
export function deleteProject(state: RailwayStateV1, projectId: string): void {
  const environmentIds = state.environments
    .filter((e) => e.projectId === projectId)
    .map((e) => e.id);
  for (const environmentId of environmentIds) deleteEnvironment(state, environmentId);
  const volumeIds = state.volumes.filter((v) => v.projectId === projectId).map((v) => v.id);
  for (const volumeId of volumeIds) deleteVolume(state, volumeId);
  state.services = state.services.filter((s) => s.projectId !== projectId);
  state.projectTokens = state.projectTokens.filter((t) => t.projectId !== projectId);
  state.projects = state.projects.filter((p) => p.id !== projectId);
}
