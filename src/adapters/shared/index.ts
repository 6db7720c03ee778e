export { readBoundedBody } from './bounded-body.js';
export type { Scrub, ScrubSecrets } from './scrub.js';
export { REDACTED, createScrub, scrubText, toScrubSecrets } from './scrub.js';
export { readableBody, toShownRequest } from './shown.js';
export { decodedBody, decoderFor, relayAnswer } from './answer.js';
