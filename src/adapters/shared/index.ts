export { readBoundedBody } from './bounded-body.js';
export type { Scrub, ScrubSecrets } from './scrub.js';
export { REDACTED, createScrub, scrubText, toScrubSecrets } from './scrub.js';
export { readableBody, toRawRequestText, toShownRequest } from './shown.js';
export { decodedBody, decoderFor, relayAnswer } from './answer.js';
export type {
  RunningSurface,
  Surface,
  SurfaceDeps,
  SurfaceRefusalDetails,
  SurfaceRoute,
  SurfaceSettings,
  SurfaceUrls,
} from './surface.js';
export { SurfaceRefusal } from './surface.js';
