import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { buildToolTable } from './tool-table.js';

const tool = (name: string): Tool => ({ name, inputSchema: { type: 'object' } });

describe('the tool table', () => {
  it("namespaces every server's tools so equal names never collide", () => {
    const table = buildToolTable([
      { name: 'fs', tools: [tool('read_file')] },
      { name: 'backup', tools: [tool('read_file')] },
    ]);
    expect([...table.tools.keys()].sort()).toEqual(['backup__read_file', 'fs__read_file']);
    expect(table.refused).toEqual([]);
  });

  it('refuses look-alike and invisible-character names, and both of a confusable pair', () => {
    verifies('mcp.confusable-names-refused');
    const table = buildToolTable([
      {
        name: 'fs',
        tools: [
          tool('read_file'),
          tool('reаd_file'),
          tool('write\u200b_file'),
          tool('delete_all'),
          tool('de1ete_all'),
          tool('list-dir'),
          tool('list_dir'),
        ],
      },
    ]);
    expect([...table.tools.keys()]).toEqual(['fs__read_file']);
    const reasons = Object.fromEntries(table.refused.map((item) => [item.name, item.reason]));
    expect(reasons['reаd_file']).toContain('imitates');
    expect(reasons['write\u200b_file']).toContain('outside MCP');
    expect(reasons['delete_all']).toContain('confusable');
    expect(reasons['de1ete_all']).toContain('confusable');
    expect(reasons['list_dir']).toContain('confusable');
  });

  it('refuses a name too long once namespaced', () => {
    const table = buildToolTable([{ name: 'server', tools: [tool('x'.repeat(125))] }]);
    expect(table.tools.size).toBe(0);
    expect(table.refused[0]?.reason).toContain('128');
  });
});
