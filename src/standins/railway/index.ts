/**
 * # Railway stand-in
 *
 * A local stand-in for Railway's public GraphQL API (`/graphql/v2`), for `airlock demo` and the
 * tests. It is not a mock inside the tests: it is a real HTTP server that the gateway talks to
 * exactly as it would talk to `backboard.railway.com`, so the demo can replay the incident
 * (`../shared/INCIDENT.md`) without touching anyone's infrastructure.
 *
 * - **Real schema.** Every request is parsed and validated against Railway's own introspection
 *   schema (`test/upstreams/railway/schema.json`), so a field Railway does not have fails with
 *   Railway's `GRAPHQL_VALIDATION_FAILED` error, and one the stand-in does not model answers
 *   "not implemented in the stand-in" as a normal field error.
 * - **Railway's shapes.** Refusals are HTTP 200 with `"Not Authorized"` and code
 *   `INTERNAL_SERVER_ERROR` and `data: null`; not-found is `Volume not found` and the like;
 *   requests that cannot run are 4xx without `data`; errors carry `locations`, `path`, `traceId`.
 * - **Railway's credentials.** Account tokens as `Authorization: Bearer`; project tokens, scoped
 *   to one project and environment, as `Project-Access-Token` (created with `projectTokenCreate`).
 * - **Faithful to the incident.** `volumeDelete` removes the volume in every environment and,
 *   since Railway kept backups with the volume, every backup of it too.
 * - **Persistent.** State lives in memory and, given `statePath`, in a JSON file written
 *   atomically after every mutation and reloaded on start.
 *
 * Implemented queries: `me`, `project`, `projects`, `environment`, `environments`, `service`,
 * `serviceInstance`, `volumeInstance`, `volumeInstanceBackupList`, `variables`, `projectToken`.
 * Implemented mutations: `projectCreate`, `projectDelete`, `environmentCreate`,
 * `environmentDelete`, `serviceCreate`, `serviceDelete`, `volumeCreate`, `volumeDelete`,
 * `volumeInstanceBackupCreate`, `volumeInstanceBackupDelete`, `variableUpsert`, `variableDelete`,
 * `customDomainCreate`, `deploymentRestart`, `projectTokenCreate`.
 */
export type { RailwayStandin, RailwayStandinOptions } from './server.js';
export { RAILWAY_GRAPHQL_PATH, startRailwayStandin } from './server.js';
export type { RailwayStateV1 } from './state.js';
export { INCIDENT_IDS, seedIncidentWorld } from './seed.js';
export type { RailwayWorld } from './world.js';
