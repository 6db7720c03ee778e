export type { InboxOptions } from './inbox-context.js';
export { createInboxRoute } from './inbox-route.js';
export { DEFAULT_SESSION_TTL_MS } from './sessions.js';
