import { request as httpRequest } from 'node:http';
import type { Action, Store } from '../src/core/index.js';
import { DEFAULT_APPROVAL_RULES, EFFECTS, SeededRandom } from '../src/core/index.js';
import { ApprovalService, totpCode } from '../src/firewall/index.js';
import { createTestFirewall, testAction } from '../src/firewall/test-harness.js';
import type { GatewayRoute } from '../src/server/index.js';
import { MemoryPasskeyStore, createInboxRoute, startGateway } from '../src/server/index.js';
import { MemoryStore } from '../src/stores/index.js';
import { SoftPasskey } from './passkey-authenticator.js';

/** Approver credentials of the harness: `NAME` logs in with `credentialOf(NAME)`. */
export const credentialOf = (name: string): string => `inbox secret of ${name}`;

/** What came back from the inbox, redirects not followed. */
export interface InboxReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A request to the inbox: a cookie, a form (POST), headers, and the local address to send from. */
export interface InboxRequest {
  readonly cookie?: string;
  readonly form?: Record<string, string | string[]>;
  readonly headers?: Record<string, string>;
  /** A loopback address such as `127.0.0.2`: the login throttle sees another source. */
  readonly source?: string;
}

/** A logged-in approver: the `name=value` cookie and the session's CSRF token. */
export interface InboxSession {
  readonly cookie: string;
  readonly csrf: string;
  readonly setCookie: string;
}

/**
 * The web inbox over real HTTP on the gateway, on a memory store, a fixed clock and the
 * TypeScript stand-in of the default policy. Approvers: carol and dave (railway, every
 * environment), stan (railway, staging only) and alice (owner of the agent's grant), each with
 * a TOTP secret (`totpOf`); `approverSession` logs one in and enrols a software passkey.
 */
export async function startInboxHarness(options: { sessionTtlMs?: number } = {}) {
  const store: Store = new MemoryStore();
  const { firewall, grants, clock } = createTestFirewall(store);
  const production = ['production'];
  const service = new ApprovalService({
    store,
    clock,
    random: new SeededRandom('approvers'),
    rules: DEFAULT_APPROVAL_RULES,
    productionEnvironments: production,
  });
  const totpSecrets = new Map<string, string>();
  for (const [name, environments] of [
    ['carol', ['*']],
    ['dave', ['*']],
    ['stan', ['staging']],
    ['alice', ['*']],
  ] as const) {
    const added = await service.addApprover(
      {
        name,
        credential: credentialOf(name),
        upstreams: ['railway'],
        environments: [...environments],
      },
      'human:root',
    );
    totpSecrets.set(name, added.totp.secret);
  }
  const passkeyStore = new MemoryPasskeyStore();
  let route: GatewayRoute | undefined;
  const gateway = await startGateway({
    approvals: store,
    routes: (urls) => {
      route = createInboxRoute({
        store,
        clock,
        random: new SeededRandom('inbox'),
        rules: DEFAULT_APPROVAL_RULES,
        productionEnvironments: production,
        publicUrl: urls.url,
        passkeys: passkeyStore,
        liveIntervalMs: 50,
        ...(options.sessionTtlMs === undefined ? {} : { sessionTtlMs: options.sessionTtlMs }),
      });
      return [route];
    },
  });
  const { token } = await grants.issue(
    {
      agent: 'deploy-bot',
      owner: 'alice',
      upstreams: ['railway'],
      environments: ['*'],
      effects: [...EFFECTS],
      resources: ['*'],
      ttlMs: 3_600_000,
    },
    'human:alice',
  );

  /** Sends an action through the firewall as the agent; returns the approval id of a hold. */
  const hold = async (
    action: Action = testAction('destructive', 'production'),
  ): Promise<string> => {
    const { decision } = await firewall.judge(
      { surface: 'graphql', digest: action.digest, actions: [action] },
      token,
    );
    if (decision.verdict !== 'hold' || decision.approval?.id === undefined)
      throw new Error(`expected a hold, got ${decision.verdict}`);
    return decision.approval.id;
  };

  /** A request to the inbox with an optional cookie; redirects are returned, not followed. */
  const fetchInbox = async (path: string, init: InboxRequest = {}): Promise<InboxReply> => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.cookie !== undefined) headers['cookie'] = init.cookie;
    let body: string | undefined;
    if (init.form !== undefined) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(init.form))
        for (const one of [value].flat()) params.append(key, one);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const method = body === undefined ? 'GET' : 'POST';
    if (init.source !== undefined)
      return sendFrom(init.source, `${gateway.url}${path}`, method, headers, body);
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  /** Logs in; returns the `name=value` cookie and the session's CSRF token. */
  const login = async (name: string, credential = credentialOf(name)): Promise<InboxSession> => {
    const reply = await fetchInbox('/inbox/login', {
      form: { approver: name, credential, next: '/inbox' },
    });
    const setCookie = reply.headers.get('set-cookie');
    if (reply.status !== 303 || setCookie === null)
      throw new Error(`login as ${name} failed with ${reply.status}`);
    const cookie = setCookie.split(';')[0] ?? '';
    const page = await fetchInbox('/inbox', { cookie });
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    return { cookie, csrf, setCookie };
  };

  /** The approver's current TOTP code (each code is taken once: move the clock for another). */
  const totpOf = (name: string): string => totpCode(totpSecrets.get(name) ?? '', clock.now());

  /** Fetches passkey options (enrolment or a vote) as the page's script would; the JSON answer. */
  const passkeyOptions = async (
    path: string,
    who: InboxSession,
    form: Record<string, string> = {},
  ) => {
    const reply = await fetchInbox(path, { cookie: who.cookie, form: { csrf: who.csrf, ...form } });
    return {
      status: reply.status,
      json: JSON.parse(reply.text) as { options?: never; error?: string },
    };
  };

  /** Enrols a software passkey for the session's approver, with their current TOTP code. */
  const enrolPasskey = async (
    name: string,
    who: InboxSession,
    passkey = new SoftPasskey(gateway.url),
  ): Promise<SoftPasskey> => {
    const { status, json } = await passkeyOptions('/inbox/passkeys/options', who, {
      totp: totpOf(name),
    });
    if (status !== 200 || json.options === undefined)
      throw new Error(`passkey options for ${name} answered ${status}: ${json.error}`);
    const done = await fetchInbox('/inbox/passkeys', {
      cookie: who.cookie,
      form: { csrf: who.csrf, attestation: passkey.register(json.options) },
    });
    if (done.status !== 303)
      throw new Error(`enrolling a passkey for ${name} answered ${done.status}`);
    return passkey;
  };

  /** Logs in and enrols a passkey: an approver ready to vote. */
  const approverSession = async (name: string) => {
    const session = await login(name);
    return { ...session, passkey: await enrolPasskey(name, session) };
  };

  /** A vote as the browser sends it: options for this approval and vote, the passkey's assertion, then the form. */
  const vote = async (
    who: InboxSession & { passkey: SoftPasskey },
    id: string,
    choice: 'approve' | 'deny',
    form: Record<string, string | string[]> = {},
  ): Promise<InboxReply> => {
    const path = `/inbox/approvals/${id}/${choice}`;
    const { status, json } = await passkeyOptions(`${path}/options`, who);
    if (status !== 200 || json.options === undefined)
      throw new Error(`vote options answered ${status}: ${json.error}`);
    return fetchInbox(path, {
      cookie: who.cookie,
      form: { csrf: who.csrf, ...form, assertion: who.passkey.assert(json.options) },
    });
  };

  return {
    store,
    service,
    clock,
    token,
    gateway,
    passkeyStore,
    hold,
    fetchInbox,
    login,
    totpOf,
    passkeyOptions,
    enrolPasskey,
    approverSession,
    vote,
    close: async () => {
      await gateway.close();
      await store.close();
    },
  };
}

/** One HTTP request from a given local (loopback) address; fetch cannot choose it. */
function sendFrom(
  localAddress: string,
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<InboxReply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method, headers, localAddress, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const replyHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers))
            for (const one of [value ?? []].flat()) replyHeaders.append(name, one);
          resolve({
            status: response.statusCode ?? 0,
            headers: replyHeaders,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
