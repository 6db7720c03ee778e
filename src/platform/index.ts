export { cryptoRandom, randomIds, systemClock } from './system.js';
