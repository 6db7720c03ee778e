import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch as fetchWith } from 'undici';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../src/firewall/index.js';
import { SoftPasskey } from './passkey-authenticator.js';
import { freshHome, runCli } from './run-cli.js';
import { startServe } from './serve-process.js';

// `airlock serve` serves the web inbox: at /inbox on the gateway, or with `inbox.listen` on an
// HTTPS listener of its own (`server.tls`); an administrator bootstrapped with the CLI logs in
// and enrols a passkey kept in HOME/passkeys.json.

const CREDENTIAL = 'serve inbox secret of carol';
const UPSTREAM =
  'upstreams:\n  railway:\n    kind: graphql\n    url: http://127.0.0.1:9/graphql/v2\n    credentialEnv: RAILWAY_TOKEN\n';
const ENV = { RAILWAY_TOKEN: 'railway-token-for-the-test' };

/** carol, the first administrator, with an inbox login; her TOTP secret. */
function bootstrapCarol(home: string): string {
  const run = runCli(['admin', 'bootstrap', 'carol', '--inbox-login', '--json'], {
    home,
    input: `${CREDENTIAL}\n`,
  });
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { totp: { secret: string } }).totp.secret;
}

describe('airlock serve with the web inbox', () => {
  it('serves /inbox on the gateway, where an approver added by the CLI logs in', async () => {
    const home = freshHome();
    writeFileSync(join(home, 'airlock.yaml'), UPSTREAM);
    bootstrapCarol(home);
    const serve = await startServe(home, ENV);
    try {
      const started = serve.ready as { url: string; surfaces: { surface: string; url: string }[] };
      const inbox = started.surfaces.find((surface) => surface.surface === 'inbox');
      expect(inbox?.url).toBe(`${started.url}/inbox`);
      expect((await fetch(`${started.url}/inbox/login`)).status).toBe(200);
      const login = await fetch(`${started.url}/inbox/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ approver: 'carol', credential: CREDENTIAL }).toString(),
        redirect: 'manual',
      });
      expect(login.status).toBe(303);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const page = await fetch(`${started.url}/inbox`, { headers: { cookie }, redirect: 'manual' });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Signed in as <strong>carol</strong>');
    } finally {
      await serve.stop();
    }
  }, 60_000);

  it('serves the inbox on its own HTTPS listener with a __Host- cookie, and keeps passkeys in HOME/passkeys.json', async () => {
    const home = freshHome();
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
        join(home, 'inbox-key.pem'),
        '-out',
        join(home, 'inbox-cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    writeFileSync(
      join(home, 'airlock.yaml'),
      `${UPSTREAM}server:\n  tls:\n    certFile: inbox-cert.pem\n    keyFile: inbox-key.pem\ninbox:\n  listen:\n    port: 0\n`,
    );
    const secret = bootstrapCarol(home);
    const serve = await startServe(home, ENV);
    const tls = new Agent({ connect: { ca: readFileSync(join(home, 'inbox-cert.pem')) } });
    try {
      const started = serve.ready as {
        url: string;
        surfaces: { surface: string; url: string; publicUrl: string }[];
      };
      const inbox = started.surfaces.find((surface) => surface.surface === 'inbox');
      const origin = inbox?.publicUrl ?? '';
      expect(origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(inbox?.url).toBe(`${origin}/inbox`);
      // The agents' port (HTTPS too, with the same certificate) no longer serves the inbox.
      expect((await fetchWith(`${started.url}/inbox/login`, { dispatcher: tls })).status).toBe(404);
      const post = (path: string, cookie: string, form: Record<string, string>) =>
        fetchWith(`${origin}${path}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
          redirect: 'manual',
          dispatcher: tls,
        });
      const login = await post('/inbox/login', '', { approver: 'carol', credential: CREDENTIAL });
      expect(login.status).toBe(303);
      const setCookie = login.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(
        /^__Host-airlock_inbox=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Strict$/,
      );
      const cookie = setCookie.split(';')[0] ?? '';
      const page = await fetchWith(`${origin}/inbox/passkeys`, {
        headers: { cookie },
        dispatcher: tls,
      });
      const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const options = await post('/inbox/passkeys/options', cookie, {
        csrf,
        totp: totpCode(secret, Date.now()),
      });
      expect(options.status).toBe(200);
      const passkey = new SoftPasskey(origin);
      const added = await post('/inbox/passkeys', cookie, {
        csrf,
        attestation: passkey.register(((await options.json()) as { options: never }).options),
      });
      expect(added.status).toBe(303);
      expect(statSync(join(home, 'passkeys.json')).mode & 0o777).toBe(0o600);
    } finally {
      await tls.close();
      await serve.stop();
    }
  }, 60_000);
});
