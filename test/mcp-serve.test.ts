import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, filesUpstreamYaml, serverScript } from './mcp-harness.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'airlock.js');
const sandbox = createSandbox();
const home = freshHome();
const children: ChildProcess[] = [];
let mcpUrl = '';
let token = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a child and resolves with the first line on `stream` matching `pattern`. */
function startAndWait(
  args: string[],
  env: NodeJS.ProcessEnv,
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
): Promise<string> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child[stream] }).on('line', (line) => {
      if (pattern.test(line)) resolve(line);
    });
    child.once('exit', (code) =>
      reject(new Error(`${args[1] ?? args[0]} exited with ${String(code)}`)),
    );
  });
}

beforeAll(async () => {
  const port = await freePort();
  // The everything server over Streamable HTTP: a URL upstream.
  await startAndWait(
    [serverScript('server-everything'), 'streamableHttp'],
    { PORT: String(port) },
    'stderr',
    /listening/i,
  );
  writeFileSync(
    join(home, 'airlock.yaml'),
    [
      'version: 1',
      'upstreams:',
      ...filesUpstreamYaml(sandbox),
      '  everything:',
      '    kind: mcp',
      `    url: http://127.0.0.1:${port}/mcp`,
      '    tools:',
      '      get-sum: { effect: destructive }',
      '',
    ].join('\n'),
  );
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
  token = (jsonLines(issued.stdout)[0] as { token: string }).token;
  const line = await startAndWait(
    [BIN, '--home', home, 'serve', '--dev', '--port', '0', '--json'],
    {},
    'stdout',
    /^\{/,
  );
  const { surfaces } = JSON.parse(line) as { surfaces: { surface: string; url: string }[] };
  mcpUrl = surfaces.find((surface) => surface.surface === 'mcp')?.url ?? '';
}, 90_000);

afterAll(async () => {
  for (const child of children) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  sandbox.remove();
});

describe('airlock serve with mcp upstreams (stdio command and URL)', () => {
  it('serves both at /mcp; config classifies a tool the catalog lacks', async () => {
    expect(mcpUrl).toMatch(/\/mcp$/);
    const agent = new Client({ name: 'agent', version: '1' });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    try {
      const names = (await agent.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'files__read_text_file',
          'everything__echo',
          'everything__get-sum',
        ]),
      );
      const read = (await agent.callTool({
        name: 'files__read_text_file',
        arguments: { path: join(sandbox.allowed, 'a.txt') },
      })) as { content: { text: string }[] };
      expect(read.content[0]?.text).toBe('alpha\n');
      // The upstream is named like the shipped `everything` catalog, which judges `echo` a read.
      const echoed = (await agent.callTool({
        name: 'everything__echo',
        arguments: { message: 'over a URL' },
      })) as { content: { text: string }[] };
      expect(echoed.content[0]?.text).toContain('over a URL');
      const sum = (await agent.callTool({
        name: 'everything__get-sum',
        arguments: { a: 1, b: 2 },
      })) as { _meta?: { airlock?: { code: string } } };
      expect(sum._meta?.airlock?.code).toBe('AIRLOCK_HELD');
    } finally {
      await agent.close();
    }
  });

  it('answers 401 without a bearer token', async () => {
    const reply = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{}',
    });
    expect(reply.status).toBe(401);
  });
});
