import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshHome, runCli } from './run-cli.js';
import { startServe } from './serve-process.js';

// `airlock serve` mounts the web inbox: an approver added with the CLI logs in over real HTTP.

const CREDENTIAL = 'serve inbox secret of carol';

describe('airlock serve with the web inbox', () => {
  it('serves /inbox, where an approver added by the CLI logs in', async () => {
    const home = freshHome();
    writeFileSync(join(home, 'airlock.yaml'), 'upstreams:\n  railway:\n    kind: graphql\n    url: http://127.0.0.1:9/graphql/v2\n    credentialEnv: RAILWAY_TOKEN\n');
    const added = runCli(['approver', 'add', 'carol', '--upstream', 'railway', '--env', '*'], { home, env: { AIRLOCK_APPROVER_CREDENTIAL: CREDENTIAL } });
    expect(added.status).toBe(0);
    const serve = await startServe(home, { RAILWAY_TOKEN: 'railway-token-for-the-test' });
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
  }, 30_000);
});
