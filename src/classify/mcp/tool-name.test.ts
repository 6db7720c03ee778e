import { describe, expect, it } from 'vitest';
import {
  isPortableToolName,
  stripServerPrefix,
  toolNameProblem,
  toolNameSkeleton,
} from './tool-name.js';

describe('tool names', () => {
  it('accepts exactly MCP tool-name format (SEP-986)', () => {
    expect(isPortableToolName('read_file')).toBe(true);
    expect(isPortableToolName('fs__read-file.v2')).toBe(true);
    expect(isPortableToolName('read file')).toBe(false);
    expect(isPortableToolName('read_fil\u0435')).toBe(false);
    expect(isPortableToolName('read\u200d_file')).toBe(false);
    expect(isPortableToolName('x'.repeat(129))).toBe(false);
  });

  it('gives look-alike names one skeleton', () => {
    const base = toolNameSkeleton('read_file');
    for (const lookalike of [
      'read_fi1e',
      'read-file',
      'READ_FILE',
      'reаd_file',
      'read\u200b_file',
      'ｒｅａｄ_file',
      'read_fiIe',
    ]) {
      expect(toolNameSkeleton(lookalike), lookalike).toBe(base);
    }
    expect(toolNameSkeleton('modern')).toBe(toolNameSkeleton('rnodern'));
    expect(toolNameSkeleton('write_file')).not.toBe(base);
  });

  it('says which known tool a refused name imitates', () => {
    expect(toolNameProblem('read_file', ['read_file'])).toBeUndefined();
    expect(toolNameProblem('reаd_file', ['read_file'])).toContain('imitates `read_file`');
    expect(toolNameProblem('new\u2028tool')).toContain('outside MCP');
  });

  it('strips a hook prefix only for the same server', () => {
    expect(stripServerPrefix('railway', 'mcp__railway__remove_volume')).toBe('remove_volume');
    expect(stripServerPrefix('my.server', 'mcp__my_server__x')).toBe('x');
    expect(stripServerPrefix('railway', 'mcp__evil__remove_volume')).toBeUndefined();
    expect(stripServerPrefix('railway', 'mcp__railway')).toBeUndefined();
    expect(stripServerPrefix('railway', 'remove_volume')).toBe('remove_volume');
  });
});
