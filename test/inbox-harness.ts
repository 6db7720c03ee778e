import type { Action, Store } from '../src/core/index.js';
import { DEFAULT_APPROVAL_RULES, EFFECTS, SeededRandom } from '../src/core/index.js';
import { ApprovalService } from '../src/firewall/index.js';
import { createTestFirewall, testAction } from '../src/firewall/test-harness.js';
import { createInboxRoute, startGateway } from '../src/server/index.js';
import { MemoryStore } from '../src/stores/index.js';

/** Approver credentials of the harness: `NAME` logs in with `credentialOf(NAME)`. */
export const credentialOf = (name: string): string => `inbox secret of ${name}`;

/** What came back from the inbox, redirects not followed. */
export interface InboxReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * The web inbox over real HTTP on the gateway, on a memory store, a fixed clock and the
 * TypeScript stand-in of the default policy. Approvers: carol and dave (railway, every
 * environment), stan (railway, staging only) and alice (owner of the agent's grant).
 */
export async function startInboxHarness(options: { sessionTtlMs?: number } = {}) {
  const store: Store = new MemoryStore();
  const { firewall, grants, clock } = createTestFirewall(store);
  const production = ['production'];
  const service = new ApprovalService({ store, clock, random: new SeededRandom('approvers'), rules: DEFAULT_APPROVAL_RULES, productionEnvironments: production });
  for (const [name, environments] of [['carol', ['*']], ['dave', ['*']], ['stan', ['staging']], ['alice', ['*']]] as const) {
    await service.addApprover({ name, credential: credentialOf(name), upstreams: ['railway'], environments: [...environments] }, 'human:root');
  }
  const route = createInboxRoute({
    store,
    clock,
    random: new SeededRandom('inbox'),
    rules: DEFAULT_APPROVAL_RULES,
    productionEnvironments: production,
    liveIntervalMs: 50,
    ...(options.sessionTtlMs === undefined ? {} : { sessionTtlMs: options.sessionTtlMs }),
  });
  const gateway = await startGateway({ firewall, upstreams: {}, productionEnvironments: production, approvals: store, routes: () => [route] });
  const { token } = await grants.issue(
    { agent: 'deploy-bot', owner: 'alice', upstreams: ['railway'], environments: ['*'], effects: [...EFFECTS], resources: ['*'], ttlMs: 3_600_000 },
    'human:alice',
  );

  /** Sends an action through the firewall as the agent; returns the approval id of a hold. */
  const hold = async (action: Action = testAction('destructive', 'production')): Promise<string> => {
    const { decision } = await firewall.judge({ token, surface: 'graphql', digest: action.digest, actions: [action] });
    if (decision.verdict !== 'hold' || decision.approval?.id === undefined) throw new Error(`expected a hold, got ${decision.verdict}`);
    return decision.approval.id;
  };

  /** A request to the inbox with an optional cookie; redirects are returned, not followed. */
  const fetchInbox = async (path: string, init: { cookie?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {}): Promise<InboxReply> => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.cookie !== undefined) headers['cookie'] = init.cookie;
    let body: string | undefined;
    if (init.form !== undefined) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(init.form)) for (const one of [value].flat()) params.append(key, one);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await fetch(`${gateway.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers, redirect: 'manual', ...(body === undefined ? {} : { body }) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  /** Logs in; returns the `name=value` cookie and the session's CSRF token. */
  const login = async (name: string, credential = credentialOf(name)) => {
    const reply = await fetchInbox('/inbox/login', { form: { approver: name, credential, next: '/inbox' } });
    const setCookie = reply.headers.get('set-cookie');
    if (reply.status !== 303 || setCookie === null) throw new Error(`login as ${name} failed with ${reply.status}`);
    const cookie = setCookie.split(';')[0] ?? '';
    const page = await fetchInbox('/inbox', { cookie });
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    return { cookie, csrf, setCookie };
  };

  return {
    store,
    service,
    clock,
    token,
    gateway,
    hold,
    fetchInbox,
    login,
    close: async () => {
      await gateway.close();
      await store.close();
    },
  };
}
