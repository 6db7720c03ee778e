import { describe, expect, it } from 'vitest';
import { parseHookInput } from './hook-input.js';

const claude = (tool: string, input: object): string =>
  JSON.stringify({
    session_id: 's',
    cwd: '/repo',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: input,
  });
const gemini = (tool: string, input: object): string =>
  JSON.stringify({
    session_id: 's',
    cwd: '/repo',
    hook_event_name: 'BeforeTool',
    tool_name: tool,
    tool_input: input,
  });

describe('file-reading tools as hook calls (issue 24: a read of a credential is held)', () => {
  it('reads Claude Code Read and Grep as reads of their paths, a Grep without one as the working folder', () => {
    expect(parseHookInput('claude-code', claude('Read', { file_path: '/repo/.env' }))).toEqual({
      kind: 'file',
      tool: 'Read',
      writes: [],
      reads: ['/repo/.env'],
      cwd: '/repo',
    });
    expect(
      parseHookInput('claude-code', claude('Grep', { pattern: 'sk_', path: 'config' })),
    ).toEqual({ kind: 'file', tool: 'Grep', writes: [], reads: ['/repo/config'], cwd: '/repo' });
    expect(parseHookInput('claude-code', claude('Grep', { pattern: 'sk_' }))).toEqual({
      kind: 'file',
      tool: 'Grep',
      writes: [],
      reads: ['/repo'],
      cwd: '/repo',
    });
  });

  it('reads Gemini CLI read_file, read_many_files and its search as reads', () => {
    expect(
      parseHookInput('gemini', gemini('read_file', { absolute_path: '/repo/.env' })),
    ).toMatchObject({ kind: 'file', reads: ['/repo/.env'] });
    expect(
      parseHookInput('gemini', gemini('read_many_files', { paths: ['.env', 'src/a.ts'] })),
    ).toMatchObject({ kind: 'file', reads: ['/repo/.env', '/repo/src/a.ts'] });
    expect(parseHookInput('gemini', gemini('search_file_content', { pattern: 'x' }))).toMatchObject(
      { kind: 'file', reads: ['/repo'] },
    );
  });

  it('leaves other tools to the client', () => {
    expect(parseHookInput('claude-code', claude('Glob', { pattern: '*' }))).toEqual({
      kind: 'other',
      tool: 'Glob',
    });
    expect(parseHookInput('claude-code', claude('Read', {}))).toEqual({
      kind: 'other',
      tool: 'Read',
    });
  });
});
