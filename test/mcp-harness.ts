import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpUpstreamOptions } from '../src/adapters/mcp/index.js';
import { McpProxy, createMcpHttpRoute } from '../src/adapters/mcp/index.js';
import { MCP_CATALOGS } from '../src/classify/mcp/index.js';
import { EFFECTS, SeededRandom } from '../src/core/index.js';
import { ApprovalService } from '../src/firewall/index.js';
import { TestAuthenticator, createTestFirewall } from '../src/firewall/test-harness.js';
import { CedarPolicyEngine, loadDefaultPolicyFiles } from '../src/policy/index.js';
import { startGateway } from '../src/server/index.js';
import { MemoryStore } from '../src/stores/index.js';

const MODULES = join(import.meta.dirname, '..', 'node_modules', '@modelcontextprotocol');

/** The entry script of a reference server installed as a devDependency. */
export function serverScript(
  name: 'server-filesystem' | 'server-memory' | 'server-everything',
): string {
  return join(MODULES, name, 'dist', 'index.js');
}

/** A temporary folder the filesystem server may use, with Airlock's allowed folder inside it. */
export function createSandbox() {
  const base = mkdtempSync(join(tmpdir(), 'airlock-mcp-'));
  const allowed = join(base, 'allowed');
  const outside = join(base, 'outside');
  mkdirSync(allowed);
  mkdirSync(outside);
  writeFileSync(join(allowed, 'a.txt'), 'alpha\n');
  writeFileSync(join(outside, 'keep.txt'), 'keep me\n');
  return {
    base,
    allowed,
    outside,
    memoryFile: join(base, 'memory.jsonl'),
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** A secret handed to the everything server, which its `get-env` tool echoes. */
/** airlock.yaml lines for the real filesystem server as upstream `files`, writing only in the sandbox's allowed folder. */
export function filesUpstreamYaml(sandbox: ReturnType<typeof createSandbox>): string[] {
  return [
    '  files:',
    '    kind: mcp',
    `    command: ${JSON.stringify(process.execPath)}`,
    `    args: [${JSON.stringify(serverScript('server-filesystem'))}, ${JSON.stringify(sandbox.base)}]`,
    '    catalog: filesystem',
    `    roots: [${JSON.stringify(sandbox.allowed)}]`,
  ];
}

export const PLANTED_SECRET = 'planted-secret-4f9a1c77e2';

/** The three reference servers as stdio upstreams; the filesystem one may write only in `allowed`. */
export function referenceUpstreams(
  sandbox: ReturnType<typeof createSandbox>,
): McpUpstreamOptions[] {
  const stdio = (script: string, args: string[], env: Record<string, string> = {}) =>
    ({
      kind: 'stdio',
      command: process.execPath,
      args: [script, ...args],
      env,
      stderr: 'ignore',
    }) as const;
  return [
    {
      name: 'fs',
      transport: stdio(serverScript('server-filesystem'), [sandbox.base]),
      profile: { ...catalog('filesystem'), roots: [sandbox.allowed] },
    },
    {
      name: 'memory',
      transport: stdio(serverScript('server-memory'), [], { MEMORY_FILE_PATH: sandbox.memoryFile }),
      profile: catalog('memory'),
    },
    {
      name: 'everything',
      transport: stdio(serverScript('server-everything'), ['stdio'], {
        PLANTED_SECRET: PLANTED_SECRET,
      }),
      profile: catalog('everything'),
    },
  ];
}

function catalog(name: string) {
  const found = MCP_CATALOGS[name];
  if (found === undefined) throw new Error(`no catalog \`${name}\``);
  return { catalog: found };
}

/**
 * Airlock in process: a firewall on the shipped Cedar policy and a memory store, the MCP proxy
 * over `upstreams`, the gateway serving it at `/mcp`, a token for the agent and two approvers.
 */
export async function startMcpAirlock(upstreams: readonly McpUpstreamOptions[]) {
  const store = new MemoryStore();
  const engine = CedarPolicyEngine.create(loadDefaultPolicyFiles());
  if (!engine.ok) throw new Error('the default policy does not compile');
  const harness = createTestFirewall(store, {
    engine: engine.value,
    freeze: { maxDenials: 1_000, windowMs: 60_000 },
  });
  const { token } = await harness.grants.issue(
    {
      agent: 'coder',
      owner: 'alice',
      upstreams: upstreams.map((u) => u.name),
      environments: ['*'],
      effects: [...EFFECTS],
      resources: ['*'],
      ttlMs: 3_600_000,
    },
    'human:alice',
  );
  const approvals = new ApprovalService({
    store,
    clock: harness.clock,
    random: new SeededRandom('mcp'),
    rules: { denyEndsIt: true, ownerMayApprove: false },
    productionEnvironments: ['production'],
  });
  const phones = new TestAuthenticator({ service: approvals, store, clock: harness.clock });
  for (const name of ['bob', 'carol'])
    await phones.enrol({ name, upstreams: ['*'], environments: ['*'] });
  const proxy = await McpProxy.start({ upstreams, firewall: harness.firewall });
  const gateway = await startGateway({
    approvals: store,
    routes: (urls) => [
      createMcpHttpRoute(proxy, {
        prefix: '/mcp',
        approvalsUrl: urls.approvalsUrl,
        approvalPagesUrl: `${urls.url}/inbox/approvals`,
      }),
    ],
  });
  /** Two humans approve, typing every target id the approval asks for. */
  const approveByTwo = async (id: string) => {
    const approval = await approvals.get(id);
    const confirm = approval.actions.flatMap((action) => action.targets.map((target) => target.id));
    for (const name of ['bob', 'carol'])
      await approvals.approve(id, name, await phones.factor(name), { confirm });
  };
  const connect = async (
    bearer = token,
    client = new Client({ name: 'test-agent', version: '1.0.0' }),
  ) => {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${bearer}` } },
      }),
    );
    return client;
  };
  /** A further token, for another agent, limited to some upstreams. */
  const issueToken = async (agent: string, names: string[]) =>
    (
      await harness.grants.issue(
        {
          agent,
          owner: 'alice',
          upstreams: names,
          environments: ['*'],
          effects: [...EFFECTS],
          resources: ['*'],
          ttlMs: 3_600_000,
        },
        'human:alice',
      )
    ).token;
  return {
    token,
    issueToken,
    grants: harness.grants,
    clock: harness.clock,
    store,
    proxy,
    gateway,
    connect,
    approveByTwo,
    close: async () => {
      await gateway.close();
      await proxy.close();
    },
  };
}
