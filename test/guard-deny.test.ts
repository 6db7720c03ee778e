import { describe, expect, it } from 'vitest';
import { verifies } from './requirements.js';
import { classifyFileTool, classifyShellCommand } from '../src/classify/index.js';
import type { GuardSettings } from '../src/classify/index.js';
import { EFFECTS } from '../src/core/index.js';
import { GrantService } from '../src/firewall/index.js';
import { cryptoRandom, randomIds, systemClock } from '../src/platform/index.js';
import { MemoryStore } from '../src/stores/index.js';
import { defaultPolicyFirewall } from './default-firewall.js';

// What Airlock guards (issue 15 part 6) is denied by the firewall itself, with the shipped policy:
// no approval is created, so no human can be talked into letting it through.

const GUARD: GuardSettings = {
  paths: ['/var/lib/airlock', '~/.claude/settings.json'],
  names: ['.claude/settings.json', '.cursor/hooks.json'],
  unreadable: ['/var/lib/airlock'],
  userHome: '/home/dev',
  processes: () => [
    { pid: 4242, pgid: 4242, name: 'node', commandLine: 'node /opt/airlock/bin/airlock.js serve' },
  ],
};

async function setup() {
  const store = new MemoryStore();
  const firewall = defaultPolicyFirewall(store);
  const grants = new GrantService({
    store,
    clock: systemClock,
    ids: randomIds,
    random: cryptoRandom,
    limits: { maxTtlMs: 86_400_000 },
  });
  const { token } = await grants.issue(
    {
      agent: 'coder',
      owner: 'alice',
      upstreams: ['shell'],
      environments: ['*'],
      effects: [...EFFECTS],
      resources: ['*'],
      ttlMs: 3_600_000,
    },
    'human:alice',
  );
  return { store, firewall, token };
}

describe('the firewall denies what Airlock guards', () => {
  it.each([
    'rm -rf ~/.claude',
    'echo \'{"hooks":{}}\' > .claude/settings.json',
    'kill -9 4242',
    'cat /proc/1/environ',
    'sed -i s/airlock/true/ .cursor/hooks.json && rm -rf data',
  ])('denies `%s` with airlock:guard and creates no approval', async (command) => {
    verifies('hook.guard-denies');
    const { store, firewall, token } = await setup();
    const actions = await classifyShellCommand(command, '/home/dev/proj', 'shell', {
      guard: GUARD,
    });
    const { decision } = await firewall.judge(
      { surface: 'shell', digest: actions[0]?.digest ?? '', actions },
      token,
    );
    expect(decision.verdict).toBe('deny');
    expect(decision.policyIds).toContain('airlock:guard');
    expect(decision.reasons.join(' ')).toContain('is guarded by Airlock');
    expect(await store.listApprovals()).toEqual([]);
  });

  it('still holds a plain destructive command for approval, and allows a read of the same file', async () => {
    const { store, firewall, token } = await setup();
    const held = await classifyShellCommand('rm -rf data', '/home/dev/proj', 'shell', {
      guard: GUARD,
    });
    expect(
      (
        await firewall.judge(
          { surface: 'shell', digest: held[0]?.digest ?? '', actions: held },
          token,
        )
      ).decision.verdict,
    ).toBe('hold');
    expect((await store.listApprovals()).length).toBe(1);
    const read = await classifyShellCommand(
      'cat .claude/settings.json',
      '/home/dev/proj',
      'shell',
      { guard: GUARD },
    );
    expect(
      (
        await firewall.judge(
          { surface: 'shell', digest: read[0]?.digest ?? '', actions: read },
          token,
        )
      ).decision.verdict,
    ).toBe('allow');
  });

  it("denies a file tool writing a client's hook configuration", async () => {
    const { firewall, token } = await setup();
    const actions = classifyFileTool(
      { tool: 'Write', writes: ['/home/dev/.claude/settings.json'], cwd: '/home/dev/proj' },
      'shell',
      { guard: GUARD },
    );
    const { decision } = await firewall.judge(
      { surface: 'shell', digest: actions[0]?.digest ?? '', actions },
      token,
    );
    expect(decision).toMatchObject({ verdict: 'deny', policyIds: ['airlock:guard'] });
  });
});
