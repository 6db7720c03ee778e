export type { Scrub } from './scrub.js';
export { REDACTED, createScrub, scrubText } from './scrub.js';
