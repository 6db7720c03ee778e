import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plantedSecret } from './gateway-harness.js';
import { freshHome, jsonLines, runCli } from './run-cli.js';
import { startServe } from './serve-process.js';

// `airlock serve` with a REST upstream from airlock.yaml, in front of a local server that
// records every request reaching it: the wiring from config to the proxy, end to end.

describe('airlock serve with a REST upstream', () => {
  it('mounts it at /http/NAME: reads pass with the real credential, deletes are held and never arrive', async () => {
    const secret = plantedSecret();
    const arrived: { method: string; url: string; authorization: string | undefined }[] = [];
    const upstream = createServer((req, res) => {
      arrived.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'repo', full_name: 'acme/rentals' }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const home = freshHome();
    writeFileSync(
      join(home, 'airlock.yaml'),
      `upstreams:\n  github:\n    kind: http\n    platform: github\n    url: ${upstreamUrl}\n    credentialEnv: GITHUB_TOKEN\n`,
    );
    const issued = runCli(
      [
        'token',
        'issue',
        '--agent',
        'bot',
        '--owner',
        'alice',
        '--upstream',
        'github',
        '--env',
        '*',
        '--effect',
        'read',
        'write',
        'destructive',
        '--resource',
        '*',
        '--json',
      ],
      { home },
    );
    const { token } = jsonLines(issued.stdout)[0] as { token: string };
    const serve = await startServe(home, { GITHUB_TOKEN: secret });
    try {
      const read = await fetch(`${serve.url}/http/github/repos/acme/rentals`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual({ id: 'repo', full_name: 'acme/rentals' });
      expect(arrived).toEqual([
        { method: 'GET', url: '/repos/acme/rentals', authorization: `Bearer ${secret}` },
      ]);

      const held = await fetch(`${serve.url}/http/github/repos/acme/rentals`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      });
      const answer = (await held.json()) as Record<string, unknown>;
      expect(held.status).toBe(409);
      expect(JSON.stringify(answer)).toContain('AIRLOCK_HELD');
      expect(JSON.stringify(answer)).not.toContain(secret);
      expect(arrived).toHaveLength(1);
    } finally {
      expect(await serve.stop()).toBe(0);
      upstream.close();
    }
  }, 60_000);
});
