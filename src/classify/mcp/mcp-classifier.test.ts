import { describe, expect, it } from 'vitest';
import { verifies } from '../../../test/requirements.js';
import { classifyMcpToolCall } from './mcp-classifier.js';
import type { McpServerProfile } from './mcp-catalog.js';
import { FILESYSTEM_CATALOG } from './reference-catalogs.js';

const call = (
  server: string,
  tool: string,
  args: Record<string, unknown> = {},
  annotations: Record<string, unknown> = {},
) => ({
  server,
  tool,
  arguments: args,
  annotations,
});

async function effectOf(
  input: unknown,
  profile?: McpServerProfile,
  facts?: ReadonlyMap<string, 'absent' | 'file' | 'directory'>,
) {
  const actions = await classifyMcpToolCall(input, {
    ...(profile === undefined ? {} : { profile }),
    ...(facts === undefined ? {} : { facts }),
  });
  return actions[0]?.effect;
}

const FS: McpServerProfile = { catalog: FILESYSTEM_CATALOG, roots: ['/work/allowed'] };

describe('mcp tool calls', () => {
  it('ignores a readOnlyHint on a tool the catalog knows destroys', async () => {
    verifies('mcp.annotations-never-lower');
    expect(
      await effectOf(
        call(
          'railway',
          'remove_volume',
          { volume_id: 'v' },
          { readOnlyHint: true, destructiveHint: false },
        ),
      ),
    ).toBe('destructive');
  });

  it('never trusts a read-only annotation on a tool outside the catalog', async () => {
    verifies('mcp.annotations-never-lower');
    expect(await effectOf(call('notes-plus', 'list_projects', {}, { readOnlyHint: true }))).toBe(
      'unknown',
    );
    expect(await effectOf(call('notes-plus', 'wipe', {}, { destructiveHint: true }))).toBe(
      'destructive',
    );
  });

  it('lets a destructive annotation raise a tool the catalog calls read', async () => {
    expect(await effectOf(call('railway', 'list_projects', {}, { destructiveHint: true }))).toBe(
      'destructive',
    );
    expect(await effectOf(call('railway', 'list_projects', {}, { readOnlyHint: false }))).toBe(
      'write',
    );
    expect(await effectOf(call('railway', 'list_projects', {}, {}))).toBe('read');
  });

  it('normalises hook names for the same server only', async () => {
    expect(await effectOf(call('railway', 'mcp__railway__remove_volume'))).toBe('destructive');
    expect(await effectOf(call('railway', 'mcp__railway__list_projects'))).toBe('read');
    expect(await effectOf(call('railway', 'mcp__other__list_projects'))).toBe('unknown');
  });

  it('refuses tool names with look-alike or invisible characters, even for a known tool', async () => {
    verifies('mcp.confusable-names-refused');
    const actions = await classifyMcpToolCall(call('railway', 'list_proj\u0435cts'));
    expect(actions[0]?.effect).toBe('unknown');
    expect(JSON.stringify(actions[0]?.targets)).toContain('imitates `list_projects`');
    expect(await effectOf(call('railway', 'list_\u200bprojects'))).toBe('unknown');
    expect(await effectOf(call('railway', 'ｌｉｓｔ_projects'))).toBe('unknown');
  });

  it('treats kebab and snake spellings as one tool', async () => {
    expect(await effectOf(call('railway', 'list-projects'))).toBe('read');
    expect(await effectOf(call('everything', 'get-sum', { a: 1, b: 2 }))).toBe('read');
  });

  it('takes config overrides over the catalog', async () => {
    const profile: McpServerProfile = {
      tools: { archive_everything: { effect: 'destructive', reversible: false } },
    };
    expect(await effectOf(call('x', 'archive_everything'), profile)).toBe('destructive');
    const relaxed: McpServerProfile = {
      tools: { summarize: { effect: 'read', reversible: true } },
    };
    expect(await effectOf(call('x', 'summarize', {}, { readOnlyHint: true }), relaxed)).toBe(
      'read',
    );
  });

  it('looks inside command arguments of any tool', async () => {
    const actions = await classifyMcpToolCall(
      call('railway', 'update_service', { service_id: 's', startCommand: 'rm -rf /' }),
    );
    expect(actions.map((a) => a.surface)).toEqual(['mcp', 'shell']);
    expect(actions[1]?.upstream).toBe('railway');
    expect(actions.every((a) => a.digest === actions[0]?.digest)).toBe(true);
  });

  it('reads command-like argument names as whole words only', async () => {
    for (const key of [
      'command',
      'cmd',
      'scripts',
      'start_command',
      'pre-deploy-command',
      'startCommand',
      'buildCmd',
    ]) {
      const actions = await classifyMcpToolCall(call('railway', 'deploy', { [key]: 'echo hi' }));
      expect(
        actions.map((a) => a.surface),
        key,
      ).toContain('shell');
    }
    for (const key of ['transcript', 'recommend', 'description', 'commander_name']) {
      const actions = await classifyMcpToolCall(call('railway', 'deploy', { [key]: 'echo hi' }));
      expect(
        actions.map((a) => a.surface),
        key,
      ).toEqual(['mcp']);
    }
  });

  it('is unknown when the argument that decides is missing or not text', async () => {
    expect(await effectOf(call('postgres', 'query', {}))).toBe('unknown');
    expect(await effectOf(call('postgres', 'query', { sql: ['SELECT 1'] }))).toBe('unknown');
    expect(await effectOf(call('shell', 'run_command', { command: 42 }))).toBe('unknown');
  });

  it('classifies GraphQL arguments with the GraphQL classifier', async () => {
    const profile: McpServerProfile = {
      tools: {
        execute_graphql: {
          effect: 'read',
          reversible: true,
          args: { query: 'graphql' },
          decidedBy: 'query',
        },
      },
    };
    const actions = await classifyMcpToolCall(
      call('api', 'execute_graphql', { query: 'mutation { projectDelete(id: "p") }' }),
      { profile },
    );
    expect(actions[1]).toMatchObject({ surface: 'graphql', effect: 'unknown', upstream: 'api' });
    expect(actions[0]?.effect).toBe('unknown');
  });

  it('turns bad input into one unknown action', async () => {
    for (const input of [
      null,
      'x',
      {},
      { server: 'a' },
      { server: 'a', tool: 't', arguments: [] },
      { server: 'a', tool: 't', annotations: 3 },
    ]) {
      const actions = await classifyMcpToolCall(input);
      expect(actions).toHaveLength(1);
      expect(actions[0]?.effect).toBe('unknown');
    }
  });

  it('binds the digest to server, tool and arguments, not to annotations', async () => {
    const [a] = await classifyMcpToolCall(call('railway', 'deploy', { path: '/repo' }, {}));
    const [b] = await classifyMcpToolCall(
      call('railway', 'deploy', { path: '/repo' }, { readOnlyHint: true }),
    );
    const [c] = await classifyMcpToolCall(call('railway', 'deploy', { path: '/repo2' }, {}));
    expect(a?.digest).toBe(b?.digest);
    expect(a?.digest).not.toBe(c?.digest);
  });
});

describe('filesystem paths', () => {
  it('reads inside the roots; anything else it holds', async () => {
    expect(await effectOf(call('fs', 'read_text_file', { path: '/work/allowed/a.txt' }), FS)).toBe(
      'read',
    );
    expect(await effectOf(call('fs', 'read_text_file', { path: 'a.txt' }), FS)).toBe('read');
    expect(
      await effectOf(call('fs', 'read_text_file', { path: '/work/allowed-not/a.txt' }), FS),
    ).toBe('unknown');
    expect(
      await effectOf(
        call('fs', 'read_multiple_files', { paths: ['/work/allowed/a', '/etc/passwd'] }),
        FS,
      ),
    ).toBe('unknown');
  });

  it('refuses traversal, also encoded, with backslashes or control characters', async () => {
    verifies('mcp.paths-checked');
    for (const path of [
      '/work/allowed/../secret',
      '/work/allowed/%2e%2e/secret',
      '/work/allowed/%252e%252e/x',
      '..\\x',
      '/work/allowed/a\u0000',
      '',
    ]) {
      expect(await effectOf(call('fs', 'read_text_file', { path }), FS), path).toBe('unknown');
    }
  });

  it('writes a new file inside the roots; overwriting, or writing outside, is destructive', async () => {
    verifies('mcp.paths-checked');
    const absent = new Map([['/work/allowed/new.txt', 'absent' as const]]);
    expect(
      await effectOf(
        call('fs', 'write_file', { path: '/work/allowed/new.txt', content: 'x' }),
        FS,
        absent,
      ),
    ).toBe('write');
    expect(
      await effectOf(call('fs', 'write_file', { path: '/work/allowed/old.txt', content: 'x' }), FS),
    ).toBe('destructive');
    const file = new Map([['/work/allowed/old.txt', 'file' as const]]);
    expect(
      await effectOf(
        call('fs', 'write_file', { path: '/work/allowed/old.txt', content: 'x' }),
        FS,
        file,
      ),
    ).toBe('destructive');
    const outside = new Map([['/tmp/new.txt', 'absent' as const]]);
    expect(
      await effectOf(call('fs', 'write_file', { path: '/tmp/new.txt', content: 'x' }), FS, outside),
    ).toBe('destructive');
    expect(
      await effectOf(call('fs', 'edit_file', { path: '/work/allowed/a.txt', edits: [] }), FS),
    ).toBe('write');
    expect(await effectOf(call('fs', 'create_directory', { path: '/etc/x' }), FS)).toBe(
      'destructive',
    );
  });

  it('holds a move over an existing file or out of the roots', async () => {
    const absent = new Map([['/work/allowed/b', 'absent' as const]]);
    expect(
      await effectOf(
        call('fs', 'move_file', { source: '/work/allowed/a', destination: '/work/allowed/b' }),
        FS,
        absent,
      ),
    ).toBe('write');
    expect(
      await effectOf(
        call('fs', 'move_file', { source: '/work/allowed/a', destination: '/work/allowed/b' }),
        FS,
      ),
    ).toBe('destructive');
    const outside = new Map([['/work/allowed/b', 'absent' as const]]);
    expect(
      await effectOf(
        call('fs', 'move_file', { source: '/etc/a', destination: '/work/allowed/b' }),
        FS,
        outside,
      ),
    ).toBe('destructive');
  });
});
