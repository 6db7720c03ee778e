import { describe, expect, it } from 'vitest';
import { parseQueryPairs } from './query.js';

describe('parseQueryPairs', () => {
  it('decodes name=value pairs in order, repeats included', () => {
    expect(parseQueryPairs('b=2&a=1&b=3')).toEqual([
      ['b', '2'],
      ['a', '1'],
      ['b', '3'],
    ]);
  });

  it('reads a bare name and an empty value as an empty value, and skips empty parts', () => {
    expect(parseQueryPairs('lifecycle&&x=&=y')).toEqual([
      ['lifecycle', ''],
      ['x', ''],
      ['', 'y'],
    ]);
    expect(parseQueryPairs('')).toEqual([]);
  });

  it('splits on the first equals sign only', () => {
    expect(parseQueryPairs('filter=a=b')).toEqual([['filter', 'a=b']]);
  });

  it('decodes percent escapes and plus as a space, in names and values', () => {
    expect(parseQueryPairs('full%20name=J+Doe&q=%E2%9C%93%26more')).toEqual([
      ['full name', 'J Doe'],
      ['q', '✓&more'],
    ]);
  });

  it('keeps a bad escape as sent rather than failing', () => {
    expect(parseQueryPairs('a=%zz&b=%E2%9C&c=100%')).toEqual([
      ['a', '%zz'],
      ['b', '%E2%9C'],
      ['c', '100%'],
    ]);
  });

  it('keeps a plus in a bad escape as sent, not as a space', () => {
    expect(parseQueryPairs('a=1+%zz')).toEqual([['a', '1+%zz']]);
  });
});
