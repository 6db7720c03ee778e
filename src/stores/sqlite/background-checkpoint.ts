import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection copies the WAL back into the database. */
const CHECKPOINT_INTERVAL_MS = 1_000;

// The worker is plain CommonJS evaluated from text, so it needs no TypeScript loader and no
// file next to the compiled code; it gets better-sqlite3's resolved path from the parent.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    // PASSIVE never waits for readers or writers: it copies what it can and returns.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A busy or failing checkpoint only lets the WAL grow until the next attempt; the request
    // path is unaffected and SQLite stays consistent either way.
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** A running background checkpointer; `stop` ends it. */
export interface BackgroundCheckpoint {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the request path. With SQLite's automatic checkpoints, every
 * thousandth page written makes the committing request copy the WAL into the database and
 * fsync it, a multi-millisecond stall in the middle of someone's request. The caller turns
 * `wal_autocheckpoint` off on its own connection; this worker thread, with a connection of
 * its own, checkpoints on a timer instead, so the fsync waits block only the worker.
 */
export function startBackgroundCheckpoint(path: string): BackgroundCheckpoint {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, driver, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  worker.unref();
  // A worker that fails (e.g. cannot open the file) only means checkpoints happen on close.
  worker.on('error', () => undefined);
  return {
    stop: async () => {
      // Referenced again while stopping: with nothing else left in the event loop, an unreferenced
      // worker and timer would let the process end mid-await (exit code 13) before the store closes.
      worker.ref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        exited,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000))),
      ]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
