import { describe, expect, it } from 'vitest';
import type { Approval, Store } from '../src/core/index.js';
import { EFFECTS, applyApprovalEvent } from '../src/core/index.js';
import type { ApprovalEventV1, GrantRequest } from '../src/firewall/index.js';
import {
  WebhookDispatcher,
  toSlackMessage,
  verifyWebhookSignature,
} from '../src/firewall/index.js';
import { createTestFirewall, testAction } from '../src/firewall/test-harness.js';
import { MemoryStore } from '../src/stores/index.js';
import { plantedSecret, startGatewayOverRailway, volumeDelete } from './gateway-harness.js';
import { verifies } from './requirements.js';

const FULL: GrantRequest = {
  agent: 'deploy-bot',
  owner: 'alice',
  upstreams: ['railway'],
  environments: ['*'],
  effects: [...EFFECTS],
  resources: ['*'],
  ttlMs: 86_400_000,
};
const DENIER = 'carol-the-approver';
const DENY_REASON = 'the on-call lead said the backups are not verified';

/** Denies an approval as an approver would: the state machine, compare-and-set, the audit record. */
async function denyAsHuman(store: Store, id: string, now: number): Promise<void> {
  const approval = (await store.getApproval(id)) as Approval;
  const denied = applyApprovalEvent(
    approval,
    { type: 'deny', actor: `human:${DENIER}`, reason: DENY_REASON },
    now,
  );
  if (!denied.ok) throw new Error(denied.error.message);
  await store.updateApproval(denied.value, approval.version);
  await store.appendAudit({
    kind: 'approval.denied',
    actor: `human:${DENIER}`,
    at: now,
    data: { approvalId: id, state: 'denied', reason: DENY_REASON, deniedBy: [`human:${DENIER}`] },
  });
}

function hostileEvent(): ApprovalEventV1 {
  return {
    version: 1,
    event: 'approval.created',
    seq: 7,
    at: '2026-01-01T00:00:00.000Z',
    actor: 'agent:<!channel> *urgent*',
    approval: {
      id: 'apr_1',
      state: 'pending',
      agent: '<!here> @channel <@U024BE7LH>',
      owner: 'alice',
      needed: 1,
      approvedBy: [],
      deniedBy: [],
      expiresAt: '2026-01-01T01:00:00.000Z',
      actions: [
        {
          upstream: 'railway',
          operation: 'volumeDelete',
          effect: 'destructive',
          reversible: false,
          targets: [
            {
              type: 'volume',
              id: '<https://evil.example|click to approve>\n\n> *APPROVED* by ~security~ `ok`',
              environment: 'staging',
            },
          ],
        },
        {
          upstream: 'railway',
          operation: 'volumeDelete',
          effect: 'destructive',
          reversible: false,
          targets: [{ type: 'volume', id: 'vol_prod_db', environment: 'production' }],
        },
      ],
      reasons: [],
    },
    link: 'https://airlock.example.test/inbox/approvals/apr_1',
  };
}

describe('webhook text carries agent content only escaped', () => {
  it('leaves no mention, link, line break or mrkdwn from the agent in the text or the blocks', () => {
    verifies('webhook.agent-text-inert');
    const message = toSlackMessage(hostileEvent());
    expect(message.mrkdwn).toBe(false);
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).not.toContain('"mrkdwn"');
    const texts = [
      message.text,
      ...message.blocks.flatMap((block) => JSON.stringify(block).match(/"text":"[^"]*"/g) ?? []),
    ];
    for (const text of texts) {
      expect(text).not.toMatch(/<[!@#]|<https?:/);
      expect(text).not.toMatch(/@channel|@here/);
      expect(text).not.toMatch(/[*~`]|\n|\\n/);
      expect(text).not.toMatch(/(^|\s)>/);
    }
    expect(message.text).toContain('&lt;!here&gt; ＠channel &lt;＠U024BE7LH&gt;');
    expect(message.text).toContain(
      '&lt;https://evil.example|click to approve&gt;⟨U+000A⟩⟨U+000A⟩&gt; ∗APPROVED∗ by ∼security… (72 characters)',
    );
    expect(JSON.stringify(message.blocks)).toContain('by: agent:&lt;!channel&gt; ∗urgent∗');
    // The batch says what it holds, production first; an id inside a word keeps its underscores.
    expect(message.text).toContain(
      '2 actions: 1 in production, 2 destructive: volumeDelete on volume vol_prod_db (production)',
    );
  });

  it('cuts a 20,000-character id so the message stays within what Slack takes', () => {
    const event = hostileEvent();
    const huge = {
      ...event,
      approval: {
        ...event.approval,
        actions: [
          {
            ...event.approval.actions[1]!,
            targets: [{ type: 'volume', id: 'v'.repeat(20_000), environment: 'production' }],
          },
        ],
      },
    };
    const message = toSlackMessage(huge);
    expect(message.text.length).toBeLessThan(400);
    expect(message.text).toContain('(20,000 characters)');
  });

  it('signs the delivery id that receivers deduplicate on, inside the body', async () => {
    verifies('webhook.dedupe-signed');
    const store = new MemoryStore();
    const { firewall, grants, clock } = createTestFirewall(store);
    const posted: { headers: Record<string, string>; body: string }[] = [];
    const dispatcher = new WebhookDispatcher({
      store,
      clock,
      ids: { next: (prefix: string) => `${prefix}_${posted.length}_${Math.floor(clock.now())}` },
      endpoints: [
        {
          name: 'ops',
          url: 'https://ops.example.test/hook',
          format: 'json',
          secret: 'whsec_0123456789abcdef',
        },
      ],
      publicUrl: 'https://airlock.example.test',
      retry: { maxAttempts: 3, initialDelayMs: 1_000, maxDelayMs: 10_000 },
      post: async (_url, headers, body) => {
        posted.push({ headers, body });
        return 204;
      },
    });
    await dispatcher.collect();
    const { token } = await grants.issue(FULL, 'human:alice');
    const action = testAction('destructive', 'staging');
    await firewall.judge({ surface: 'graphql', digest: action.digest, actions: [action] }, token);
    await dispatcher.tick();
    const [delivery] = posted;
    const body = JSON.parse(delivery?.body ?? '{}') as { delivery?: string };
    expect(body.delivery).toBe(delivery?.headers['airlock-delivery']);
    expect(
      verifyWebhookSignature(
        'whsec_0123456789abcdef',
        delivery?.body ?? '',
        delivery?.headers['airlock-signature'],
        Math.floor(clock.now() / 1000),
      ),
    ).toBe(true);
    // A replay of the signed body under another header value still names the first delivery.
    expect(body.delivery).toMatch(/^whd_/);
  });
});

describe('the agent learns nothing about approvers', () => {
  it('says a retry after a deny was denied by a human, naming neither who nor why', async () => {
    verifies('approval.agent-learns-no-approver');
    const store = new MemoryStore();
    const { firewall, grants, clock } = createTestFirewall(store);
    const { token } = await grants.issue(FULL, 'human:alice');
    const action = testAction('destructive', 'staging');
    const held = await firewall.judge(
      { surface: 'graphql', digest: action.digest, actions: [action] },
      token,
    );
    await denyAsHuman(store, held.decision.approval?.id ?? '', clock.now());
    const retry = await firewall.judge(
      { surface: 'graphql', digest: action.digest, actions: [action] },
      token,
    );
    expect(retry.decision.verdict).toBe('deny');
    expect(retry.decision.reasons.join(' ')).toMatch(/denied: a human decided against it/);
    expect(JSON.stringify(retry.decision)).not.toMatch(/carol|backups|on-call/);
    // The reason stays on the record, for approvers.
    const denied = (await store.readAudit()).find((record) => record.kind === 'approval.denied');
    expect(denied?.data['reason']).toBe(DENY_REASON);
  });

  it('tells the agent at the gateway and in its poll only that a human denied it', async () => {
    const { airlock, close } = await startGatewayOverRailway(plantedSecret());
    try {
      const token = await airlock.token(['staging'], ['read', 'write', 'destructive']);
      const held = await airlock.send(token, volumeDelete('vol_staging_scratch'));
      const id = String(
        (held.json as { errors: { extensions: { approvalId: string } }[] }).errors[0]?.extensions
          .approvalId,
      );
      await denyAsHuman(airlock.store, id, Date.now());
      const retry = await airlock.send(token, volumeDelete('vol_staging_scratch'));
      expect(retry.status).toBe(403);
      expect(retry.text).toContain('a human decided against it');
      const poll = await fetch(`${airlock.gateway.url}/approvals/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const pollText = await poll.text();
      expect(pollText).toContain('denied by a human');
      for (const text of [retry.text, pollText]) expect(text).not.toMatch(/carol|backups|on-call/);
    } finally {
      await close();
    }
  });
});

describe('hold flooding', () => {
  it('denies the 11th pending hold of a grant, freezes the grant, audits it, and sends no webhook for it', async () => {
    verifies('approval.pending-cap-freezes');
    const store = new MemoryStore();
    const { firewall, grants, clock } = createTestFirewall(store);
    let next = 0;
    const dispatcher = new WebhookDispatcher({
      store,
      clock,
      ids: { next: (prefix: string) => `${prefix}_${(next += 1)}` },
      endpoints: [{ name: 'ops', url: 'https://ops.example.test/hook', format: 'json' }],
      publicUrl: 'https://airlock.example.test',
      retry: { maxAttempts: 1, initialDelayMs: 1_000, maxDelayMs: 1_000 },
      post: async () => 204,
    });
    await dispatcher.collect();
    const { token } = await grants.issue(FULL, 'human:alice');
    // All at once, as a flooding agent sends them: exactly ten become approvals.
    const actions = Array.from({ length: 11 }, (_, i) =>
      testAction('destructive', 'staging', `vol_${i}`),
    );
    const judged = await Promise.all(
      actions.map((action) =>
        firewall.judge({ surface: 'graphql', digest: action.digest, actions: [action] }, token),
      ),
    );
    const verdicts = judged.map((j) => j.decision.verdict);
    expect(verdicts.filter((v) => v === 'hold')).toHaveLength(10);
    expect(verdicts.filter((v) => v === 'deny')).toHaveLength(1);
    const refused = judged.find((j) => j.decision.verdict === 'deny')?.decision;
    expect(refused?.policyIds).toEqual(['airlock:pending-cap']);
    expect(refused?.approval).toBeUndefined();
    expect((await store.listApprovals({ state: 'pending' })).length).toBe(10);
    const grant = judged[0]?.principal?.grant;
    expect((await store.getGrant(grant?.id ?? ''))?.frozenAt).toBeDefined();
    const audit = await store.readAudit();
    expect(audit.filter((r) => r.kind === 'grant.frozen')).toHaveLength(1);
    expect(audit.filter((r) => r.kind === 'approval.created')).toHaveLength(10);
    await dispatcher.collect();
    expect(
      await store.listWebhookDeliveries({ status: 'pending', dueBy: clock.now(), limit: 100 }),
    ).toHaveLength(10);
    // Frozen: the next request, even a read, is refused until a human unfreezes the grant.
    const read = testAction('read', 'staging');
    expect(
      (await firewall.judge({ surface: 'graphql', digest: read.digest, actions: [read] }, token))
        .decision.verdict,
    ).toBe('deny');
  });

  it('takes the cap from config, and binds a retry of a held request to its approval without counting it', async () => {
    const store = new MemoryStore();
    const { firewall, grants } = createTestFirewall(store, {
      approvals: { maxPendingPerGrant: 2 },
    });
    const { token } = await grants.issue(FULL, 'human:alice');
    const [a, b, c] = ['vol_a', 'vol_b', 'vol_c'].map((id) =>
      testAction('destructive', 'staging', id),
    );
    const send = async (action = a!) =>
      (
        await firewall.judge(
          { surface: 'graphql', digest: action.digest, actions: [action] },
          token,
        )
      ).decision.verdict;
    expect(await send(a)).toBe('hold');
    expect(await send(b)).toBe('hold');
    expect(await send(a)).toBe('hold');
    expect(await send(c)).toBe('deny');
  });
});
