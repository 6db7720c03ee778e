export type { BoundaryProblem, ServerIdentity } from './home-boundary.js';
export { checkHomePlacement, checkServerUser, checkServiceHome, gitWorkTreeOf } from './home-boundary.js';
export { cryptoRandom, randomIds, systemClock } from './system.js';
