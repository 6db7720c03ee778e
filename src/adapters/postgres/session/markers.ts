import { serialize } from 'pg-protocol';
import type { ResponseSink, SlotKind } from '../response-router.js';
import { OwnSink, ReplaceErrorSink } from '../response-sinks.js';
import { readyForQuery } from '../wire.js';
import { RESERVED_NAME_PREFIX } from './statements.js';

/** Sends bytes upstream, registering the answer's slot when `kind` is given (the session's `send`). */
export type SendUpstream = (bytes: Buffer, kind?: SlotKind, sink?: ResponseSink) => void;

/** The savepoint a counted statement runs under; Airlock's names live under the reserved prefix. */
export const SAVEPOINT = `${RESERVED_NAME_PREFIX}guard`;
const OWN_PORTAL = `${RESERVED_NAME_PREFIX}portal`;
const REFUSED = `${RESERVED_NAME_PREFIX}refused`;

/**
 * What Airlock slips into one session's stream of messages: its own statements (whose answers
 * are kept from the client), its savepoint around counted statements, and planted messages that
 * fail upstream so that the server answers a refusal in order and keeps the transaction state
 * as PostgreSQL would (the upstream's error is swapped for Airlock's on the way back).
 */
export class Markers {
  // Airlock's own statements parsed upstream in this session, by text.
  readonly #ownStatements = new Map<string, string>();
  // Airlock's savepoint of a counted statement that stood is still open (see `savepointSql`).
  #releasePending = false;

  readonly #send: SendUpstream;
  constructor(send: SendUpstream) {
    this.#send = send;
  }

  /** Whether Airlock's savepoint of a counted statement that stood is still open. */
  get releasePending(): boolean {
    return this.#releasePending;
  }

  /** A counted statement stood inside the client's block: its savepoint stays open until the next one, or anything that names savepoints. */
  keepSavepoint(): void {
    this.#releasePending = true;
  }

  /** A failed or ended block took Airlock's savepoint with it. */
  savepointGone(): void {
    this.#releasePending = false;
  }

  /**
   * The text that opens Airlock's savepoint for a counted statement inside a block: the savepoint
   * of the previous one, if it stood, is released in the same message (one round of the protocol
   * instead of two). Keeping it open until then is safe: nothing in between names savepoints
   * (`releaseSavepoint` runs first otherwise), and COMMIT, ROLLBACK or an error end it.
   */
  savepointSql(): string {
    const release = this.#releasePending ? `RELEASE SAVEPOINT ${SAVEPOINT}; ` : '';
    this.#releasePending = false;
    return `${release}SAVEPOINT ${SAVEPOINT}`;
  }

  /** Releases Airlock's open savepoint now. */
  releaseSavepoint(): void {
    this.#releasePending = false;
    this.ownQuery(`RELEASE SAVEPOINT ${SAVEPOINT}`);
  }

  /** One of Airlock's statements in the simple protocol; its answer is kept from the client. */
  ownQuery(sql: string, keepRows = false): OwnSink {
    const sink = new OwnSink(keepRows);
    this.#send(serialize.query(sql), 'query', sink);
    return sink;
  }

  /**
   * One of Airlock's statements inside an extended-protocol batch, through a named statement and
   * portal of its own: a simple Query there would end the client's implicit transaction and
   * destroy its unnamed statement and portal.
   */
  ownExecute(sql: string, keepRows = false): OwnSink {
    let name = this.#ownStatements.get(sql);
    if (name === undefined) {
      name = `${RESERVED_NAME_PREFIX}s${this.#ownStatements.size + 1}`;
      const parsed = new OwnSink();
      this.#ownStatements.set(sql, name);
      this.#send(serialize.parse({ name, text: sql, types: [] }), 'parse', parsed);
      // Skipped or failed, it is parsed again next time.
      void parsed.answer.then((answer) => {
        if (answer.how !== 'done') this.#ownStatements.delete(sql);
      });
    }
    const sink = new OwnSink(keepRows);
    this.#send(serialize.bind({ portal: OWN_PORTAL, statement: name }), 'bind', new OwnSink());
    this.#send(serialize.execute({ portal: OWN_PORTAL, rows: 0 }), 'execute', sink);
    this.#send(serialize.close({ type: 'P', name: OWN_PORTAL }), 'close', new OwnSink());
    return sink;
  }

  /** Asks the server for the answers it keeps until Sync (a Flush), inside an extended-protocol batch. */
  askFlush(): void {
    this.#send(serialize.flush());
  }

  /** DEALLOCATE ALL and DISCARD ALL remove Airlock's own statements too: they are parsed again. */
  forgetOwnStatements(): void {
    this.#ownStatements.clear();
  }

  /** Answers a Query (or FunctionCall) with `error`, in order. */
  refuseQuery(error: Buffer): void {
    this.#plant(error, serialize.query(REFUSED), 'query');
  }

  /** Answers a Parse with `error`, in order. */
  refuseParse(error: Buffer): void {
    this.#plant(error, serialize.parse({ name: REFUSED, text: REFUSED, types: [] }), 'parse');
  }

  /** Answers a Bind with `error`, in order. */
  refuseBind(error: Buffer): void {
    this.#plant(error, serialize.bind({ portal: '', statement: REFUSED }), 'bind');
  }

  /** Answers an Execute with `error`, in order; the server then skips the batch until Sync. */
  refuseExecute(error: Buffer): void {
    this.#plant(error, serialize.execute({ portal: REFUSED, rows: 0 }), 'execute');
  }

  /**
   * Plants a message that fails upstream, so the upstream answers in order and keeps the
   * transaction state as PostgreSQL would; its error is swapped for `error`.
   */
  #plant(error: Buffer, message: Buffer, kind: SlotKind): void {
    this.#send(message, kind, new ReplaceErrorSink(error));
  }
}

/** What undoes a counted statement: Airlock's transaction (`own`), or its savepoint in the client's. */
export function undoSql(own: boolean): string {
  return own ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`;
}

/**
 * The client's Sync after Airlock opened a transaction to count in: the COMMIT Airlock sent
 * before it ran (status idle; its error, if any, goes to the client before ReadyForQuery), or
 * was skipped after an error (status failed): then Airlock rolls back, and the client sees the
 * idle status its implicit transaction would have left.
 */
export class CommitAtSync implements ResponseSink {
  /** Resolves at the Sync's ReadyForQuery: true when the block is still open and must be rolled back. */
  readonly ended: Promise<boolean>;
  #resolve!: (failed: boolean) => void;

  readonly #commit: OwnSink;
  constructor(commit: OwnSink) {
    this.#commit = commit;
    this.ended = new Promise((resolve) => (this.#resolve = resolve));
  }

  take(type: number, message: Buffer): Buffer | undefined {
    if (type !== 0x5a) return message;
    this.#resolve(String.fromCharCode(message[5] ?? 0) !== 'I');
    const error = this.#commit.error;
    const ready = readyForQuery('I');
    return error === undefined ? ready : Buffer.concat([error, ready]);
  }

  end(): void {
    this.#resolve(false);
  }
}
