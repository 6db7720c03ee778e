import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_ENTROPY_BYTES, createToken, hashToken } from '../src/core/index.js';
import { AUTHENTICATION_RECHECK_MS } from '../src/firewall/index.js';
import {
  PLANTED_SECRET,
  createSandbox,
  referenceUpstreams,
  startMcpAirlock,
} from './mcp-harness.js';
import { verifies } from './requirements.js';

type CallResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  _meta?: { airlock?: { code: string; approvalId?: string } };
};

const sandbox = createSandbox();
let airlock: Awaited<ReturnType<typeof startMcpAirlock>>;
let agent: Client;

const call = async (name: string, args: Record<string, unknown>) =>
  (await agent.callTool({ name, arguments: args })) as CallResult;
const textOf = (result: CallResult) => result.content.map((item) => item.text ?? '').join('\n');

beforeAll(async () => {
  airlock = await startMcpAirlock(referenceUpstreams(sandbox));
  agent = await airlock.connect();
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await airlock?.close();
  sandbox.remove();
});

describe('MCP proxy over Streamable HTTP, real reference servers', () => {
  it("lists every server's tools under namespaced names, with their annotations", async () => {
    const { tools } = await agent.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'fs__read_text_file',
        'fs__write_file',
        'fs__move_file',
        'memory__create_entities',
        'memory__delete_entities',
        'everything__echo',
      ]),
    );
    expect(names.every((name) => /^(fs|memory|everything)__[A-Za-z0-9._-]+$/.test(name))).toBe(
      true,
    );
    expect(tools.find((tool) => tool.name === 'fs__write_file')?.annotations?.destructiveHint).toBe(
      true,
    );
  });

  it('passes reads inside the allowed folder', async () => {
    const result = await call('fs__read_text_file', { path: join(sandbox.allowed, 'a.txt') });
    expect(result.isError).not.toBe(true);
    expect(textOf(result)).toBe('alpha\n');
  });

  it('authenticates an agent session once, and a revoked token stops within the recheck bound', async () => {
    const token = await airlock.issueToken('revoked-agent', ['fs']);
    const grant = await airlock.store.findGrantByTokenHash(hashToken(token));
    const session = await airlock.connect(token);
    try {
      const read = () =>
        session.callTool({
          name: 'fs__read_text_file',
          arguments: { path: join(sandbox.allowed, 'a.txt') },
        }) as Promise<CallResult>;
      expect((await read()).isError).not.toBe(true);
      await airlock.grants.revoke(grant?.id ?? '', 'human:alice');
      // Past AUTHENTICATION_RECHECK_MS the session asks the store again: the revocation holds.
      airlock.clock.advance(AUTHENTICATION_RECHECK_MS + 1);
      const refused = await read();
      expect(refused.isError).toBe(true);
      expect(refused._meta?.airlock?.code).toBe('AIRLOCK_DENIED');
    } finally {
      await session.close();
    }
  });

  it('passes creating a new file inside the allowed folder (the upstream is asked whether it exists)', async () => {
    const result = await call('fs__write_file', {
      path: join(sandbox.allowed, 'new.txt'),
      content: 'fresh',
    });
    expect(result.isError).not.toBe(true);
    expect(readFileSync(join(sandbox.allowed, 'new.txt'), 'utf8')).toBe('fresh');
  });

  it('holds overwriting a file outside the allowed folder; after approval it happens once', async () => {
    verifies('mcp.held-not-forwarded');
    verifies('mcp.paths-checked');
    const target = join(sandbox.outside, 'keep.txt');
    const held = await call('fs__write_file', { path: target, content: 'gone' });
    expect(held.isError).toBe(true);
    expect(held._meta?.airlock?.code).toBe('AIRLOCK_HELD');
    const approvalId = held._meta?.airlock?.approvalId ?? '';
    expect(textOf(held)).toContain(`approval id ${approvalId}`);
    expect(textOf(held)).toContain('Stop and wait for a human');
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
    // Approvers see the call's arguments, so they know what would be written where.
    expect((await airlock.store.getApproval(approvalId))?.request?.details).toEqual({
      server: 'fs',
      tool: 'write_file',
      arguments: { path: target, content: 'gone' },
    });

    await airlock.approveByTwo(approvalId);
    const passed = await call('fs__write_file', { path: target, content: 'gone' });
    expect(passed.isError).not.toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('gone');

    const replay = await call('fs__write_file', { path: target, content: 'gone' });
    expect(replay._meta?.airlock?.code).toBe('AIRLOCK_HELD');
    expect(replay._meta?.airlock?.approvalId).not.toBe(approvalId);
  });

  it('holds overwriting an existing file even inside the allowed folder', async () => {
    const result = await call('fs__write_file', {
      path: join(sandbox.allowed, 'a.txt'),
      content: 'clobbered',
    });
    expect(result._meta?.airlock?.code).toBe('AIRLOCK_HELD');
    expect(readFileSync(join(sandbox.allowed, 'a.txt'), 'utf8')).toBe('alpha\n');
  });

  it('holds moving a file over another; a move to a free name passes', async () => {
    const over = await call('fs__move_file', {
      source: join(sandbox.allowed, 'new.txt'),
      destination: join(sandbox.allowed, 'a.txt'),
    });
    expect(over._meta?.airlock?.code).toBe('AIRLOCK_HELD');
    expect(readFileSync(join(sandbox.allowed, 'a.txt'), 'utf8')).toBe('alpha\n');
    const free = await call('fs__move_file', {
      source: join(sandbox.allowed, 'new.txt'),
      destination: join(sandbox.allowed, 'moved.txt'),
    });
    expect(free.isError).not.toBe(true);
    expect(existsSync(join(sandbox.allowed, 'moved.txt'))).toBe(true);
  });

  it('holds traversal and reads outside the allowed folder without forwarding them', async () => {
    const climbing = await call('fs__read_text_file', {
      path: `${sandbox.allowed}/../outside/keep.txt`,
    });
    expect(climbing._meta?.airlock?.code).toBe('AIRLOCK_HELD');
    const outside = await call('fs__read_text_file', { path: join(sandbox.outside, 'keep.txt') });
    expect(outside._meta?.airlock?.code).toBe('AIRLOCK_HELD');
  });

  it('judges the memory server by its catalog: creating passes, deleting is held', async () => {
    const created = await call('memory__create_entities', {
      entities: [{ name: 'airlock', entityType: 'project', observations: ['guards agents'] }],
    });
    expect(created.isError).not.toBe(true);
    const graph = await call('memory__read_graph', {});
    expect(textOf(graph)).toContain('airlock');
    const deleted = await call('memory__delete_entities', { entityNames: ['airlock'] });
    expect(deleted._meta?.airlock?.code).toBe('AIRLOCK_HELD');
    expect(textOf(await call('memory__read_graph', {}))).toContain('airlock');
  });

  it("passes the everything server's tools, resources and prompts through, judged", async () => {
    expect(textOf(await call('everything__echo', { message: 'hi' }))).toContain('hi');
    const { resources } = await agent.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const first = resources.find((resource) => resource.uri.startsWith('airlock://everything/'));
    expect(first?.uri.startsWith('airlock://everything/')).toBe(true);
    const read = await agent.readResource({ uri: first?.uri ?? '' });
    expect(read.contents.length).toBeGreaterThan(0);
    const { prompts } = await agent.listPrompts();
    const simple = prompts.find(
      (prompt) =>
        prompt.name.startsWith('everything__') &&
        (prompt.arguments ?? []).every((a) => a.required !== true),
    );
    expect(simple).toBeDefined();
    const prompt = await agent.getPrompt({ name: simple?.name ?? '' });
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  it('offers the approval page through URL-mode elicitation where the client supports it', async () => {
    const offered: { mode?: string; url?: string; elicitationId?: string }[] = [];
    const client = new Client(
      { name: 'eliciting-agent', version: '1.0.0' },
      { capabilities: { elicitation: { url: {} } } },
    );
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      offered.push(request.params as (typeof offered)[number]);
      return { action: 'accept' };
    });
    await airlock.connect(airlock.token, client);
    try {
      const held = (await client.callTool({
        name: 'memory__delete_relations',
        arguments: { relations: [] },
      })) as CallResult;
      expect(held._meta?.airlock?.code).toBe('AIRLOCK_HELD');
      await expect.poll(() => offered.length).toBe(1);
      expect(offered[0]).toMatchObject({
        mode: 'url',
        elicitationId: held._meta?.airlock?.approvalId,
      });
      expect(offered[0]?.url).toMatch(/\/inbox\/approvals\/apr_/);
    } finally {
      await client.close();
    }
  });

  it('lists only the servers a token covers, without denials that would freeze it', async () => {
    const scoped = await airlock.connect(await airlock.issueToken('fs-only', ['fs']));
    try {
      for (let i = 0; i < 3; i++) {
        const names = (await scoped.listTools()).tools.map((tool) => tool.name);
        expect(names.length).toBeGreaterThan(0);
        expect(names.every((name) => name.startsWith('fs__'))).toBe(true);
      }
      const mine = (await airlock.store.readAudit()).filter(
        (record) => record.actor === 'agent:fs-only',
      );
      expect(mine.length).toBe(3);
      expect(
        mine.every((record) => (record.data as { verdict?: string }).verdict === 'allow'),
      ).toBe(true);
      const outside = (await scoped.callTool({
        name: 'memory__read_graph',
        arguments: {},
      })) as CallResult;
      expect(outside._meta?.airlock?.code).toBe('AIRLOCK_DENIED');
    } finally {
      await scoped.close();
    }
  });

  it('scrubs the secrets an upstream was given from what it answers', async () => {
    verifies('mcp.upstream-secrets-scrubbed');
    const env = await call('everything__get-env', {});
    expect(env.isError).not.toBe(true);
    const text = JSON.stringify(env);
    expect(text).toContain('PLANTED_SECRET');
    expect(text).not.toContain(PLANTED_SECRET);
    expect(text).toContain('[redacted by airlock]');
  });

  it('refuses a tool it does not serve without reaching any upstream', async () => {
    const result = await call('fs__delete_everything', {});
    expect(result._meta?.airlock?.code).toBe('AIRLOCK_NO_SUCH_TOOL');
  });

  it('refuses a request without a well-formed token before any session exists', async () => {
    await expect(airlock.connect('alk_not_a_token')).rejects.toThrow();
  });

  it('lists nothing and denies every call for a well-formed token Airlock never issued', async () => {
    const stranger = await airlock.connect(
      createToken(new Uint8Array(TOKEN_ENTROPY_BYTES).fill(7)),
    );
    try {
      expect((await stranger.listTools()).tools).toEqual([]);
      const result = (await stranger.callTool({
        name: 'fs__read_text_file',
        arguments: { path: join(sandbox.allowed, 'a.txt') },
      })) as CallResult;
      expect(result._meta?.airlock?.code).toBe('AIRLOCK_DENIED');
      expect(textOf(result)).not.toContain('alpha');
    } finally {
      await stranger.close();
    }
  });
});
