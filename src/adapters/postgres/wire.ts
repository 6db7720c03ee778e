/**
 * PostgreSQL wire framing, both directions, kept minimal: a frontend message is one type byte and
 * an int32 length that counts itself; the startup packet has no type byte. `pg-protocol` parses
 * backend messages only, so the proxy frames frontend messages here and uses `pg-protocol`'s
 * serializer to speak to the upstream.
 */

/** Protocol codes carried where a startup packet's version would be. */
export const PROTOCOL_V3 = 196_608;
export const SSL_REQUEST_CODE = 80_877_103;
export const GSSENC_REQUEST_CODE = 80_877_104;
export const CANCEL_REQUEST_CODE = 80_877_102;

/** The largest message Airlock accepts from an agent (PostgreSQL's own limit is 1 GiB). */
export const MAX_FRONTEND_MESSAGE_BYTES = 64 * 1024 * 1024;

/** One typed message; `body` excludes the type byte and the length. */
export interface WireMessage {
  readonly type: number;
  /** The whole message as it arrived, to forward unchanged. */
  readonly raw: Buffer;
  readonly body: Buffer;
}

const EMPTY = Buffer.alloc(0);

/**
 * Accumulates bytes and yields complete messages; refuses lengths that cannot be right. Chunks
 * are kept as they came until a message is complete and copied into one buffer at most once,
 * so a large message arriving in many chunks costs its size, not its size times its chunks.
 */
export class MessageFramer {
  // The bytes not yet framed: #head, then the chunks in #rest. INVARIANT: #rest is empty when
  // #head is, no chunk in #rest is empty, and #length is the sum of all their lengths.
  #head: Buffer = EMPTY;
  readonly #rest: Buffer[] = [];
  #length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.#head.length === 0) this.#head = chunk;
    else this.#rest.push(chunk);
    this.#length += chunk.length;
  }

  /** The untyped startup packet (length, then payload), or undefined until it is complete. */
  nextStartup(): Buffer | undefined {
    if (this.#length < 4) return undefined;
    const length = this.#headWith(4).readInt32BE(0);
    if (length < 8 || length > 10_000) throw new WireError('startup packet has an invalid length');
    return this.#length < length ? undefined : this.#take(length);
  }

  /** The next complete typed message, or undefined until one is complete. */
  next(): WireMessage | undefined {
    if (this.#length < 5) return undefined;
    const length = this.#headWith(5).readInt32BE(1);
    if (length < 4 || length > MAX_FRONTEND_MESSAGE_BYTES)
      throw new WireError('message has an invalid length');
    if (this.#length < length + 1) return undefined;
    const raw = this.#take(length + 1);
    return { type: raw[0] ?? 0, raw, body: raw.subarray(5) };
  }

  /** Whatever bytes are buffered and not yet framed; the framer is empty afterwards. */
  drain(): Buffer {
    return this.#take(this.#length);
  }

  /** Removes and returns the first `count` buffered bytes (count <= #length). */
  #take(count: number): Buffer {
    const head = this.#headWith(count);
    this.#length -= count;
    // The common case is one whole message per chunk: no view of the empty rest is kept.
    if (head.length > count) {
      this.#head = head.subarray(count);
      return head.subarray(0, count);
    }
    this.#head = this.#rest.shift() ?? EMPTY;
    return head;
  }

  /**
   * #head, first joined with the chunks after it until it holds at least `count` bytes
   * (count <= #length). A message is joined once, when it is complete, never chunk by chunk.
   */
  #headWith(count: number): Buffer {
    if (this.#head.length >= count) return this.#head;
    let joined = this.#head.length;
    let taken = 0;
    while (joined < count) joined += (this.#rest[taken++] ?? EMPTY).length;
    this.#head = Buffer.concat([this.#head, ...this.#rest.splice(0, taken)], joined);
    return this.#head;
  }
}

/** A frontend sent bytes that are not the PostgreSQL protocol. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

/** Reads NUL-terminated strings and integers from a message body. */
export class BodyReader {
  #offset = 0;
  readonly #body: Buffer;
  constructor(body: Buffer) {
    this.#body = body;
  }

  cstring(): string {
    const end = this.#body.indexOf(0, this.#offset);
    if (end < 0) throw new WireError('string is not terminated');
    const text = this.#body.toString('utf8', this.#offset, end);
    this.#offset = end + 1;
    return text;
  }

  int16(): number {
    if (this.#offset + 2 > this.#body.length) throw new WireError('message is truncated');
    const value = this.#body.readInt16BE(this.#offset);
    this.#offset += 2;
    return value;
  }

  int32(): number {
    if (this.#offset + 4 > this.#body.length) throw new WireError('message is truncated');
    const value = this.#body.readInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }

  byte(): number {
    const value = this.#body[this.#offset];
    if (value === undefined) throw new WireError('message is truncated');
    this.#offset += 1;
    return value;
  }

  rest(): Buffer {
    return this.#body.subarray(this.#offset);
  }
}

/** The parameters of a startup packet (user, database, application_name, …). */
export function parseStartupParameters(packet: Buffer): Map<string, string> {
  const reader = new BodyReader(packet.subarray(8));
  const parameters = new Map<string, string>();
  for (;;) {
    const key = reader.cstring();
    if (key === '') return parameters;
    parameters.set(key, reader.cstring());
  }
}

/** Builds one typed message from its type character and body. */
export function typedMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/** A NUL-terminated UTF-8 string. */
export function cstring(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
}

/** A big-endian int32. */
export function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value, 0);
  return buffer;
}

/** The `S`/`M`/`C`… fields of an ErrorResponse or NoticeResponse body. */
export function parseErrorFields(body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const code = String.fromCharCode(body[offset] ?? 0);
    const end = body.indexOf(0, offset + 1);
    if (end < 0) break;
    fields.set(code, body.toString('utf8', offset + 1, end));
    offset = end + 1;
  }
  return fields;
}

/** An ErrorResponse with severity ERROR (or FATAL), a SQLSTATE, a message and optional hint. */
export function errorResponse(fields: {
  sqlstate: string;
  message: string;
  detail?: string;
  hint?: string;
  severity?: 'ERROR' | 'FATAL';
}): Buffer {
  const severity = fields.severity ?? 'ERROR';
  const parts = [
    Buffer.from('S'),
    cstring(severity),
    Buffer.from('V'),
    cstring(severity),
    Buffer.from('C'),
    cstring(fields.sqlstate),
    Buffer.from('M'),
    cstring(fields.message),
  ];
  if (fields.detail !== undefined) parts.push(Buffer.from('D'), cstring(fields.detail));
  if (fields.hint !== undefined) parts.push(Buffer.from('H'), cstring(fields.hint));
  parts.push(Buffer.from([0]));
  return typedMessage('E', Buffer.concat(parts));
}

/** ReadyForQuery with a transaction status: `I` idle, `T` in a block, `E` in a failed block. */
export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return typedMessage('Z', Buffer.from(status, 'latin1'));
}
