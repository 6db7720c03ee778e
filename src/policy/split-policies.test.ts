import { describe, expect, it } from 'vitest';
import { splitPolicies } from './split-policies.js';

describe('splitPolicies', () => {
  it('splits on semicolons outside strings and comments', () => {
    const text = [
      '// first; not an end',
      '@reason("a; b \\" c;")',
      'permit (principal, action, resource);',
      'forbid (principal, action, resource) when { context.operation like "x;*" };',
      '// trailing comment;',
      '',
    ].join('\n');
    const sources = splitPolicies(text);
    expect(sources.map((s) => text.slice(s.bodyStart, s.start + s.text.length))).toEqual([
      '@reason("a; b \\" c;")\npermit (principal, action, resource);',
      'forbid (principal, action, resource) when { context.operation like "x;*" };',
    ]);
    expect(sources.map((s) => s.start)).toEqual([0, text.indexOf(';\nforbid') + 1]);
  });

  it('keeps an unterminated last policy so that Cedar can report it', () => {
    expect(splitPolicies('permit (principal, action, resource)')).toHaveLength(1);
    expect(splitPolicies('  // only a comment')).toEqual([]);
  });
});
