import type { AuditCheckpointV1, Clock, Store } from '../core/index.js';
import {
  checkpointSigningText,
  createAuditCheckpoint,
  describeError,
  isSameCheckpointedHead,
  toCheckpointLine,
} from '../core/index.js';

/** Signs checkpoint texts; the key stays with whoever implements it. */
export interface CheckpointSigner {
  readonly keyId: string;
  sign(text: string): string;
}

/** Where checkpoint lines go; `append` resolves once the line is durable there. */
export interface CheckpointLineSink {
  readonly name: string;
  append(line: string): Promise<void>;
}

/** How an `AuditCheckpointer` is wired. */
export interface AuditCheckpointerOptions {
  /** Only the head and id are read. */
  readonly store: Pick<Store, 'storeId' | 'auditHead'>;
  readonly clock: Clock;
  readonly signer: CheckpointSigner;
  /** The home's own checkpoint file: every line goes here first, and must. */
  readonly journal: CheckpointLineSink;
  /** Copies off the host; a failed delivery is retried, never blocks a checkpoint. */
  readonly witnesses: readonly CheckpointLineSink[];
  /** Checkpoint once this many records were appended since the last checkpoint. */
  readonly everyRecords: number;
  /** Checkpoint a moved head at least this often. */
  readonly everyMs: number;
  /** The last checkpoint in the journal, which the next one links to. */
  readonly previous?: AuditCheckpointV1 | undefined;
  /** Told about each failed witness delivery (it will be retried). */
  readonly onWitnessError?: (witness: string, error: unknown) => void;
}

/** Lines a witness may fall behind by before the oldest are dropped (each is also in the journal). */
export const MAX_WITNESS_BACKLOG = 10_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;

interface WitnessQueue {
  readonly sink: CheckpointLineSink;
  readonly lines: string[];
  retryMs: number;
  nextAttemptAt: number;
}

/**
 * Signs the audit chain's head into the home's checkpoint file and its witnesses: after every
 * `everyRecords` records, after `everyMs` when the head moved, and at close. Driven by `tick()`
 * from a timer of the caller, off the request path.
 */
export class AuditCheckpointer {
  #previous: AuditCheckpointV1 | undefined;
  readonly #queues: WitnessQueue[];
  #storeId: string | undefined;

  readonly #options: AuditCheckpointerOptions;
  constructor(options: AuditCheckpointerOptions) {
    this.#options = options;
    this.#previous = options.previous;
    this.#queues = options.witnesses.map((sink) => ({
      sink,
      lines: [],
      retryMs: FIRST_RETRY_MS,
      nextAttemptAt: 0,
    }));
  }

  /** The last checkpoint written (or the one it started from). */
  get last(): AuditCheckpointV1 | undefined {
    return this.#previous;
  }

  /** Writes a checkpoint if one is due, then delivers to witnesses what is due; the new checkpoint, if any. */
  async tick(): Promise<AuditCheckpointV1 | undefined> {
    const written = await this.#checkpoint(false);
    await this.#deliver(false);
    return written;
  }

  /** Checkpoints the head now unless it is already checkpointed (at start and at shutdown). */
  async checkpointNow(): Promise<AuditCheckpointV1 | undefined> {
    const written = await this.#checkpoint(true);
    await this.#deliver(false);
    return written;
  }

  /** The final checkpoint and one last attempt at every witness backlog. */
  async close(): Promise<void> {
    await this.#checkpoint(true);
    await this.#deliver(true);
  }

  /** Lines waiting for each witness, by witness name. */
  backlog(): Record<string, number> {
    return Object.fromEntries(this.#queues.map((queue) => [queue.sink.name, queue.lines.length]));
  }

  async #checkpoint(force: boolean): Promise<AuditCheckpointV1 | undefined> {
    const { store, clock, signer, journal } = this.#options;
    this.#storeId ??= await store.storeId();
    const head = await store.auditHead();
    const at = clock.now();
    const next = createAuditCheckpoint({
      storeId: this.#storeId,
      head,
      at,
      previous: this.#previous,
    });
    if (!force && !this.#isDue(next)) return undefined;
    if (this.#previous !== undefined && isSameCheckpointedHead(this.#previous, next))
      return undefined;
    const line = toCheckpointLine({
      checkpoint: next,
      keyId: signer.keyId,
      signature: signer.sign(checkpointSigningText(next)),
    });
    // INVARIANT: the journal holds every checkpoint; a line that did not reach it is not linked to.
    await journal.append(line);
    this.#previous = next;
    for (const queue of this.#queues) {
      queue.lines.push(line);
      if (queue.lines.length > MAX_WITNESS_BACKLOG) queue.lines.shift();
    }
    return next;
  }

  #isDue(next: AuditCheckpointV1): boolean {
    const previous = this.#previous;
    if (previous === undefined || previous.storeId !== next.storeId) return true;
    if (next.seq - previous.seq >= this.#options.everyRecords) return true;
    return next.at - previous.at >= this.#options.everyMs;
  }

  async #deliver(force: boolean): Promise<void> {
    const now = this.#options.clock.now();
    await Promise.all(
      this.#queues.map((queue) =>
        force || queue.nextAttemptAt <= now ? this.#drain(queue) : undefined,
      ),
    );
  }

  async #drain(queue: WitnessQueue): Promise<void> {
    while (queue.lines.length > 0) {
      try {
        await queue.sink.append(queue.lines[0] as string);
      } catch (error) {
        queue.nextAttemptAt = this.#options.clock.now() + queue.retryMs;
        queue.retryMs = Math.min(queue.retryMs * 2, MAX_RETRY_MS);
        this.#options.onWitnessError?.(queue.sink.name, new Error(describeError(error)));
        return;
      }
      queue.lines.shift();
      queue.retryMs = FIRST_RETRY_MS;
    }
  }
}
