export type {
  RailwayStandin,
  RailwayStandinOptions,
  RailwayStateV1,
  RailwayWorld,
} from './railway/index.js';
export {
  INCIDENT_IDS,
  RAILWAY_GRAPHQL_PATH,
  seedIncidentWorld,
  startRailwayStandin,
} from './railway/index.js';
