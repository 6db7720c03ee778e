import type { GraphqlCatalog, OperationEntry } from '../graphql/graphql-catalog.js';
import { RAILWAY_MUTATIONS } from './railway-mutations.js';
import { RAILWAY_QUERIES } from './railway-queries.js';
import { id, read } from './operation-entries.js';

// Subscriptions only stream logs and status, so they are reads.
const RAILWAY_SUBSCRIPTIONS: Readonly<Record<string, OperationEntry>> = {
  buildLogs: read([id('deploymentId', 'deployment')]),
  deployment: read([id('id', 'deployment')]),
  deploymentEvents: read([id('id', 'deployment')]),
  deploymentInstanceExecutions: read([id('input.deploymentId', 'deployment')]),
  deploymentLogs: read([id('deploymentId', 'deployment')]),
  dnsQueryLogs: read([
    id('deploymentInstanceId', 'deploymentInstance'),
    id('serviceId', 'service'),
    id('environmentId', 'environment'),
  ]),
  environmentLogs: read([id('environmentId', 'environment')]),
  environmentStagedPatch: read([id('environmentId', 'environment')]),
  httpLogs: read([id('deploymentId', 'deployment')]),
  networkFlowLogs: read([
    id('deploymentInstanceId', 'deploymentInstance'),
    id('serviceId', 'service'),
    id('environmentId', 'environment'),
  ]),
  notificationDeliveryUpdated: read([]),
  pluginLogs: read([id('pluginId', 'plugin'), id('environmentId', 'environment')]),
  replicationProgress: read([id('volumeInstanceId', 'volumeInstance')]),
};

/**
 * Railway's public GraphQL API (backboard.railway.com/graphql/v2), every root field classified.
 * A field missing here is unknown to Airlock, so a newer schema cannot slip a mutation through.
 */
export const RAILWAY_CATALOG: GraphqlCatalog = {
  upstream: 'railway',
  query: RAILWAY_QUERIES,
  mutation: RAILWAY_MUTATIONS,
  subscription: RAILWAY_SUBSCRIPTIONS,
};
