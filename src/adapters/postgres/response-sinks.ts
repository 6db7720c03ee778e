import type { ResponseSink, SlotEnd, TransactionStatus } from './response-router.js';
import { typedMessage } from './wire.js';

/** How one slot's answer ended, with what Airlock read from it. */
export interface Answer {
  readonly how: SlotEnd;
  /** The ReadyForQuery status, for Query and Sync slots. */
  readonly status: TransactionStatus | undefined;
  /** CommandComplete tags, in order (`DELETE 3`, `UPDATE 1`, `SAVEPOINT`). */
  readonly tags: readonly string[];
  /** Text columns of the DataRows, in order (only kept by sinks that read results). */
  readonly rows: readonly (readonly (string | null)[])[];
  /** The ErrorResponse, whole, if one came. */
  readonly error: Buffer | undefined;
}

const NOTICE = 0x4e;
const NOTIFICATION = 0x41;

/** Collects what every sink reads, and resolves `answer` when the slot ends. */
abstract class ReadingSink implements ResponseSink {
  readonly answer: Promise<Answer>;
  protected readonly tags: string[] = [];
  protected readonly rows: (string | null)[][] = [];
  /** The ErrorResponse so far, if one came. */
  error: Buffer | undefined;
  #resolve!: (answer: Answer) => void;

  readonly #keepRows: boolean;
  constructor(keepRows: boolean) {
    this.#keepRows = keepRows;
    this.answer = new Promise((resolve) => (this.#resolve = resolve));
  }

  take(type: number, message: Buffer): Buffer | undefined {
    if (type === 0x43 /* C */) this.tags.push(message.toString('utf8', 5, message.length - 1));
    else if (type === 0x45 /* E */) this.error = message;
    else if (type === 0x44 /* D */ && this.#keepRows) this.rows.push(dataRowTexts(message));
    return this.pass(type, message);
  }

  end(how: SlotEnd, status: TransactionStatus | undefined): void {
    this.#resolve({ how, status, tags: this.tags, rows: this.rows, error: this.error });
  }

  protected abstract pass(type: number, message: Buffer): Buffer | undefined;
}

/**
 * The answer to a statement Airlock sent for itself (SAVEPOINT, COMMIT, a count): kept from the
 * client, but for notices and notifications, which are the session's.
 */
export class OwnSink extends ReadingSink {
  constructor(keepRows = false) {
    super(keepRows);
  }

  protected pass(type: number, message: Buffer): Buffer | undefined {
    return type === NOTICE || type === NOTIFICATION ? message : undefined;
  }
}

/**
 * The client's own statement, whose answer waits until Airlock has counted what it changed:
 * everything is held (`held`) and released, or replaced, by the session. Notices and
 * notifications are held too, so that their order is kept.
 */
export class HoldingSink extends ReadingSink {
  readonly held: Buffer[] = [];
  #bytes = 0;
  #ownLeft: number;

  /**
   * `ownStatements`: the Query text starts with that many statements of Airlock's, `ownChars`
   * long; their CommandCompletes are not the client's, and error positions are shifted back.
   */
  readonly #ownChars;
  constructor(ownStatements = 0, ownChars = 0) {
    super(false);
    this.#ownChars = ownChars;
    this.#ownLeft = ownStatements;
  }

  override take(type: number, message: Buffer): Buffer | undefined {
    if (type === 0x43 /* C */ && this.#ownLeft > 0) {
      this.#ownLeft--;
      return undefined;
    }
    return super.take(
      type,
      type === 0x45 && this.#ownChars > 0 ? withPositionShifted(message, this.#ownChars) : message,
    );
  }

  /** Bytes held so far; a session refuses to hold without bound. */
  get heldBytes(): number {
    return this.#bytes;
  }

  /** How many DataRows the statement returned (a RETURNING clause counts the rows it changed). */
  dataRows = 0;

  protected pass(type: number, message: Buffer): Buffer | undefined {
    if (type === 0x44) this.dataRows++;
    this.held.push(message);
    this.#bytes += message.length;
    return undefined;
  }
}

/** The client's statement, relayed as it comes; Airlock only learns how it ended. */
export class WatchSink extends ReadingSink {
  constructor() {
    super(false);
  }

  protected pass(_type: number, message: Buffer): Buffer | undefined {
    return message;
  }
}

/** A planted statement's ErrorResponse becomes Airlock's; the rest of its answer is the client's. */
export class ReplaceErrorSink implements ResponseSink {
  readonly #replacement: Buffer;
  constructor(replacement: Buffer) {
    this.#replacement = replacement;
  }

  take(type: number, message: Buffer): Buffer | undefined {
    return type === 0x45 ? this.#replacement : message;
  }
}

/** An answer the client already had (a BindComplete of a portal bound again): dropped, errors kept. */
export class DropSink implements ResponseSink {
  take(type: number, message: Buffer): Buffer | undefined {
    return type === 0x45 || type === NOTICE || type === NOTIFICATION ? message : undefined;
  }
}

/** The text values of a DataRow (Airlock's own queries ask for text format). */
function dataRowTexts(message: Buffer): (string | null)[] {
  const count = message.readInt16BE(5);
  const values: (string | null)[] = [];
  let offset = 7;
  for (let index = 0; index < count; index++) {
    const length = message.readInt32BE(offset);
    offset += 4;
    if (length < 0) values.push(null);
    else {
      values.push(message.toString('utf8', offset, offset + length));
      offset += length;
    }
  }
  return values;
}

/**
 * An ErrorResponse whose position (`P`, in characters of the Query text) is moved back by
 * `chars`: the client's text started that far into the text the server read. A position inside
 * Airlock's own part is dropped.
 */
function withPositionShifted(message: Buffer, chars: number): Buffer {
  const parts: Buffer[] = [];
  let offset = 5;
  while (offset < message.length && message[offset] !== 0) {
    const end = message.indexOf(0, offset + 1);
    if (end < 0) return message;
    if (message[offset] === 0x50 /* P */) {
      const position = Number(message.toString('utf8', offset + 1, end)) - chars;
      if (position > 0) parts.push(Buffer.from(`P${position}\0`, 'utf8'));
    } else parts.push(message.subarray(offset, end + 1));
    offset = end + 1;
  }
  parts.push(Buffer.from([0]));
  return typedMessage('E', Buffer.concat(parts));
}
