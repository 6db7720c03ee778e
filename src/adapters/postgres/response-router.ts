/**
 * Routes the upstream's answers to the frontend messages that caused them. PostgreSQL answers
 * every frontend message in order, and what ends each answer is fixed by the protocol: a
 * ReadyForQuery ends a Query, Sync or FunctionCall; ParseComplete, BindComplete, CloseComplete end
 * their message; CommandComplete, EmptyQueryResponse or PortalSuspended end an Execute; an
 * ErrorResponse ends an extended-protocol message, and then the server skips every message until
 * Sync. Airlock can therefore slip messages of its own into a session (a SAVEPOINT, a COMMIT, a
 * count) and take their answers out, or hold a statement's answer until it has decided about it.
 */

/** Which frontend message a slot stands for: it decides what ends the answer. */
export type SlotKind =
  'query' | 'sync' | 'function' | 'parse' | 'bind' | 'describe' | 'execute' | 'close';

/** How a slot's answer ended. */
export type SlotEnd = 'done' | 'error' | 'skipped';

/**
 * What happens to one slot's answer. `take` sees each backend message of the slot (type byte,
 * whole message) and returns the bytes to relay to the client (the message, a replacement) or
 * undefined to keep it from the client. `end` is told how the answer ended.
 */
export interface ResponseSink {
  take(type: number, message: Buffer): Buffer | undefined;
  end?(how: SlotEnd, status: TransactionStatus | undefined): void;
}

/** ReadyForQuery's transaction status: idle, in a block, in a failed block. */
export type TransactionStatus = 'I' | 'T' | 'E';

interface Slot {
  readonly kind: SlotKind;
  /** Undefined relays everything to the client untouched (the hot path). */
  readonly sink: ResponseSink | undefined;
}

/** What the router tells its session. */
export interface RouterEvents {
  /** Bytes for the client, in order. */
  relay(bytes: Buffer): void;
  /** A ParameterStatus body; it is relayed to the client after this returns. */
  parameterStatus(body: Buffer): void;
  /** The upstream answered something the protocol does not allow here: end the session. */
  protocolError(why: string): void;
  /** A ReadyForQuery passed (any slot's): the transaction status is now known. */
  ready(status: TransactionStatus): void;
}

const READY_KINDS: ReadonlySet<SlotKind> = new Set(['query', 'sync', 'function']);

export class ResponseRouter {
  readonly #slots: Slot[] = [];
  #head = 0;
  #tail: Buffer | undefined;
  #readyPending = 0;
  #readyWaiters: (() => void)[] = [];

  readonly #events: RouterEvents;
  constructor(events: RouterEvents) {
    this.#events = events;
  }

  /** Registers the answer of one frontend message just sent upstream. */
  expect(kind: SlotKind, sink?: ResponseSink): void {
    this.#slots.push({ kind, sink });
    if (READY_KINDS.has(kind)) this.#readyPending++;
  }

  /** Whether any answer is still expected. */
  get idle(): boolean {
    return this.#head >= this.#slots.length;
  }

  /** Resolves once every Query, Sync and FunctionCall sent so far has been answered. */
  settled(): Promise<void> {
    if (this.#readyPending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** Wakes whoever waits for `settled`: the session is closing. */
  abandon(): void {
    const waiters = this.#readyWaiters;
    this.#readyWaiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Handles bytes from the upstream, whole messages at a time. */
  push(chunk: Buffer): void {
    const data = this.#tail === undefined ? chunk : Buffer.concat([this.#tail, chunk]);
    let offset = 0;
    // Bytes [relayFrom, offset) are relayed as they came once a message must be treated apart.
    let relayFrom = 0;
    const out: Buffer[] = [];
    while (offset + 5 <= data.length) {
      const type = data[offset] ?? 0;
      const end = offset + 1 + data.readInt32BE(offset + 1);
      if (end > data.length) break;
      const slot = this.#slots[this.#head];
      const parameterStatus = type === 0x53; /* S */
      const asynchronous = parameterStatus || type === 0x4e /* N */ || type === 0x41; /* A */
      if (parameterStatus) this.#events.parameterStatus(data.subarray(offset + 5, end));
      if (slot === undefined) {
        // INVARIANT: only notices, notifications and parameter changes come unasked.
        if (!asynchronous)
          return this.#events.protocolError('the upstream answered a message nobody sent');
      } else if (slot.sink !== undefined && !parameterStatus) {
        if (relayFrom < offset) out.push(data.subarray(relayFrom, offset));
        const relayed = slot.sink.take(type, data.subarray(offset, end));
        if (relayed !== undefined) out.push(relayed);
        relayFrom = end;
      }
      if (slot !== undefined && !asynchronous && !this.#advance(slot, type, data, offset)) return;
      offset = end;
    }
    this.#tail = offset < data.length ? Buffer.from(data.subarray(offset)) : undefined;
    if (relayFrom < offset) out.push(data.subarray(relayFrom, offset));
    if (out.length === 1 && out[0] !== undefined) this.#events.relay(out[0]);
    else if (out.length > 1) this.#events.relay(Buffer.concat(out));
  }

  /** Ends the head slot when `type` ends it; false after a protocol error. */
  #advance(slot: Slot, type: number, data: Buffer, offset: number): boolean {
    if (type === 0x5a /* Z */) {
      if (!READY_KINDS.has(slot.kind)) {
        this.#events.protocolError(
          'the upstream sent ReadyForQuery in the middle of an extended-protocol batch',
        );
        return false;
      }
      const status = String.fromCharCode(data[offset + 5] ?? 0) as TransactionStatus;
      this.#finish(slot, 'done', status);
      this.#events.ready(status);
      return true;
    }
    if (type === 0x45 /* E */ && !READY_KINDS.has(slot.kind)) {
      this.#finish(slot, 'error', undefined);
      // The server now skips every message until Sync: those slots get no answer.
      for (
        let next = this.#slots[this.#head];
        next !== undefined && next.kind !== 'sync';
        next = this.#slots[this.#head]
      ) {
        this.#finish(next, 'skipped', undefined);
      }
      return true;
    }
    if (endsSlot(slot.kind, type)) this.#finish(slot, 'done', undefined);
    return true;
  }

  #finish(slot: Slot, how: SlotEnd, status: TransactionStatus | undefined): void {
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#slots.length) {
      this.#slots.splice(0, this.#head);
      this.#head = 0;
    }
    slot.sink?.end?.(how, status);
    if (READY_KINDS.has(slot.kind)) {
      this.#readyPending--;
      if (this.#readyPending === 0 && this.#readyWaiters.length > 0) {
        const waiters = this.#readyWaiters;
        this.#readyWaiters = [];
        for (const waiter of waiters) waiter();
      }
    }
  }
}

/** Whether a backend message of `type` ends the answer to an extended-protocol message of `kind`. */
function endsSlot(kind: SlotKind, type: number): boolean {
  switch (kind) {
    case 'parse':
      return type === 0x31; /* 1 ParseComplete */
    case 'bind':
      return type === 0x32; /* 2 BindComplete */
    case 'close':
      return type === 0x33; /* 3 CloseComplete */
    case 'describe':
      return type === 0x54 /* T RowDescription */ || type === 0x6e; /* n NoData */
    case 'execute':
      return (
        type === 0x43 /* C */ || type === 0x49 /* I EmptyQueryResponse */ || type === 0x73
      ); /* s PortalSuspended */
    default:
      return false;
  }
}
