import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EFFECTS, FixedClock, SeededRandom, SequentialIds } from '../src/core/index.js';
import type { GrantRequest, WebhookEndpoint } from '../src/firewall/index.js';
import {
  ApprovalService,
  DEFAULT_APPROVAL_OPTIONS,
  Firewall,
  GrantService,
  WebhookDispatcher,
  createHttpPoster,
  verifyWebhookSignature,
} from '../src/firewall/index.js';
import { DefaultRulesEngine, TestAuthenticator, testAction } from '../src/firewall/test-harness.js';
import { MemoryPasskeyStore, createInboxRoute, startGateway } from '../src/server/index.js';
import type { SqliteStore } from '../src/stores/index.js';
import { openSqliteStore } from '../src/stores/index.js';
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
const SIGNING_SECRET = 'whsec_test_0123456789abcdef';
const PUBLIC_URL = 'https://airlock.example.test';

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real HTTP receiver; `hang` makes it accept and never answer, as a stuck receiver does. */
async function startReceiver(options: { hang?: boolean } = {}) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (!options.hang) res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The receiver's side, exactly as docs/webhooks.md tells receivers to verify.
function verifyAsDocumented(
  secret: string,
  header: string,
  rawBody: string,
  nowSeconds: number,
): boolean {
  const fields = Object.fromEntries(header.split(',').map((kv) => kv.split('=')));
  const t = Number(fields.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(String(fields.v1), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  endpoints: (urls: { json: string; slack: string }) => WebhookEndpoint[],
  receiverOptions: { hang?: boolean } = {},
) {
  const store: SqliteStore = openSqliteStore({
    path: join(mkdtempSync(join(tmpdir(), 'airlock-webhook-')), 'airlock.db'),
  });
  cleanups.push(() => store.close());
  const clock = new FixedClock();
  const ids = new SequentialIds();
  const engine = new DefaultRulesEngine();
  const approvals = { ...DEFAULT_APPROVAL_OPTIONS, ttlMs: 600_000 };
  const firewall = new Firewall({
    store,
    engine: () => engine,
    clock,
    ids,
    decide: { productionEnvironments: ['production'], approvalsObtainable: 2 },
    freeze: { maxDenials: 50, windowMs: 60_000 },
    approvals,
  });
  const grants = new GrantService({
    store,
    clock,
    ids,
    random: new SeededRandom(),
    limits: { maxTtlMs: 86_400_000 },
  });
  const { token } = await grants.issue(FULL, 'human:alice');
  const service = new ApprovalService({
    store,
    clock,
    random: new SeededRandom('approvers'),
    rules: approvals,
    productionEnvironments: ['production'],
  });
  const phones = new TestAuthenticator({ service, store, clock });
  for (const name of ['bob', 'carol'])
    await phones.enrol({ name, upstreams: ['*'], environments: ['*'] });
  const receiver = await startReceiver(receiverOptions);
  cleanups.push(receiver.close);
  const dispatcher = new WebhookDispatcher({
    store,
    clock,
    ids,
    endpoints: endpoints({ json: `${receiver.url}/json`, slack: `${receiver.url}/slack` }),
    publicUrl: PUBLIC_URL,
    retry: { maxAttempts: 3, initialDelayMs: 2_000, maxDelayMs: 60_000 },
    post: createHttpPoster(1_000),
  });
  const hold = async (target: string) => {
    const action = testAction('destructive', 'staging', target);
    const judged = await firewall.judge(
      { surface: 'graphql', digest: action.digest, actions: [action] },
      token,
    );
    return {
      id: judged.decision.approval?.id ?? '',
      retry: () =>
        firewall.judge({ surface: 'graphql', digest: action.digest, actions: [action] }, token),
    };
  };
  return { store, clock, service, phones, dispatcher, receiver, hold, firewall, token };
}

const BOTH = (urls: { json: string; slack: string }): WebhookEndpoint[] => [
  { name: 'ops', url: urls.json, format: 'json', secret: SIGNING_SECRET },
  { name: 'chat', url: urls.slack, format: 'slack' },
];

describe('signed webhooks', () => {
  it('sends a signed event for every new pending approval and every decision, to JSON and Slack endpoints', async () => {
    verifies('webhook.signed');
    verifies('webhook.every-event');
    const { dispatcher, receiver, hold, service, phones, clock, store } = await setup(BOTH);
    await dispatcher.tick(); // the first start begins at the head of the audit log
    const a = await hold('vol_a');
    await service.approve(a.id, 'bob', await phones.factor('bob'));
    expect((await a.retry()).decision.verdict).toBe('allow');
    const b = await hold('vol_b');
    await service.deny(b.id, 'carol', await phones.factor('carol'), 'not during the freeze');
    const c = await hold('vol_c');
    const d = await hold('vol_d');
    await service.cancelAsApprover(d.id, 'carol', await phones.factor('carol'));
    clock.advance(600_000);
    expect((await service.expireDue()).map((x) => x.id)).toEqual([c.id]);
    await dispatcher.tick();

    const json = receiver.received.filter((r) => r.path === '/json');
    const events = json.map(
      (r) =>
        JSON.parse(r.body) as {
          event: string;
          approval: { id: string; state: string };
          link: string;
          seq: number;
        },
    );
    expect(events.map((e) => `${e.event} ${e.approval.id} ${e.approval.state}`)).toEqual([
      `approval.created ${a.id} pending`,
      `approval.approved ${a.id} approved`,
      `approval.executed ${a.id} executed`,
      `approval.created ${b.id} pending`,
      `approval.denied ${b.id} denied`,
      `approval.created ${c.id} pending`,
      `approval.created ${d.id} pending`,
      `approval.cancelled ${d.id} cancelled`,
      `approval.expired ${c.id} expired`,
    ]);
    const now = Math.floor(clock.now() / 1000);
    for (const delivery of json) {
      const header = String(delivery.headers['airlock-signature']);
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyAsDocumented(SIGNING_SECRET, header, delivery.body, now)).toBe(true);
      expect(verifyWebhookSignature(SIGNING_SECRET, delivery.body, header, now)).toBe(true);
      // One changed byte, another secret, or a stale time: refused.
      expect(
        verifyAsDocumented(SIGNING_SECRET, header, delivery.body.replace('"', ' "'), now),
      ).toBe(false);
      expect(verifyWebhookSignature('another secret', delivery.body, header, now)).toBe(false);
      expect(verifyWebhookSignature(SIGNING_SECRET, delivery.body, header, now + 301)).toBe(false);
      expect(delivery.headers['airlock-event']).toBe(
        (JSON.parse(delivery.body) as { event: string }).event,
      );
    }
    const slack = receiver.received
      .filter((r) => r.path === '/slack')
      .map(
        (r) =>
          JSON.parse(r.body) as {
            text: string;
            blocks: { type: string; elements?: { url?: string }[] }[];
          },
      );
    expect(slack).toHaveLength(9);
    expect(slack[4]?.text).toContain('was denied');
    expect(slack[4]?.text).toContain('vol_b');
    expect(slack[0]?.blocks.find((block) => block.type === 'actions')?.elements?.[0]?.url).toBe(
      `${PUBLIC_URL}/inbox/approvals/${a.id}`,
    );
    const log = await store.listWebhookDeliveries();
    expect(log).toHaveLength(18);
    expect(log.every((entry) => entry.status === 'delivered' && entry.attempts === 1)).toBe(true);
    // Nothing is sent twice: a further round finds nothing new.
    await dispatcher.tick();
    expect(receiver.received).toHaveLength(18);
  });

  it('links to the inbox login: following the link changes nothing', async () => {
    verifies('webhook.link-never-approves');
    const { dispatcher, receiver, hold, store } = await setup(BOTH);
    await dispatcher.tick();
    const a = await hold('vol_a');
    await dispatcher.tick();
    const event = JSON.parse(receiver.received[0]?.body ?? '{}') as { link: string };
    expect(event.link).toBe(`${PUBLIC_URL}/inbox/approvals/${a.id}`);
    const inbox = createInboxRoute({
      store,
      clock: new FixedClock(),
      random: new SeededRandom('inbox'),
      rules: DEFAULT_APPROVAL_OPTIONS,
      productionEnvironments: ['production'],
      publicUrl: PUBLIC_URL,
      passkeys: new MemoryPasskeyStore(),
    });
    const gateway = await startGateway({ approvals: store, routes: () => [inbox] });
    cleanups.push(() => gateway.close());
    const followed = await fetch(event.link.replace(PUBLIC_URL, gateway.url), {
      redirect: 'manual',
    });
    expect([302, 303]).toContain(followed.status);
    expect(followed.headers.get('location')).toBe(
      `/inbox/login?next=${encodeURIComponent(`/inbox/approvals/${a.id}`)}`,
    );
    expect(await store.getApproval(a.id)).toMatchObject({ state: 'pending', approvals: [] });
  });

  it('never holds up the request path for a receiver that hangs or is down, and retries with backoff', async () => {
    verifies('webhook.never-blocks');
    const { dispatcher, receiver, hold, store, clock } = await setup(
      (urls) => [
        { name: 'stuck', url: urls.json, format: 'json', secret: SIGNING_SECRET },
        { name: 'down', url: 'http://127.0.0.1:9/hook', format: 'json', secret: SIGNING_SECRET },
      ],
      { hang: true },
    );
    await dispatcher.tick();
    const first = await hold('vol_a');
    // Deliveries are under way (one hangs), and requests are judged meanwhile.
    const delivering = dispatcher.tick();
    const second = await hold('vol_b');
    expect(second.id).not.toBe(first.id);
    expect((await store.getApproval(first.id))?.state).toBe('pending');
    await delivering;
    expect(receiver.received.length).toBeGreaterThanOrEqual(1);
    const afterOne = await store.listWebhookDeliveries({ status: 'pending' });
    const firstFailure = afterOne.find((d) => d.approvalId === first.id && d.endpoint === 'down');
    expect(firstFailure).toMatchObject({ attempts: 1, nextAttemptAt: clock.now() + 2_000 });
    expect(firstFailure?.lastError).not.toContain('hook');
    // Not due yet: nothing is tried; once due, tried again with a doubled wait.
    await dispatcher.deliver();
    expect(
      (await store.listWebhookDeliveries({ status: 'pending' })).find(
        (d) => d.id === firstFailure?.id,
      )?.attempts,
    ).toBe(1);
    clock.advance(2_000);
    await dispatcher.deliver();
    expect(
      (await store.listWebhookDeliveries()).find((d) => d.id === firstFailure?.id),
    ).toMatchObject({ attempts: 2, nextAttemptAt: clock.now() + 4_000 });
    clock.advance(4_000);
    await dispatcher.deliver();
    expect(
      (await store.listWebhookDeliveries()).find((d) => d.id === firstFailure?.id),
    ).toMatchObject({ attempts: 3, status: 'failed' });
    // The receivers decided nothing.
    expect((await store.getApproval(first.id))?.state).toBe('pending');
  }, 30_000);
});
