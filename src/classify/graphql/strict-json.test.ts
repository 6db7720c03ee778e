import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictJson } from './strict-json.js';

describe('parseStrictJson', () => {
  it('parses json without repeated keys like JSON.parse', () => {
    expect(parseStrictJson('{"a": [1, {"a": 2}], "b": "a"}')).toEqual({
      ok: true,
      value: { a: [1, { a: 2 }], b: 'a' },
    });
    expect(parseStrictJson('[{"a":1},{"a":1}]').ok).toBe(true);
  });

  it('finds a repeated key at any depth, however it is escaped', () => {
    expect(parseStrictJson('{"a": 1, "a": 2}')).toEqual({ ok: false, error: 'duplicate-key' });
    expect(parseStrictJson('{"x": [{"b": 1, "c": {"d": 0}, "b": 2}]}')).toEqual({
      ok: false,
      error: 'duplicate-key',
    });
    expect(parseStrictJson('{"query": 1, "\\u0071uery": 2}')).toEqual({
      ok: false,
      error: 'duplicate-key',
    });
  });

  it('does not mistake values or escaped quotes for keys', () => {
    expect(parseStrictJson('{"a": "a", "b": ["a", "a"], "c": "\\"a\\""}').ok).toBe(true);
  });

  it('refuses text that is not json', () => {
    expect(parseStrictJson('{"a": 1,}')).toEqual({ ok: false, error: 'invalid-json' });
    expect(parseStrictJson('')).toEqual({ ok: false, error: 'invalid-json' });
  });

  it('agrees with JSON.parse on any json text without repeats', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(parseStrictJson(JSON.stringify(value))).toEqual({
          ok: true,
          value: JSON.parse(JSON.stringify(value)) as unknown,
        });
      }),
    );
  });
});
