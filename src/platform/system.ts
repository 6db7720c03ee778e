import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, Ids, RandomSource } from '../core/index.js';

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Random ids: `prefix_` and a UUID without dashes. */
export const randomIds: Ids = { next: (prefix) => `${prefix}_${randomUUID().replaceAll('-', '')}` };

/** The operating system's cryptographic randomness. */
export const cryptoRandom: RandomSource = { bytes: (count) => new Uint8Array(randomBytes(count)) };
