import { describe, expect, it } from 'vitest';
import { patchPaths } from './patch-paths.js';

describe('patchPaths', () => {
  it('names every file a patch adds, updates, deletes or moves to, in order', () => {
    const patch = [
      '*** Begin Patch',
      '*** Add File: src/new.ts',
      '+export const x = 1;',
      '*** Update File: src/old.ts',
      '*** Move to: src/renamed.ts',
      '@@',
      '-a',
      '+b',
      '*** Delete File: .env',
      '*** End Patch',
    ].join('\n');
    expect(patchPaths(patch)).toEqual(['src/new.ts', 'src/old.ts', 'src/renamed.ts', '.env']);
  });

  it('reads CRLF line ends and trims the path', () => {
    expect(patchPaths('*** Update File:  a b.txt  \r\n*** Delete File: /abs/c\r\n')).toEqual([
      'a b.txt',
      '/abs/c',
    ]);
  });

  it('names a path once however often it appears', () => {
    expect(patchPaths('*** Update File: a\n*** Delete File: a\n*** Add File: a\n')).toEqual(['a']);
  });

  it('ignores content lines that only look like headers, and headers with no path', () => {
    const patch = [
      '+*** Delete File: inside-content',
      ' *** Add File: indented',
      '*** Add File:',
      '*** Add File:    ',
      '*** Rename File: x',
      '*** Update file: lowercase',
    ].join('\n');
    expect(patchPaths(patch)).toEqual([]);
  });

  it('is empty for text that is not a patch', () => {
    expect(patchPaths('')).toEqual([]);
    expect(patchPaths('rm -rf /')).toEqual([]);
  });
});
