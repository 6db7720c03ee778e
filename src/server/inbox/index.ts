export type { InboxOptions } from './inbox-context.js';
export { createInboxRoute } from './inbox-route.js';
export type { PasskeyCredentialV1, PasskeyStore } from './passkey-store.js';
export { FilePasskeyStore, MemoryPasskeyStore } from './passkey-store.js';
export { DEFAULT_SESSION_TTL_MS } from './sessions.js';
