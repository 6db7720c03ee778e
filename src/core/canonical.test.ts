import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../test/requirements.js';
import { digestRequest, toCanonicalJson } from './canonical.js';

// Rebuilds a JSON value with every object's keys in a shuffled order.
function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, i) => shuffleKeys(item, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const shuffled = entries
    .map((entry, i) => ({ entry, order: Math.sin(seed * 7919 + i * 104729) }))
    .sort((a, b) => a.order - b.order)
    .map(({ entry: [key, item] }) => [key, shuffleKeys(item, seed + 1)] as const);
  return Object.fromEntries(shuffled);
}

// Changes one leaf (the first found depth-first) so that the value means something else.
function changeOneLeaf(value: unknown): { changed: boolean; value: unknown } {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = changeOneLeaf(value[i]);
      if (inner.changed)
        return { changed: true, value: value.map((v, j) => (j === i ? inner.value : v)) };
    }
    return { changed: true, value: [...value, 0] };
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const inner = changeOneLeaf(record[key]);
      if (inner.changed) return { changed: true, value: { ...record, [key]: inner.value } };
    }
    return { changed: true, value: { ...record, added: true } };
  }
  if (typeof value === 'string') return { changed: true, value: `${value}x` };
  if (typeof value === 'number') return { changed: true, value: value + 1 };
  if (typeof value === 'boolean') return { changed: true, value: !value };
  return { changed: true, value: 0 };
}

const json = fc
  .jsonValue({ maxDepth: 4 })
  .map((value) => JSON.parse(JSON.stringify(value)) as unknown);

describe('request digest', () => {
  it('is invariant under key order', () => {
    verifies('digest.key-order-invariant');
    fc.assert(
      fc.property(json, fc.integer(), (value, seed) => {
        expect(digestRequest(shuffleKeys(value, seed))).toBe(digestRequest(value));
      }),
    );
  });

  it('is invariant under insignificant whitespace in the JSON text', () => {
    verifies('digest.key-order-invariant');
    fc.assert(
      fc.property(json, (value) => {
        const spaced = JSON.parse(JSON.stringify(value, null, 3)) as unknown;
        expect(digestRequest(spaced)).toBe(digestRequest(value));
      }),
    );
  });

  it('changes under any change of a value', () => {
    verifies('digest.value-sensitive');
    fc.assert(
      fc.property(json, (value) => {
        const changed = changeOneLeaf(value).value;
        fc.pre(toCanonicalJson(changed) !== toCanonicalJson(value));
        expect(digestRequest(changed)).not.toBe(digestRequest(value));
      }),
    );
  });

  it('tells a number from its string and an array from an object', () => {
    verifies('digest.value-sensitive');
    expect(digestRequest({ a: 1 })).not.toBe(digestRequest({ a: '1' }));
    expect(digestRequest({ a: [] })).not.toBe(digestRequest({ a: {} }));
    expect(digestRequest({ a: null })).not.toBe(digestRequest({}));
  });

  it('sorts keys by code point and refuses values JSON cannot carry', () => {
    expect(toCanonicalJson({ b: 1, a: { d: 2, c: [true, null] } })).toBe(
      '{"a":{"c":[true,null],"d":2},"b":1}',
    );
    expect(() => toCanonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
    expect(() => toCanonicalJson({ a: () => 1 })).toThrow(/no JSON form/);
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 1000; i++) deep = [deep];
    expect(() => digestRequest(deep)).toThrow(/nests too deeply/);
  });
});

describe('canonical key order', () => {
  it('orders keys by code point, astral characters after the BMP', () => {
    expect(toCanonicalJson({ '\uFFFF': 1, '\u{1F600}': 2, a: 3 })).toBe(
      '{"a":3,"\uFFFF":1,"\u{1F600}":2}',
    );
  });
});

// The canonical form as plainly as it can be written: the reference the fast one must match.
function referenceCanonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceCanonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const codePoints = (text: string): number[] => Array.from(text, (c) => c.codePointAt(0) ?? 0);
  const byCodePoint = (a: string, b: string): number => {
    const [left, right] = [codePoints(a), codePoints(b)];
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
      const diff = (left[i] ?? 0) - (right[i] ?? 0);
      if (diff !== 0) return diff;
    }
    return left.length - right.length;
  };
  const keys = Object.keys(value).sort(byCodePoint);
  return `{${keys.map((key) => `${JSON.stringify(key)}:${referenceCanonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
}

describe('canonical form', () => {
  const anyText = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.string({
      unit: fc.constantFrom(
        'a',
        '"',
        '\\',
        '\n',
        '\u001f',
        '\u007f',
        '\u2028',
        '\uD800',
        '\uDC00',
        '\uE000',
        '\uFFFF',
        '\u{1F600}',
      ),
    }),
  );
  const unicodeJson = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      anyText,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(anyText, tie('value'), { maxKeys: 6 }),
    ),
  })).value;

  it('matches the plain reference for any text, including escapes and surrogates', () => {
    fc.assert(
      fc.property(unicodeJson, (value) => {
        expect(toCanonicalJson(value)).toBe(referenceCanonical(value));
      }),
      { numRuns: 500 },
    );
  });

  it('reads back as the value it was made from', () => {
    fc.assert(
      fc.property(unicodeJson, (value) => {
        const text = toCanonicalJson(value);
        expect(toCanonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
