import type { GraphqlCatalog, OperationEntry, TargetLocator } from './graphql-catalog.js';

function entry(effect: OperationEntry['effect'], targets: TargetLocator[]): OperationEntry {
  return { effect, reversible: effect !== 'destructive', targets };
}

/**
 * A small hand-written Railway-like catalog for the classifier's tests, so they do not depend
 * on the shipped catalog's data.
 */
export const TEST_CATALOG: GraphqlCatalog = {
  upstream: 'railway',
  query: {
    me: entry('read', []),
    project: entry('read', [{ arg: 'id', type: 'project' }]),
    volumeInstance: entry('read', [{ arg: 'id', type: 'volumeInstance' }]),
    templateSearch: entry('read', []),
  },
  mutation: {
    volumeDelete: entry('destructive', [{ arg: 'volumeId', type: 'volume' }]),
    projectDelete: entry('destructive', [{ arg: 'id', type: 'project' }]),
    serviceDelete: entry('destructive', [
      { arg: 'id', type: 'service' },
      { arg: 'environmentId', type: 'environment' },
    ]),
    environmentDelete: entry('destructive', [{ arg: 'id', type: 'environment' }]),
    environmentPatchCommit: entry('destructive', [{ arg: 'environmentId', type: 'environment' }]),
    variableDelete: entry('destructive', [
      { arg: 'input.projectId', type: 'project' },
      { arg: 'input.environmentId', type: 'environment' },
    ]),
    volumeInstanceBackupDelete: entry('destructive', [
      { arg: 'volumeInstanceId', type: 'volumeInstance' },
      { arg: 'volumeInstanceBackupId', type: 'volumeInstanceBackup' },
    ]),
    deploymentRestart: entry('write', [{ arg: 'id', type: 'deployment' }]),
    customDomainCreate: entry('write', [
      { arg: 'input.serviceId', type: 'service' },
      { arg: 'input.environmentId', type: 'environment' },
    ]),
    variableUpsert: entry('write', [
      { arg: 'input.serviceId', type: 'service' },
      { arg: 'input.environmentId', type: 'environment' },
    ]),
    variableCollectionUpsert: entry('write', [
      { arg: 'input.serviceIds', type: 'service', many: true },
    ]),
  },
  subscription: {
    deploymentLogs: entry('read', [{ arg: 'deploymentId', type: 'deployment' }]),
  },
};
