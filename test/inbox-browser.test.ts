import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { Agent, fetch as fetchWith } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPROVAL_RULES } from '../src/core/index.js';
import { ApprovalService, GrantService, totpCode } from '../src/firewall/index.js';
import { cryptoRandom, randomIds, systemClock } from '../src/platform/index.js';
import type { Gateway, RouteListener } from '../src/server/index.js';
import {
  FilePasskeyStore,
  createInboxRoute,
  startGateway,
  startRouteListener,
} from '../src/server/index.js';
import { createGraphqlRoute } from '../src/adapters/graphql/index.js';
import type { RailwayStandin } from '../src/standins/index.js';
import { INCIDENT_IDS, startRailwayStandin } from '../src/standins/index.js';
import type { SqliteStore } from '../src/stores/index.js';
import { openSqliteStore } from '../src/stores/index.js';
import { plantedSecret, volumeDelete } from './gateway-harness.js';
import { verifies } from './requirements.js';
import { defaultPolicyFirewall } from './default-firewall.js';

// The incident's volumeDelete, held by the real gateway in front of the Railway stand-in, decided
// by two humans in Chromium through the web inbox on its own HTTPS origin (`airlock.test`, a
// self-signed certificate), each vote confirmed with a passkey of Chromium's virtual
// authenticator enrolled with a TOTP code; then the agent's retry runs exactly once. And the
// attack of issue 14: a page the agent serves on another port of the same host name gets no
// cookie, and a copied session cookie cannot approve.

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const PRODUCTION = ['production'];
// A host name, not localhost: Chromium hands Secure cookies to http://localhost on any port.
const INBOX_HOST = 'airlock.test';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--host-resolver-rules=MAP ${INBOX_HOST} 127.0.0.1`,
  // The test's certificate is self-signed; WebAuthn still runs.
  '--ignore-certificate-errors',
];
const credentialOf = (name: string): string => `browser secret of ${name}`;

let home: string;
let railway: RailwayStandin;
let store: SqliteStore;
let gateway: Gateway;
let inboxListener: RouteListener;
let inboxUrl: string;
let browser: Browser;
let agentToken: string;
let agentPage: { server: Server; url: string; cookies: string[] };
let tlsAgent: Agent;
const totpSecrets = new Map<string, string>();

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'airlock-inbox-browser-'));
  const secret = plantedSecret();
  railway = await startRailwayStandin({ port: 0, tokens: { account: [secret] }, seed: true });
  store = openSqliteStore({ path: join(home, 'airlock.db') });
  const firewall = defaultPolicyFirewall(store, PRODUCTION);
  const approvers = new ApprovalService({
    store,
    clock: systemClock,
    random: cryptoRandom,
    rules: DEFAULT_APPROVAL_RULES,
    productionEnvironments: PRODUCTION,
  });
  for (const name of ['carol', 'dave']) {
    const added = await approvers.addApprover(
      { name, credential: credentialOf(name), upstreams: ['railway'], environments: ['*'] },
      'human:root',
    );
    totpSecrets.set(name, added.totp.secret);
  }
  // The agents' port: plain HTTP, no inbox.
  gateway = await startGateway({
    approvals: store,
    routes: (urls) => [
      createGraphqlRoute({
        firewall,
        upstreams: { railway: { kind: 'graphql', url: railway.url, credential: secret } },
        productionEnvironments: PRODUCTION,
        approvalsUrl: urls.approvalsUrl,
      }),
    ],
  });
  // The inbox: a listener and an origin of its own, over TLS.
  const tls = selfSignedCertificate(home, INBOX_HOST);
  tlsAgent = new Agent({ connect: { ca: tls.cert, servername: INBOX_HOST } });
  inboxListener = await startRouteListener({
    host: '127.0.0.1',
    port: 0,
    tls,
    routes: (url) => {
      inboxUrl = url.replace('127.0.0.1', INBOX_HOST);
      const passkeys = new FilePasskeyStore(join(home, 'passkeys.json'));
      return [
        createInboxRoute({
          store,
          clock: systemClock,
          random: cryptoRandom,
          rules: DEFAULT_APPROVAL_RULES,
          productionEnvironments: PRODUCTION,
          liveIntervalMs: 200,
          publicUrl: inboxUrl,
          passkeys,
        }),
      ];
    },
  });
  agentPage = await startAgentPage();
  const grants = new GrantService({
    store,
    clock: systemClock,
    ids: randomIds,
    random: cryptoRandom,
    limits: { maxTtlMs: 86_400_000 },
  });
  const issued = await grants.issue(
    {
      agent: 'cursor-agent',
      owner: 'alice',
      upstreams: ['railway'],
      environments: ['*'],
      effects: ['read', 'write', 'destructive'],
      resources: ['*'],
      ttlMs: 3_600_000,
    },
    'human:alice',
  );
  agentToken = issued.token;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await inboxListener?.close();
  await tlsAgent?.close();
  agentPage?.server.close();
  await gateway?.close();
  await store?.close();
  await railway?.close();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

/** The agent's request through the gateway, exactly as the incident's agent sent it. */
async function agentDeletesProductionVolume(): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${gateway.url}/graphql/railway`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(volumeDelete(INCIDENT_IDS.prodDbVolume)),
  });
  return { status: response.status, json: await response.json() };
}

/** A certificate for `host` made with the openssl CLI, self-signed, for the test only. */
function selfSignedCertificate(dir: string, host: string): { cert: Buffer; key: Buffer } {
  const cert = join(dir, 'inbox-cert.pem');
  const key = join(dir, 'inbox-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

/** The agent's own web page on another port of the same host name: it records the cookies it is sent. */
async function startAgentPage(): Promise<{ server: Server; url: string; cookies: string[] }> {
  const cookies: string[] = [];
  const server = createServer((req, res) => {
    cookies.push(req.headers.cookie ?? '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Airlock approvals</title><p>Loading your approvals…</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    server,
    url: `http://${INBOX_HOST}:${(server.address() as AddressInfo).port}/inbox`,
    cookies,
  };
}

/** A fresh browser context (its own cookies) with a virtual platform authenticator; its page records script errors and CSP reports. */
async function openApproverPage(): Promise<{
  context: BrowserContext;
  page: Page;
  problems: string[];
}> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const devtools = await context.newCDPSession(page);
  await devtools.send('WebAuthn.enable');
  await devtools.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // The refused confirmation answers 422 on purpose; Chromium logs every 4xx document.
    if (message.type() === 'error' && !message.text().includes('status of 422'))
      problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Adds a passkey from the inbox's passkeys page, with the approver's current TOTP code. */
async function enrolPasskey(page: Page, name: string): Promise<void> {
  await page.goto(`${inboxUrl}/inbox/passkeys`);
  expect(await page.locator('#passkey-count').textContent()).toContain('no passkey yet');
  await page
    .getByLabel('Code from your authenticator app')
    .fill(totpCode(totpSecrets.get(name) ?? '', Date.now()));
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByText('Your passkey was added.').waitFor();
  expect(await page.locator('#passkey-count').textContent()).toBe('1 passkey:');
}

async function logIn(page: Page, name: string): Promise<void> {
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent())
    .toBe('Log in to approve requests');
  await page.getByLabel('Approver name').fill(name);
  await page.getByLabel('Approver credential').fill(credentialOf(name));
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** The agent with carol's session cookie and plain fetch: reads the page and its token, and votes. */
async function theStolenCookieCannotApprove(value: string, approvalId: string): Promise<void> {
  const headers = { cookie: `__Host-airlock_inbox=${value}` };
  // Straight to the listener's address (Node does not resolve the test's host name).
  const page = await fetchWith(`${inboxListener.url}/inbox/approvals/${approvalId}`, {
    headers,
    dispatcher: tlsAgent,
  });
  expect(page.status).toBe(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const vote = await fetchWith(`${inboxListener.url}/inbox/approvals/${approvalId}/approve`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, confirm: INCIDENT_IDS.prodDbVolume }).toString(),
    redirect: 'manual',
    dispatcher: tlsAgent,
  });
  expect(vote.status).toBe(403);
  expect(await vote.text()).toContain('your passkey did not confirm this vote');
  expect((await store.getApproval(approvalId))?.approvals).toEqual([]);
  const refused = (await store.readAudit()).filter(
    (r) => r.kind === 'approver.factor-failed' && r.data['approvalId'] === approvalId,
  );
  expect(refused.map((r) => r.data)).toEqual([
    { name: 'carol', channel: 'passkey', reason: 'no-passkey', approvalId, vote: 'approve' },
  ]);
}

const productionVolumeExists = (): boolean =>
  railway.state.state.volumes.some((volume) => volume.id === INCIDENT_IDS.prodDbVolume);

describe('the web inbox in Chromium', () => {
  it(
    "two approvers approve a held production volumeDelete with their passkeys; the agent's retry passes once",
    { timeout: 120_000 },
    async () => {
      verifies('inbox.browser-end-to-end');
      verifies('inbox.host-cookie-over-tls');
      const carol = await openApproverPage();
      await carol.page.goto(`${inboxUrl}/inbox`);
      await logIn(carol.page, 'carol');
      await carol.page.waitForURL(`${inboxUrl}/inbox`);
      const [cookie] = await carol.context.cookies(inboxUrl);
      expect(cookie).toMatchObject({
        name: '__Host-airlock_inbox',
        path: '/',
        secure: true,
        httpOnly: true,
        sameSite: 'Strict',
      });
      // Carol opens a look-alike link to the agent's page on another port of the same host name:
      // over plain HTTP it is sent no cookie of the inbox.
      await carol.page.goto(agentPage.url);
      // Every request the page got (the page, and the favicon when Chromium asks for it) came without a cookie.
      expect(agentPage.cookies.length).toBeGreaterThan(0);
      expect(agentPage.cookies.every((cookie) => cookie === '')).toBe(true);
      // A passkey, with a code from her phone.
      await enrolPasskey(carol.page, 'carol');
      await carol.page.goto(`${inboxUrl}/inbox`);
      await expect
        .poll(() => carol.page.locator('#pending-count').textContent())
        .toBe('No requests are waiting for you.');

      // The agent's delete is held for two humans; the open list shows it without a reload.
      const held = await agentDeletesProductionVolume();
      expect(held.status).toBe(409);
      const extensions = (
        held.json as { errors: { extensions: { approvalId: string; approvalsNeeded: number } }[] }
      ).errors[0]?.extensions;
      expect(extensions?.approvalsNeeded).toBe(2);
      const approvalId = extensions?.approvalId ?? '';
      const row = carol.page.locator(`tr[data-id="${approvalId}"]`);
      await row.waitFor();
      expect(await carol.page.locator('#pending-count').textContent()).toBe(
        '1 request is waiting for a decision.',
      );
      expect(await row.textContent()).toContain(`volume ${INCIDENT_IDS.prodDbVolume}`);
      await carol.page.screenshot({ path: join(ARTIFACTS, 'inbox.png'), fullPage: true });

      // Had the agent got carol's cookie anyway, it could read the page and its CSRF token, but
      // its vote without a passkey assertion is refused, and audited.
      await theStolenCookieCannotApprove(cookie?.value ?? '', approvalId);

      // Detail: what will run and where; approving needs the target typed.
      await row.getByRole('link', { name: 'railway volumeDelete' }).click();
      await carol.page.waitForURL(`${inboxUrl}/inbox/approvals/${approvalId}`);
      const main = carol.page.getByRole('main');
      expect(await carol.page.getByRole('heading', { level: 1 }).textContent()).toBe(
        `volumeDelete on volume ${INCIDENT_IDS.prodDbVolume}`,
      );
      expect(await main.textContent()).toContain('production');
      expect(await main.textContent()).toContain('irreversible');
      expect(await carol.page.locator('#approval-state').textContent()).toContain(
        '0 of 2 approvals',
      );
      await carol.page.screenshot({ path: join(ARTIFACTS, 'detail.png'), fullPage: true });
      const confirm = carol.page.getByLabel(`Type ${INCIDENT_IDS.prodDbVolume} to confirm`);
      await confirm.fill('vol_prod');
      await carol.page.getByRole('button', { name: 'Approve' }).click();
      await carol.page.getByRole('alert').waitFor();
      expect(await carol.page.getByRole('alert').textContent()).toContain(
        'type each target id exactly',
      );
      // The refusal takes the focus, so keyboard and screen-reader users land on it.
      await expect
        .poll(() =>
          carol.page
            .locator('#form-error')
            .evaluate((element) => element === element.ownerDocument.activeElement),
        )
        .toBe(true);
      await carol.page
        .getByLabel(`Type ${INCIDENT_IDS.prodDbVolume} to confirm`)
        .fill(INCIDENT_IDS.prodDbVolume);
      await carol.page.getByRole('button', { name: 'Approve' }).click();
      await carol.page.getByText('You approved this request.').waitFor();
      expect(await carol.page.locator('#approval-state').textContent()).toContain(
        '1 of 2 approvals',
      );

      // One human is not enough in production: the retry is still held.
      expect((await agentDeletesProductionVolume()).status).toBe(409);
      expect(productionVolumeExists()).toBe(true);

      // The second approver follows the approval link (as a webhook would send it): login first.
      const dave = await openApproverPage();
      await dave.page.goto(`${inboxUrl}/inbox/approvals/${approvalId}`);
      expect(dave.page.url()).toContain('/inbox/login?next=');
      await logIn(dave.page, 'dave');
      await dave.page.waitForURL(`${inboxUrl}/inbox/approvals/${approvalId}`);
      // No passkey yet: the page says where to add one; then back to the approval.
      await dave.page.locator('#passkey-needed').waitFor();
      await enrolPasskey(dave.page, 'dave');
      await dave.page.goto(`${inboxUrl}/inbox/approvals/${approvalId}`);
      await dave.page
        .getByLabel(`Type ${INCIDENT_IDS.prodDbVolume} to confirm`)
        .fill(INCIDENT_IDS.prodDbVolume);
      await dave.page.getByRole('button', { name: 'Approve' }).click();
      await dave.page.getByText('You approved this request.').waitFor();
      expect(await dave.page.locator('#approval-state').textContent()).toContain(
        'is approved: 2 of 2 approvals',
      );
      // Carol's live list drops the request once it is no longer pending.
      await carol.page.goto(`${inboxUrl}/inbox`);
      await expect
        .poll(() => carol.page.locator('#pending-count').textContent())
        .toBe('No requests are waiting for you.');
      // Each vote was the approver's passkey: an assertion verified just before it was recorded.
      const passkeyVotes = (await store.readAudit()).filter(
        (r) => r.kind === 'approval.approved' && r.data['approvalId'] === approvalId,
      );
      expect(passkeyVotes.map((r) => r.actor)).toEqual(['human:carol', 'human:dave']);

      // The identical retry runs exactly once; the next one does not.
      const passed = await agentDeletesProductionVolume();
      expect(passed).toEqual({ status: 200, json: { data: { volumeDelete: true } } });
      expect(productionVolumeExists()).toBe(false);
      // The replay is a new request needing new approvals (and Railway no longer knows the volume).
      const replay = await agentDeletesProductionVolume();
      expect(replay.status).toBe(409);
      const replayId = (replay.json as { errors: { extensions: { approvalId: string } }[] })
        .errors[0]?.extensions.approvalId;
      expect(replayId).toEqual(expect.any(String));
      expect(replayId).not.toBe(approvalId);
      const records = await store.readAudit();
      expect(
        records.filter(
          (r) => r.kind === 'approval.executed' && r.data['approvalId'] === approvalId,
        ),
      ).toHaveLength(1);
      expect(
        records.filter(
          (r) =>
            r.kind === 'decision' &&
            r.data['verdict'] === 'allow' &&
            r.data['approvalId'] === approvalId,
        ),
      ).toHaveLength(1);

      // The timeline names both approvers and the run.
      await dave.page.reload();
      const timeline = await dave.page.locator('.timeline').textContent();
      expect(timeline).toContain('approval.approved by human:carol');
      expect(timeline).toContain('approval.approved by human:dave');
      expect(timeline).toContain('approval.executed by agent:cursor-agent');

      // No script error and no CSP violation on any page.
      expect([...carol.problems, ...dave.problems]).toEqual([]);
      await carol.context.close();
      await dave.context.close();
    },
  );
});
