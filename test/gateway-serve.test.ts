import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRailwayStandin } from '../src/standins/index.js';
import { plantedSecret } from './gateway-harness.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';
import { startServe } from './serve-process.js';

function writeConfig(home: string, url: string): void {
  writeFileSync(
    join(home, 'airlock.yaml'),
    `upstreams:\n  railway:\n    kind: graphql\n    url: ${url}\n    credentialEnv: RAILWAY_TOKEN\n`,
  );
}

describe('airlock serve', () => {
  it('refuses to start when a credential variable is unset, naming it and not a value', () => {
    const home = freshHome();
    writeConfig(home, 'http://127.0.0.1:9/graphql/v2');
    const run = runCli(['serve', '--dev', '--port', '0'], { home, env: { RAILWAY_TOKEN: '' } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('$RAILWAY_TOKEN is unset');
  });

  it('serves each upstream behind the firewall until signalled', async () => {
    const secret = plantedSecret();
    const railway = await startRailwayStandin({
      port: 0,
      tokens: { account: [secret] },
      seed: true,
    });
    const home = freshHome();
    writeConfig(home, railway.url);
    const issued = runCli(
      [
        'token',
        'issue',
        '--agent',
        'bot',
        '--owner',
        'alice',
        '--upstream',
        'railway',
        '--env',
        '*',
        '--effect',
        'read',
        '--resource',
        '*',
        '--json',
      ],
      { home },
    );
    const { token } = jsonLines(issued.stdout)[0] as { token: string };
    const serve = await startServe(home, { RAILWAY_TOKEN: secret });
    try {
      const { url } = serve;
      const reply = await fetch(`${url}/graphql/railway`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
      const text = await reply.text();
      expect(reply.status).toBe(200);
      expect(text).toContain('"email"');
      expect(text).not.toContain(secret);
    } finally {
      expect(await serve.stop()).toBe(0);
      await railway.close();
    }
  }, 30_000);
});
