// The contract suite lives in `contract.ts` and is imported directly by tests: it loads vitest.
export { MemoryStore } from './memory/memory-store.js';
export type { SqliteStoreOptions } from './sqlite/sqlite-store.js';
export { SqliteStore, openSqliteStore } from './sqlite/sqlite-store.js';
