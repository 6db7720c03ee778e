import { describe, expect, it } from 'vitest';
import { mcpUpstreamsOf } from './upstreams-of.js';
import type { LoadedConfig } from '../src/config/index.js';
import { parseConfig } from '../src/config/index.js';

function loaded(upstreams: Record<string, unknown>): LoadedConfig {
  const parsed = parseConfig({ version: 1, upstreams });
  if (!parsed.ok) throw new Error(parsed.error.join('; '));
  return {
    config: parsed.value,
    home: '/nonexistent',
    storeFile: '/nonexistent/db',
    policyDir: '/nonexistent/policies',
  } as unknown as LoadedConfig;
}

describe('mcp upstream config', () => {
  it('takes a stdio command or a URL, never both or neither', () => {
    expect(
      parseConfig({ upstreams: { fs: { kind: 'mcp', command: 'node', args: ['x.js'] } } }).ok,
    ).toBe(true);
    expect(
      parseConfig({
        upstreams: {
          api: { kind: 'mcp', url: 'https://mcp.example.com/mcp', credentialEnv: 'API_TOKEN' },
        },
      }).ok,
    ).toBe(true);
    const both = parseConfig({
      upstreams: { x: { kind: 'mcp', command: 'node', url: 'https://a.example' } },
    });
    expect(both.ok ? [] : both.error.join('\n')).toContain('exactly one of');
    expect(parseConfig({ upstreams: { x: { kind: 'mcp' } } }).ok).toBe(false);
    expect(
      parseConfig({ upstreams: { x: { kind: 'mcp', command: 'node', credentialEnv: 'TOKEN' } } })
        .ok,
    ).toBe(false);
  });

  it('refuses a password written into a command line, without echoing it', () => {
    const parsed = parseConfig({
      upstreams: {
        pg: {
          kind: 'mcp',
          command: 'npx',
          args: ['server-postgres', 'postgresql://app:hunter22@db/prod'],
        },
      },
    });
    expect(parsed.ok).toBe(false);
    const text = parsed.ok ? '' : parsed.error.join('\n');
    expect(text).toContain('${NAME}');
    expect(text).not.toContain('hunter22');
  });

  it('validates classifications: effects, argument roles and tool names', () => {
    const good = {
      kind: 'mcp',
      command: 'node',
      tools: {
        run_sql: { effect: 'read', args: { q: 'sql' }, decidedBy: 'q' },
        nuke: { effect: 'destructive', args: { id: { target: 'thing' } } },
      },
    };
    expect(parseConfig({ upstreams: { x: good } }).ok).toBe(true);
    expect(
      parseConfig({
        upstreams: { x: { kind: 'mcp', command: 'node', tools: { t: { effect: 'unknown' } } } },
      }).ok,
    ).toBe(false);
    expect(
      parseConfig({
        upstreams: {
          x: {
            kind: 'mcp',
            command: 'node',
            tools: { t: { effect: 'read', args: { a: 'shell' } } },
          },
        },
      }).ok,
    ).toBe(false);
    expect(
      parseConfig({
        upstreams: {
          x: { kind: 'mcp', command: 'node', tools: { 'bad name': { effect: 'read' } } },
        },
      }).ok,
    ).toBe(false);
    expect(
      parseConfig({ upstreams: { x: { kind: 'mcp', command: 'node', roots: ['relative/dir'] } } })
        .ok,
    ).toBe(false);
  });

  it('hands a child only the variables config names, with ${NAME} filled in', () => {
    const config = loaded({
      postgres: {
        kind: 'mcp',
        command: 'npx',
        args: ['server-postgres', '${DATABASE_URL}'],
        env: ['PGSSLMODE'],
      },
    });
    const [upstream] = mcpUpstreamsOf(config, {
      DATABASE_URL: 'postgresql://app:pw@db/x',
      PGSSLMODE: 'require',
      OTHER_SECRET: 's3cret',
    });
    expect(upstream?.transport).toEqual({
      kind: 'stdio',
      command: 'npx',
      args: ['server-postgres', 'postgresql://app:pw@db/x'],
      env: { PGSSLMODE: 'require' },
    });
    // Named like a shipped catalog and given none: that one.
    expect(upstream?.profile.catalog?.name).toBe('postgres');
  });

  it('lists every unset variable by name only', () => {
    const config = loaded({
      pg: { kind: 'mcp', command: 'npx', args: ['${DATABASE_URL}'] },
      api: { kind: 'mcp', url: 'https://mcp.example.com/mcp', credentialEnv: 'API_TOKEN' },
    });
    expect(() => mcpUpstreamsOf(config, {})).toThrow(
      expect.objectContaining({
        details: [
          'upstreams.pg.args: $DATABASE_URL is unset',
          'upstreams.api.credentialEnv: $API_TOKEN is unset',
        ],
      }),
    );
  });

  it('uses the named catalog, or none, and the overrides', () => {
    const config = loaded({
      mine: {
        kind: 'mcp',
        command: 'x',
        catalog: 'memory',
        tools: { wipe: { effect: 'destructive' } },
      },
      other: { kind: 'mcp', command: 'y', catalog: 'none' },
    });
    const [mine, other] = mcpUpstreamsOf(config, {});
    expect(mine?.profile.catalog?.name).toBe('memory');
    expect(mine?.profile.tools?.['wipe']).toEqual({ effect: 'destructive', reversible: false });
    expect(other?.profile.catalog).toBeUndefined();
  });
});
