import type { FileRead, FileReader } from '../types.js';

/** Reads one classification may make (package.json lookups, scripts, Makefiles, node_modules/.bin). */
export const MAX_READS_PER_CLASSIFICATION = 64;
/** Text one classification may be handed, in all; past it nothing more is looked into. */
export const MAX_READ_BYTES_PER_CLASSIFICATION = 1024 * 1024;

/** Why a read was refused once the budget is spent (the handlers turn it into `unknown`). */
export const READ_BUDGET_SPENT = 'read budget spent';

/**
 * A reader for ONE classification: each file is read once (later reads reuse the answer), and
 * every read counts against MAX_READS_PER_CLASSIFICATION and MAX_READ_BYTES_PER_CLASSIFICATION,
 * repeats included, because a hostile project can make scripts call each other (`npm run a` whose
 * script runs `npm run b` twice…) and each call costs a parse and a walk even when the file is cached.
 */
export function budgetedReader(
  files: FileReader,
  reads = MAX_READS_PER_CLASSIFICATION,
  bytes = MAX_READ_BYTES_PER_CLASSIFICATION,
): FileReader {
  const cache = new Map<string, Promise<FileRead>>();
  let readsLeft = reads;
  let bytesLeft = bytes;
  return {
    async read(path) {
      if (readsLeft <= 0)
        return { kind: 'unreadable', why: `${READ_BUDGET_SPENT}: more than ${reads} reads` };
      readsLeft--;
      let pending = cache.get(path);
      if (pending === undefined) {
        pending = files.read(path);
        cache.set(path, pending);
      }
      const answer = await pending;
      if (answer.kind !== 'text') return answer;
      bytesLeft -= answer.text.length;
      if (bytesLeft < 0)
        return { kind: 'unreadable', why: `${READ_BUDGET_SPENT}: more than ${bytes} bytes` };
      return answer;
    },
  };
}
