import { describe, expect, it } from 'vitest';
import { BodyReader, MessageFramer, WireError, cstring, int32, typedMessage } from './wire.js';

const query = (sql: string) => typedMessage('Q', cstring(sql));
const startup = Buffer.concat([int32(8 + 5), int32(196_608), Buffer.from('user\0', 'latin1')]);

function frameAll(framer: MessageFramer): Buffer[] {
  const out: Buffer[] = [];
  for (let message = framer.next(); message !== undefined; message = framer.next())
    out.push(message.raw);
  return out;
}

describe('MessageFramer', () => {
  it('yields each message of a chunk holding several, with its type and body', () => {
    const framer = new MessageFramer();
    framer.push(
      Buffer.concat([query('BEGIN;'), query('SELECT 1;'), typedMessage('S', Buffer.alloc(0))]),
    );
    const first = framer.next();
    expect(first?.type).toBe(0x51);
    expect(first && new BodyReader(first.body).cstring()).toBe('BEGIN;');
    expect(frameAll(framer).map((raw) => String.fromCharCode(raw[0] ?? 0))).toEqual(['Q', 'S']);
    expect(framer.drain()).toHaveLength(0);
  });

  it('frames the same messages whatever the chunk boundaries, down to one byte at a time', () => {
    const messages = [
      query('UPDATE t SET a = a + 1 WHERE id = 7;'),
      query(`SELECT '${'x'.repeat(300)}';`),
      typedMessage('X', Buffer.alloc(0)),
    ];
    const stream = Buffer.concat(messages);
    for (const size of [1, 2, 3, 4, 5, 6, 7, 64, stream.length]) {
      const framer = new MessageFramer();
      const out: Buffer[] = [];
      for (let offset = 0; offset < stream.length; offset += size) {
        framer.push(stream.subarray(offset, offset + size));
        out.push(...frameAll(framer));
      }
      expect(out).toEqual(messages);
    }
  });

  it('frames a message larger than its chunks once it is complete, and not before', () => {
    const big = query(`SELECT '${'y'.repeat(1_000_000)}';`);
    const framer = new MessageFramer();
    for (let offset = 0; offset < big.length; offset += 65_536) {
      expect(framer.next()).toBeUndefined();
      framer.push(big.subarray(offset, offset + 65_536));
    }
    expect(framer.next()?.raw.equals(big)).toBe(true);
  });

  it('hands over the startup packet, then typed messages, and drains the unframed rest', () => {
    const framer = new MessageFramer();
    const rest = query('SELECT 1;');
    framer.push(Buffer.concat([startup, rest.subarray(0, 3)]));
    expect(framer.nextStartup()?.equals(startup)).toBe(true);
    expect(framer.next()).toBeUndefined();
    framer.push(rest.subarray(3, 7));
    expect(framer.drain().equals(rest.subarray(0, 7))).toBe(true);
    expect(framer.next()).toBeUndefined();
  });

  it('refuses lengths that cannot be right, even when the header is split', () => {
    const framer = new MessageFramer();
    framer.push(Buffer.from([0x51, 0, 0]));
    expect(framer.next()).toBeUndefined();
    framer.push(Buffer.from([0, 3]));
    expect(() => framer.next()).toThrow(WireError);
    const huge = new MessageFramer();
    huge.push(Buffer.concat([Buffer.from('Q'), int32(0x7fff_ffff)]));
    expect(() => huge.next()).toThrow(WireError);
    const badStartup = new MessageFramer();
    badStartup.push(int32(4));
    expect(() => badStartup.nextStartup()).toThrow(WireError);
  });
});
