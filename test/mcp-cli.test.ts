import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StdioClientTransport,
  getDefaultEnvironment,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, filesUpstreamYaml, serverScript } from './mcp-harness.js';
import { verifies } from './requirements.js';
import { freshHome, runCli } from './run-cli.js';
import type { TotpPhone } from './totp-phone.js';
import { enrolApprover } from './totp-phone.js';

type CallResult = {
  isError?: boolean;
  content: { text?: string }[];
  _meta?: { airlock?: { code: string; approvalId?: string } };
};

const BIN = join(import.meta.dirname, '..', 'bin', 'airlock.js');
const sandbox = createSandbox();
const home = freshHome();
let agent: Client;
/** The approvers' authenticator apps, by name. */
const phones = new Map<string, TotpPhone>();

beforeAll(async () => {
  writeFileSync(
    join(home, 'airlock.yaml'),
    [
      'version: 1',
      'upstreams:',
      ...filesUpstreamYaml(sandbox),
      '  memory:',
      '    kind: mcp',
      `    command: ${JSON.stringify(process.execPath)}`,
      `    args: [${JSON.stringify(serverScript('server-memory'))}]`,
      '    env: [MEMORY_FILE_PATH]',
      '  everything:',
      '    kind: mcp',
      `    command: ${JSON.stringify(process.execPath)}`,
      `    args: [${JSON.stringify(serverScript('server-everything'))}, stdio]`,
      '',
    ].join('\n'),
  );
  for (const name of ['bob', 'carol'])
    phones.set(name, enrolApprover(home, name, ['--upstream', '*', '--env', '*']));
  const issued = runCli(
    [
      'token',
      'issue',
      '--agent',
      'coder',
      '--owner',
      'alice',
      '--upstream',
      'files',
      'memory',
      'everything',
      '--env',
      '*',
      '--effect',
      'read',
      'write',
      'destructive',
      'unknown',
      '--json',
    ],
    { home },
  );
  expect(issued.status, issued.stderr).toBe(0);
  const token = (JSON.parse(issued.stdout) as { token: string }).token;
  agent = new Client({ name: 'stdio-agent', version: '1.0.0' });
  await agent.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, '--home', home, 'mcp'],
      env: {
        ...getDefaultEnvironment(),
        AIRLOCK_TOKEN: token,
        MEMORY_FILE_PATH: sandbox.memoryFile,
      },
      stderr: 'ignore',
    }),
  );
}, 60_000);

afterAll(async () => {
  await agent?.close();
  sandbox.remove();
});

const call = async (name: string, args: Record<string, unknown>) =>
  (await agent.callTool({ name, arguments: args })) as CallResult;

describe('airlock mcp (stdio), real filesystem server', () => {
  it('refuses to start without a token in $AIRLOCK_TOKEN', () => {
    const run = runCli(['mcp'], { home, env: { AIRLOCK_TOKEN: '' } });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('serves namespaced tools and passes a read', async () => {
    const { tools } = await agent.listTools();
    expect(tools.map((tool) => tool.name)).toContain('files__read_text_file');
    const read = await call('files__read_text_file', { path: join(sandbox.allowed, 'a.txt') });
    expect(read.content[0]?.text).toBe('alpha\n');
  });

  it('judges the memory and everything servers by their catalogs; resources pass through', async () => {
    const created = await call('memory__create_entities', {
      entities: [{ name: 'vault', entityType: 'thing', observations: ['kept'] }],
    });
    expect(created.isError).not.toBe(true);
    const deleted = await call('memory__delete_entities', { entityNames: ['vault'] });
    expect(deleted._meta?.airlock?.code).toBe('AIRLOCK_HELD');
    expect((await call('memory__read_graph', {})).content[0]?.text).toContain('vault');
    expect((await call('everything__echo', { message: 'via stdio' })).content[0]?.text).toContain(
      'via stdio',
    );
    const { resources } = await agent.listResources();
    const first = resources.find((resource) => resource.uri.startsWith('airlock://everything/'));
    expect((await agent.readResource({ uri: first?.uri ?? '' })).contents.length).toBeGreaterThan(
      0,
    );
  });

  it('holds moving a file over another until two humans approve, then runs it once', async () => {
    verifies('mcp.held-not-forwarded');
    const args = {
      source: join(sandbox.outside, 'keep.txt'),
      destination: join(sandbox.allowed, 'a.txt'),
    };
    const held = await call('files__move_file', args);
    expect(held._meta?.airlock?.code).toBe('AIRLOCK_HELD');
    const id = held._meta?.airlock?.approvalId ?? '';
    expect(held.content[0]?.text).toContain(id);
    expect(readFileSync(join(sandbox.allowed, 'a.txt'), 'utf8')).toBe('alpha\n');

    const shown = JSON.parse(runCli(['approvals', 'show', id, '--json'], { home }).stdout) as {
      confirmTargets: string[];
    };
    const confirm = shown.confirmTargets;
    expect(confirm).toContain(join(sandbox.outside, 'keep.txt'));
    for (const name of ['bob', 'carol']) {
      const approved = runCli(['approvals', 'approve', id, '--as', name, '--confirm', ...confirm], {
        home,
        input: phones.get(name)?.line() ?? '',
      });
      expect(approved.status, approved.stderr).toBe(0);
    }
    // The filesystem server itself refuses to move over an existing file: the call reaches it
    // once (its own error comes back), and a replay is held again.
    const passed = await call('files__move_file', args);
    expect(passed._meta?.airlock).toBeUndefined();
    expect(passed.content[0]?.text).toMatch(/exists/i);
    const replay = await call('files__move_file', args);
    expect(replay._meta?.airlock?.code).toBe('AIRLOCK_HELD');
    expect(replay._meta?.airlock?.approvalId).not.toBe(id);
  });
});
